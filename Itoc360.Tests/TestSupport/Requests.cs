using System.Text;
using Itoc360.Domain.Sources;

namespace Itoc360.Tests.TestSupport;

/// <summary>Builds inbound requests for parser tests.</summary>
public static class Requests
{
    public const string FormType = "application/x-www-form-urlencoded";

    /// <summary>A form body, percent-encoding each name and value as a vendor would.</summary>
    public static string FormText(params (string Name, string Value)[] fields) =>
        string.Join('&', fields.Select(f => $"{Uri.EscapeDataString(f.Name)}={Uri.EscapeDataString(f.Value)}"));

    public static InboundRequest Form(params (string Name, string Value)[] fields) =>
        InboundRequest.Post(FormType, Encoding.UTF8.GetBytes(FormText(fields)));

    public static InboundRequest Json(string json, string contentType = "application/json") =>
        InboundRequest.Post(contentType, Encoding.UTF8.GetBytes(json));

    public static InboundRequest Raw(string? contentType, byte[] body) => InboundRequest.Post(contentType, body);

    public static InboundRequest Raw(string? contentType, string body) => InboundRequest.Post(contentType, Encoding.UTF8.GetBytes(body));

    public static InboundRequest Query(params (string Name, string Value)[] query) =>
        new("POST", null, query.Select(q => new KeyValuePair<string, string>(q.Name, q.Value)).ToList(), ReadOnlyMemory<byte>.Empty);

    public static NormalizedAlert SingleAlert(ParseResult result)
    {
        var parsed = Assert.IsType<ParseResult.Parsed>(result);
        return Assert.Single(parsed.Alerts);
    }

    public static ParseResult.Invalid Invalid(ParseResult result, ProblemKind kind)
    {
        var invalid = Assert.IsType<ParseResult.Invalid>(result);
        Assert.Equal(kind, invalid.Kind);
        Assert.False(string.IsNullOrWhiteSpace(invalid.Problem));
        return invalid;
    }
}
