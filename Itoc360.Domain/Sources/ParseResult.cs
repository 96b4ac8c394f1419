namespace Itoc360.Domain.Sources;

/// <summary>Why a request could not be read; decides the 4xx status.</summary>
public enum ProblemKind
{
    /// <summary>The body is not well-formed (bad JSON, bad encoding): 400.</summary>
    Malformed,
    /// <summary>Well-formed but missing or wrong fields for this kind: 422.</summary>
    Unprocessable,
    /// <summary>A content type this kind cannot read: 415.</summary>
    UnsupportedMediaType,
}

/// <summary>What a parser made of a request. Parsers return one of these and never throw on bad input.</summary>
public abstract record ParseResult
{
    private ParseResult() { }

    /// <summary>One or more alerts to act on.</summary>
    public sealed record Parsed(IReadOnlyList<NormalizedAlert> Alerts) : ParseResult;

    /// <summary>A request to record and otherwise leave alone (e.g. a URL check).</summary>
    public sealed record Ignored(string Reason) : ParseResult;

    /// <summary>A request that cannot be read; the text says what is wrong in words a user can act on.</summary>
    public sealed record Invalid(ProblemKind Kind, string Problem) : ParseResult;

    public static ParseResult Of(NormalizedAlert alert) => new Parsed([alert]);
    public static ParseResult Malformed(string problem) => new Invalid(ProblemKind.Malformed, problem);
    public static ParseResult Unprocessable(string problem) => new Invalid(ProblemKind.Unprocessable, problem);
    public static ParseResult Unsupported(string? contentType) =>
        new Invalid(ProblemKind.UnsupportedMediaType, $"Content type '{contentType ?? "(none)"}' cannot be read by this kind of source.");
}
