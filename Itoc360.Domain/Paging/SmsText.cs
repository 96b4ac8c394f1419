using System.Globalization;
using System.Text;

namespace Itoc360.Domain.Paging;

/// <summary>How an SMS is encoded on the air; decides how much fits in a segment.</summary>
public enum SmsEncoding
{
    /// <summary>The GSM 03.38 7-bit alphabet: 160 septets in one segment, 153 per part of a longer one.</summary>
    Gsm7,
    /// <summary>UCS-2 (UTF-16 code units): 70 in one segment, 67 per part. One character outside GSM forces it.</summary>
    Ucs2,
}

/// <summary>
/// The size of an SMS. <see cref="Units"/> are septets for GSM-7 (extension characters count 2) and UTF-16
/// code units for UCS-2 (characters outside the BMP, e.g. emoji, count 2).
/// </summary>
public readonly record struct SmsSegments(SmsEncoding Encoding, int Units, int Segments);

/// <summary>
/// GSM-7 awareness for outgoing SMS: which characters the GSM 03.38 alphabet holds, how many segments a
/// text costs, and look-alike replacements so that one curly quote in an alert title does not switch the
/// whole message to UCS-2 and halve what fits.
/// </summary>
public static class SmsText
{
    public const int Gsm7SingleSegment = 160;
    public const int Gsm7PerPart = 153;
    public const int Ucs2SingleSegment = 70;
    public const int Ucs2PerPart = 67;

    /// <summary>The GSM 03.38 default alphabet, minus the escape code itself (0x1B), in table order.</summary>
    internal const string BasicSet =
        "@£$¥èéùìòÇ\nØø\rÅå" +
        "Δ_ΦΓΛΩΠΨΣΘΞÆæßÉ" +
        " !\"#¤%&'()*+,-./" +
        "0123456789:;<=>?" +
        "¡ABCDEFGHIJKLMNO" +
        "PQRSTUVWXYZÄÖÑÜ§" +
        "¿abcdefghijklmno" +
        "pqrstuvwxyzäöñüà";

    /// <summary>The extension table: each is sent as escape + code, so costs two septets.</summary>
    internal const string ExtensionSet = "\f^{}\\[~]|€";

    // Septets per UTF-16 code unit (0 = not in GSM-7); a flat table because composing a page measures
    // hundreds of candidate texts.
    private static readonly byte[] Septets = BuildSeptets();

    private static byte[] BuildSeptets()
    {
        var table = new byte[char.MaxValue + 1];
        foreach (var c in BasicSet) table[c] = 1;
        foreach (var c in ExtensionSet) table[c] = 2;
        return table;
    }

    /// <summary>Septets <paramref name="c"/> costs in GSM-7: 1, 2 (extension table), or 0 when GSM-7 cannot carry it.</summary>
    public static int SeptetsOf(char c) => Septets[c];

    public static bool IsGsm7(char c) => SeptetsOf(c) > 0;

    public static bool IsGsm7(string text)
    {
        foreach (var c in text)
        {
            if (!IsGsm7(c)) return false;
        }
        return true;
    }

    /// <summary>
    /// Encoding, size and segment count of <paramref name="text"/>. Parts are filled the way handsets and
    /// Twilio split them: an extension character's escape pair and a surrogate pair never straddle two
    /// parts, so a long text can need one more part than plain division says. An empty text is 0 segments.
    /// </summary>
    public static SmsSegments Measure(string text)
    {
        if (IsGsm7(text))
        {
            var septets = 0;
            foreach (var c in text) septets += SeptetsOf(c);
            return new(SmsEncoding.Gsm7, septets, Count(text, septets, Gsm7SingleSegment, Gsm7PerPart, gsm: true));
        }
        return new(SmsEncoding.Ucs2, text.Length, Count(text, text.Length, Ucs2SingleSegment, Ucs2PerPart, gsm: false));
    }

