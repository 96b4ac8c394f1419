namespace Itoc360.Domain.Sources;

/// <summary>
/// A webhook request as a parser sees it: the method, the content type, the query string (already
/// decoded, in order) and the body bytes exactly as received.
/// </summary>
public sealed record InboundRequest(
    string Method,
    string? ContentType,
    IReadOnlyList<KeyValuePair<string, string>> Query,
    ReadOnlyMemory<byte> Body)
{
    public static InboundRequest Post(string? contentType, ReadOnlyMemory<byte> body, IReadOnlyList<KeyValuePair<string, string>>? query = null) =>
        new("POST", contentType, query ?? [], body);
}
