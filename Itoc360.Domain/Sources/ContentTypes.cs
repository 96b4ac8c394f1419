namespace Itoc360.Domain.Sources;

/// <summary>How a request body is to be read.</summary>
public enum BodyFormat
{
    /// <summary>No body (empty or only whitespace): there is nothing to read, whatever the content type says.</summary>
    None,
    /// <summary><c>application/x-www-form-urlencoded</c>.</summary>
    Form,
    /// <summary><c>application/json</c>, <c>text/json</c> or any <c>*+json</c> type.</summary>
    Json,
    /// <summary>A content type no source kind reads (XML, multipart, plain text, …).</summary>
    Unsupported,
}

/// <summary>Classifies a request's content type. Pure.</summary>
public static class ContentTypes
{
    public const string Form = "application/x-www-form-urlencoded";

    /// <summary>The media type without parameters, trimmed and lower-cased; null when there is none.</summary>
    public static string? MediaType(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType))
        {
            return null;
        }

        var semicolon = contentType.IndexOf(';');
        var media = (semicolon < 0 ? contentType : contentType[..semicolon]).Trim();
        return media.Length == 0 ? null : media.ToLowerInvariant();
    }

    public static bool IsJson(string? mediaType) =>
        mediaType is "application/json" or "text/json" ||
        (mediaType is not null && mediaType.EndsWith("+json", StringComparison.Ordinal) && mediaType.Contains('/'));

    /// <summary>
    /// Decides how to read <paramref name="body"/>: an empty body is <see cref="BodyFormat.None"/>; with no
    /// content type the body is sniffed (a JSON object or array → JSON, anything else → form); otherwise
    /// the media type decides, compared case-insensitively with its parameters ignored.
    /// </summary>
    public static BodyFormat Classify(string? contentType, ReadOnlySpan<byte> body)
    {
        var content = TrimStart(body);
        if (content.IsEmpty)
        {
            return BodyFormat.None;
        }

        var media = MediaType(contentType);
        if (media is null)
        {
            return content[0] is (byte)'{' or (byte)'[' ? BodyFormat.Json : BodyFormat.Form;
        }

        if (media == Form)
        {
            return BodyFormat.Form;
        }

        return IsJson(media) ? BodyFormat.Json : BodyFormat.Unsupported;
    }

    /// <summary>The body without a leading UTF-8 byte order mark and leading whitespace.</summary>
    internal static ReadOnlySpan<byte> TrimStart(ReadOnlySpan<byte> body)
    {
        if (body.StartsWith("\uFEFF"u8))
        {
            body = body[3..];
        }

        var i = 0;
        while (i < body.Length && body[i] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            i++;
        }

        return body[i..];
    }
}
