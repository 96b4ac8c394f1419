using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace Itoc360.Domain.Sources;

/// <summary>
/// Twilio's request signature (<c>X-Twilio-Signature</c>): HMAC-SHA1 with the auth token over the
/// full URL Twilio requested followed by every form parameter as <c>name + value</c>, sorted by name
/// in ordinal order; base64. JSON bodies are signed over the URL only, and the URL carries
/// <c>bodySHA256</c>, the hex SHA-256 of the raw body. Pure: no I/O, no clock.
/// </summary>
public static class TwilioSignature
{
    /// <summary>The header Twilio sends the signature in.</summary>
    public const string HeaderName = "X-Twilio-Signature";

    /// <summary>The query parameter that carries the body hash when the body is JSON.</summary>
    public const string BodyHashParameter = "bodySHA256";

    private const int Sha1Length = 20;
    private const int Sha256Length = 32;

    /// <summary>The base64 signature Twilio would send for this URL and form body.</summary>
    public static string Compute(string authToken, string url, IEnumerable<KeyValuePair<string, string>> formParameters)
    {
        ArgumentNullException.ThrowIfNull(authToken);
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(formParameters);
        return Convert.ToBase64String(ComputeBytes(authToken, url, formParameters));
    }

    /// <summary>
    /// True when <paramref name="signatureHeader"/> is Twilio's signature of this request under one of
    /// <paramref name="authTokens"/> (primary and alternate), with the URL taken as given and with its
    /// port form flipped (an explicit port removed, or the scheme's default port added). Never throws.
    /// </summary>
    /// <param name="signatureHeader">The <c>X-Twilio-Signature</c> value, or null when absent.</param>
    /// <param name="url">The public URL Twilio requested, including the whole query string.</param>
    /// <param name="formParameters">The decoded form body parameters (ignored for JSON bodies).</param>
    /// <param name="body">The raw body bytes (hashed for JSON bodies).</param>
    /// <param name="bodyIsJson">True when the body is JSON: sign the URL only and check <c>bodySHA256</c>.</param>
    /// <param name="authTokens">The auth tokens to try; null or empty entries are skipped.</param>
    public static bool IsValid(
        string? signatureHeader,
        string url,
        IReadOnlyList<KeyValuePair<string, string>> formParameters,
        ReadOnlySpan<byte> body,
        bool bodyIsJson,
        IEnumerable<string> authTokens)
    {
        try
        {
            return IsValidCore(signatureHeader, url, formParameters, body, bodyIsJson, authTokens);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or OverflowException or CryptographicException)
        {
            // Malformed input of any kind is simply "not signed by Twilio".
            return false;
        }
    }

    private static bool IsValidCore(
        string? signatureHeader,
        string? url,
        IReadOnlyList<KeyValuePair<string, string>>? formParameters,
        ReadOnlySpan<byte> body,
        bool bodyIsJson,
        IEnumerable<string>? authTokens)
    {
        if (string.IsNullOrWhiteSpace(signatureHeader) || string.IsNullOrEmpty(url) || authTokens is null)
        {
            return false;
        }

        // A real signature is 28 base64 characters; anything much longer is not one.
        if (signatureHeader.Length > 64)
        {
            return false;
        }

        Span<byte> presented = stackalloc byte[48];
        if (!Convert.TryFromBase64String(signatureHeader, presented, out var presentedLength) || presentedLength != Sha1Length)
        {
            return false;
        }

        presented = presented[..presentedLength];

        // The decoder ignores the unused low bits of the last character, so "...BnU=" and "...BnV="
        // decode alike; only the canonical text Twilio sends is accepted.
        if (!string.Equals(Convert.ToBase64String(presented), signatureHeader.Trim(), StringComparison.Ordinal))
        {
            return false;
        }

        IReadOnlyList<KeyValuePair<string, string>> signedParameters;
        if (bodyIsJson)
        {
            if (!BodyHashMatches(url, body))
            {
                return false;
            }

            signedParameters = [];
        }
        else
        {
            signedParameters = formParameters ?? [];
        }

        string[] urls = AlternatePortForm(url) is { } alternate && alternate != url ? [url, alternate] : [url];

        var matched = false;
        foreach (var token in authTokens)
        {
            if (string.IsNullOrEmpty(token))
            {
                continue;
            }

            foreach (var candidate in urls)
            {
                var expected = ComputeBytes(token, candidate, signedParameters);
                // Not short-circuited, so the time taken does not say which token or URL form matched.
                matched |= CryptographicOperations.FixedTimeEquals(expected, presented);
            }
        }

        return matched;
    }

