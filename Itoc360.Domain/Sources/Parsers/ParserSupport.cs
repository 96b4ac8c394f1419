using System.Globalization;
using Itoc360.Domain.Incidents;

namespace Itoc360.Domain.Sources.Parsers;

/// <summary>Small pieces the parsers share. Pure.</summary>
internal static class ParserSupport
{
    public static readonly ParseResult UrlCheck = new ParseResult.Ignored("URL check");

    /// <summary>A <c>GET</c> or <c>HEAD</c>: the vendor (or a proxy) checking that the URL answers.</summary>
    public static bool IsUrlCheck(InboundRequest request) =>
        string.Equals(request.Method, "GET", StringComparison.OrdinalIgnoreCase) ||
        string.Equals(request.Method, "HEAD", StringComparison.OrdinalIgnoreCase);

    public static Dictionary<string, string> NewFields() => new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Copies the pairs into the fields (a later pair with the same name replaces an earlier one); nameless pairs are skipped.</summary>
    public static void Add(Dictionary<string, string> fields, IEnumerable<KeyValuePair<string, string>> pairs, params string[] except)
    {
        foreach (var (name, value) in pairs)
        {
            var trimmed = name.Trim();
            if (trimmed.Length > 0 && !except.Contains(trimmed, StringComparer.OrdinalIgnoreCase))
            {
                fields[trimmed] = value;
            }
        }
    }

    /// <summary>The trimmed value of a field, or null when it is absent or blank.</summary>
    public static string? Get(IReadOnlyDictionary<string, string> fields, string name) =>
        fields.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    /// <summary>Replaces a present field's value with its trimmed upper-case form.</summary>
    public static void UpperCase(Dictionary<string, string> fields, string name)
    {
        if (fields.TryGetValue(name, out var value))
        {
            fields[name] = value.Trim().ToUpperInvariant();
        }
    }

    public static ParseResult Missing(string name) => ParseResult.Unprocessable($"Field '{name}' is missing.");

    public static ParseResult NoBody(string expected) => ParseResult.Unprocessable($"The request has no body; expected {expected}.");

    public static ParseResult Unsupported(string? contentType, string expected) =>
        new ParseResult.Invalid(ProblemKind.UnsupportedMediaType,
            $"Content type '{(string.IsNullOrWhiteSpace(contentType) ? "(none; the body looks like JSON)" : contentType.Trim())}' cannot be read here; expected {expected}.");

    /// <summary>A title no longer than an incident keeps.</summary>
    public static string Title(string text)
    {
        const int max = Incident.MaxTitleLength;
        var head = text.AsSpan(0, Math.Min(text.Length, 2 * max));
        // Runs of white space become one space, none at either end (one pass: this runs for every webhook).
        Span<char> title = stackalloc char[head.Length];
        var length = 0;
        var space = false;
        foreach (var c in head)
        {
            if (char.IsWhiteSpace(c))
            {
                space = length > 0;
                continue;
            }

            if (space)
            {
                title[length++] = ' ';
                space = false;
            }

            title[length++] = c;
        }

        if (length <= max && head.Length == text.Length)
        {
            return title[..length].SequenceEqual(text) ? text : new string(title[..length]);
        }

        var cut = Math.Min(length, max - 1);
        if (cut > 0 && char.IsHighSurrogate(title[cut - 1]))
        {
            cut--;
        }

        return string.Concat(title[..cut], "…");
    }

    /// <summary>A number without the trailing zeros vendors pad with (<c>1.000000</c> → <c>1</c>); other text unchanged.</summary>
    public static string Number(string text) =>
        text.Length <= 40 && decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            ? number.ToString("0.############################", CultureInfo.InvariantCulture)
            : text;

    /// <summary>The Twilio error reference for a numeric code.</summary>
    public static string? TwilioErrorUrl(string? errorCode) =>
        errorCode is { Length: > 0 and <= 10 } && errorCode.All(char.IsAsciiDigit)
            ? $"https://www.twilio.com/docs/api/errors/{errorCode}"
            : null;
}
