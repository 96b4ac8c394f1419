using System.Text;
using System.Text.Unicode;

namespace Itoc360.Domain.Sources;

/// <summary>
/// Decodes <c>application/x-www-form-urlencoded</c> bytes (or a raw query string) into ordered name/value
/// pairs: '+' is a space, <c>%XX</c> escapes are bytes, and the result must be UTF-8. A '%' that does not
/// start a valid escape is kept as it is, as browsers do. Pure; never throws.
/// </summary>
public static class FormBody
{
    public static bool TryParse(ReadOnlySpan<byte> body, out IReadOnlyList<KeyValuePair<string, string>> pairs, out string? problem)
    {
        if (body.StartsWith("\uFEFF"u8))
        {
            body = body[3..];
        }

        var list = new List<KeyValuePair<string, string>>();
        var scratch = body.Length <= 512 ? stackalloc byte[body.Length] : new byte[body.Length];
        var index = 0;
        while (!body.IsEmpty)
        {
            var amp = body.IndexOf((byte)'&');
            var segment = amp < 0 ? body : body[..amp];
            body = amp < 0 ? [] : body[(amp + 1)..];
            index++;
            if (TrimNewlines(segment).IsEmpty)
            {
                continue;
            }

            segment = TrimNewlines(segment);
            var eq = segment.IndexOf((byte)'=');
            var rawName = eq < 0 ? segment : segment[..eq];
            var rawValue = eq < 0 ? [] : segment[(eq + 1)..];
            if (!TryDecode(rawName, scratch, out var name))
            {
                pairs = [];
                problem = $"Form body is not valid UTF-8 (the name of parameter {index}).";
                return false;
            }

            if (!TryDecode(rawValue, scratch, out var value))
            {
                pairs = [];
                problem = $"Form body is not valid UTF-8 (the value of '{Shorten(name)}').";
                return false;
            }

            list.Add(new KeyValuePair<string, string>(name, value));
        }

        pairs = list;
        problem = null;
        return true;
    }

    /// <summary>Decodes a query string (with or without the leading '?'); one whose escapes are not UTF-8 yields no pairs.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> ParseQuery(string? query)
    {
        if (string.IsNullOrEmpty(query))
        {
            return [];
        }

        var bytes = Encoding.UTF8.GetBytes(query.StartsWith('?') ? query[1..] : query);
        return TryParse(bytes, out var pairs, out _) ? pairs : [];
    }

    private static bool TryDecode(ReadOnlySpan<byte> encoded, Span<byte> scratch, out string text)
    {
        var n = 0;
        for (var i = 0; i < encoded.Length; i++)
        {
            var b = encoded[i];
            if (b == (byte)'+')
            {
                scratch[n++] = (byte)' ';
            }
            else if (b == (byte)'%' && i + 2 < encoded.Length && IsHex(encoded[i + 1]) && IsHex(encoded[i + 2]))
            {
                scratch[n++] = (byte)((HexValue(encoded[i + 1]) << 4) | HexValue(encoded[i + 2]));
                i += 2;
            }
            else
            {
                scratch[n++] = b;
            }
        }

        var decoded = scratch[..n];
        if (!Utf8.IsValid(decoded))
        {
            text = "";
            return false;
        }

        text = Encoding.UTF8.GetString(decoded);
        return true;
    }

    private static ReadOnlySpan<byte> TrimNewlines(ReadOnlySpan<byte> segment) => segment.Trim("\r\n"u8);

    private static bool IsHex(byte b) => b is >= (byte)'0' and <= (byte)'9' or >= (byte)'a' and <= (byte)'f' or >= (byte)'A' and <= (byte)'F';

    private static int HexValue(byte b) => b switch
    {
        <= (byte)'9' => b - '0',
        <= (byte)'F' => b - 'A' + 10,
        _ => b - 'a' + 10,
    };

    private static string Shorten(string name) => name.Length <= 40 ? name : name[..40] + "…";
}