    private static byte[] ComputeBytes(string authToken, string url, IEnumerable<KeyValuePair<string, string>> formParameters)
    {
        var data = new StringBuilder(url);
        foreach (var (name, value) in formParameters
                     .OrderBy(p => p.Key, StringComparer.Ordinal)
                     .ThenBy(p => p.Value, StringComparer.Ordinal))
        {
            data.Append(name).Append(value);
        }

        return HMACSHA1.HashData(Encoding.UTF8.GetBytes(authToken), Encoding.UTF8.GetBytes(data.ToString()));
    }

    /// <summary>True when the URL's <c>bodySHA256</c> is the hex SHA-256 of <paramref name="body"/> (any case).</summary>
    private static bool BodyHashMatches(string url, ReadOnlySpan<byte> body)
    {
        var claimedHex = QueryValue(url, BodyHashParameter);
        if (claimedHex is null || claimedHex.Length != Sha256Length * 2)
        {
            return false;
        }

        Span<byte> claimed = stackalloc byte[Sha256Length];
        if (Convert.FromHexString(claimedHex, claimed, out _, out var written) != OperationStatus.Done || written != Sha256Length)
        {
            return false;
        }

        Span<byte> actual = stackalloc byte[Sha256Length];
        SHA256.HashData(body, actual);
        return CryptographicOperations.FixedTimeEquals(actual, claimed);
    }

    /// <summary>The first value of <paramref name="name"/> in the URL's query string, decoded; null when absent.</summary>
    private static string? QueryValue(string url, string name)
    {
        var queryStart = url.IndexOf('?');
        if (queryStart < 0)
        {
            return null;
        }

        var fragment = url.IndexOf('#', queryStart);
        var query = fragment < 0 ? url[(queryStart + 1)..] : url[(queryStart + 1)..fragment];
        foreach (var pair in query.Split('&'))
        {
            var equals = pair.IndexOf('=');
            var key = equals < 0 ? pair : pair[..equals];
            if (string.Equals(Uri.UnescapeDataString(key.Replace('+', ' ')), name, StringComparison.Ordinal))
            {
                return equals < 0 ? string.Empty : Uri.UnescapeDataString(pair[(equals + 1)..].Replace('+', ' '));
            }
        }

        return null;
    }

    /// <summary>
    /// The URL with its port form flipped: an explicit port removed, or the scheme's default port
    /// (443 for https, 80 for http) added when there is none. Text outside the authority is kept
    /// byte for byte, because Twilio signs the exact text it requested. Null when there is no
    /// other form (no authority, or an unknown scheme without a port).
    /// </summary>
    internal static string? AlternatePortForm(string url)
    {
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd <= 0)
        {
            return null;
        }

        var authorityStart = schemeEnd + 3;
        var authorityEnd = url.IndexOfAny(['/', '?', '#'], authorityStart);
        if (authorityEnd < 0)
        {
            authorityEnd = url.Length;
        }

        var authority = url.AsSpan(authorityStart, authorityEnd - authorityStart);
        var hostStart = authority.LastIndexOf('@') + 1;
        var colon = authority.LastIndexOf(':');
        var ipv6End = authority.LastIndexOf(']');

        if (colon >= hostStart && colon > ipv6End)
        {
            var port = authority[(colon + 1)..];
            if (port.ContainsAnyExceptInRange('0', '9'))
            {
                return null;
            }

            return string.Concat(url.AsSpan(0, authorityStart + colon), url.AsSpan(authorityEnd));
        }

        var scheme = url.AsSpan(0, schemeEnd);
        var defaultPort = scheme.Equals("https", StringComparison.OrdinalIgnoreCase) ? ":443"
            : scheme.Equals("http", StringComparison.OrdinalIgnoreCase) ? ":80"
            : null;

        return defaultPort is null || authority.Length == hostStart
            ? null
            : string.Concat(url.AsSpan(0, authorityEnd), defaultPort, url.AsSpan(authorityEnd));
    }
}