    private static int Count(string text, int units, int single, int perPart, bool gsm)
    {
        if (units == 0) return 0;
        if (units <= single) return 1;

        var parts = 1;
        var used = 0;
        for (var i = 0; i < text.Length; i++)
        {
            int width;
            if (gsm)
            {
                width = SeptetsOf(text[i]);
            }
            else if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                width = 2;
                i++;
            }
            else
            {
                width = 1;
            }

            if (used + width > perPart)
            {
                parts++;
                used = 0;
            }
            used += width;
        }
        return parts;
    }

    /// <summary>
    /// Replaces common characters GSM-7 lacks with look-alikes it has: typographic quotes and apostrophes,
    /// dashes and minus signs, the ellipsis, exotic spaces, bullets, arrows, µ, ×, ™ and accented Latin letters
    /// outside the GSM set (á → a, ç → c, œ → oe). Invisible characters (zero-width spaces, soft hyphens,
    /// byte-order marks) are dropped. Anything else (CJK, emoji) is kept: it then needs UCS-2, honestly.
    /// </summary>
    public static string Transliterate(string text)
    {
        StringBuilder? builder = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (IsGsm7(c))
            {
                builder?.Append(c);
                continue;
            }

            var replacement = Replacement(c);
            if (replacement is null)
            {
                builder?.Append(c);
                continue;
            }

            builder ??= new StringBuilder(text.Length).Append(text, 0, i);
            builder.Append(replacement);
        }
        return builder?.ToString() ?? text;
    }

    private static string? Replacement(char c) => c switch
    {
        '\u2018' or '\u2019' or '\u201A' or '\u201B' or '\u2032' or '\u00B4' or '`' or '\u2039' or '\u203A' => "'",
        '\u201C' or '\u201D' or '\u201E' or '\u201F' or '\u2033' or '\u00AB' or '\u00BB' => "\"",
        '\u2010' or '\u2011' or '\u2012' or '\u2013' or '\u2014' or '\u2015' or '\u2212' or '\u2043' => "-",
        '\u2026' => "...",
        '\t' or '\u00A0' or (>= '\u2000' and <= '\u200A') or '\u202F' or '\u205F' or '\u3000' => " ",
        '\u200B' or '\u200C' or '\u200D' or '\u2060' or '\uFEFF' or '\u00AD' => "",
        '\u2022' or '\u2023' or '\u25CF' => "*",
        '\u00B7' => ".",
        '\u2192' => "->",
        '\u2190' => "<-",
        '\u21D2' => "=>",
        '\u2264' => "<=",
        '\u2265' => ">=",
        '\u2260' => "!=",
        '\u00D7' => "x",
        '\u00F7' => "/",
        '\u00B5' or '\u03BC' => "u",
        '\u2122' => "TM",
        '\u00A9' => "(C)",
        '\u00AE' => "(R)",
        '\u0152' => "OE",
        '\u0153' => "oe",
        _ => BaseLatinLetter(c),
    };

    /// <summary>An accented Latin letter without its accents, when that is a GSM letter (á → a, Ś → S).</summary>
    private static string? BaseLatinLetter(char c)
    {
        if (c is < '\u00C0' or > '\u017F')
        {
            return null;
        }
        var decomposed = c.ToString().Normalize(NormalizationForm.FormD);
        return decomposed.Length > 1 && IsGsm7(decomposed[0])
               && decomposed.Skip(1).All(m => CharUnicodeInfo.GetUnicodeCategory(m) == UnicodeCategory.NonSpacingMark)
            ? decomposed[0].ToString()
            : null;
    }

    /// <summary>
    /// A title as one clean line: look-alikes in, line breaks and runs of spaces folded to one space,
    /// control characters dropped, a lone surrogate (broken UTF-16) replaced by '?'. One pass that stops
    /// after <paramref name="maxLength"/> characters of output, so a 4 MB title costs no more than a long one.
    /// </summary>
    internal static string CleanLine(string? text, int maxLength = 4096)
    {
        if (string.IsNullOrEmpty(text)) return "";

        var builder = new StringBuilder(Math.Min(text.Length, maxLength) + 4);
        void Add(char c)
        {
            if (c == ' ' && (builder.Length == 0 || builder[^1] == ' ')) return;
            builder.Append(c);
        }

        for (var i = 0; i < text.Length && builder.Length < maxLength; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                builder.Append(c).Append(text[++i]);
            }
            else if (char.IsSurrogate(c))
            {
                Add('?');
            }
            else if (char.IsWhiteSpace(c))
            {
                Add(' ');
            }
            else if (char.IsControl(c))
            {
                // dropped
            }
            else if (IsGsm7(c) || Replacement(c) is not { } replacement)
            {
                Add(c);
            }
            else
            {
                foreach (var r in replacement) Add(r);
            }
        }
        return builder.ToString().TrimEnd(' ');
    }
}
