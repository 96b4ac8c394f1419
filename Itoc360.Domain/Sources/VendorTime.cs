using System.Globalization;
using System.Text.RegularExpressions;

namespace Itoc360.Domain.Sources;

/// <summary>
/// Defensive readers for the timestamp formats vendors send. Each returns a UTC <see cref="DateTime"/>,
/// or null when the text cannot be read; none throws.
/// </summary>
public static partial class VendorTime
{
    private const int MaxLength = 64;

    /// <summary>Seconds between 1970 and this are read as seconds; larger numbers as milliseconds (1e11 s is the year 5138, 1e11 ms is 1973).</summary>
    public const long MillisecondsThreshold = 100_000_000_000;

    private static readonly Dictionary<string, int> ZoneHours = new(StringComparer.OrdinalIgnoreCase)
    {
        ["UT"] = 0, ["UTC"] = 0, ["GMT"] = 0, ["Z"] = 0,
        ["EST"] = -5, ["EDT"] = -4, ["CST"] = -6, ["CDT"] = -5,
        ["MST"] = -7, ["MDT"] = -6, ["PST"] = -8, ["PDT"] = -7,
    };

    private static readonly string[] Months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

    /// <summary>ISO-8601 (<c>2026-11-20T08:15:02Z</c>, milliseconds optional); text without an offset is taken as UTC.</summary>
    public static DateTime? ParseIso8601(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Length > MaxLength)
        {
            return null;
        }

        return DateTimeOffset.TryParse(text.Trim(), CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out var value)
            ? value.UtcDateTime
            : null;
    }

    /// <summary>RFC 2822 (<c>Tue, 09 Aug 2022 16:51:20 +0000</c>): day name and seconds optional, numeric or named zones; falls back to a lenient parse.</summary>
    public static DateTime? ParseRfc2822(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Length > MaxLength)
        {
            return null;
        }

        var match = Rfc2822().Match(text.Trim());
        if (!match.Success)
        {
            return ParseIso8601(text);
        }

        var month = Array.IndexOf(Months, match.Groups["month"].Value[..3].ToLowerInvariant()) + 1;
        var year = int.Parse(match.Groups["year"].Value, CultureInfo.InvariantCulture);
        if (match.Groups["year"].Length == 2)
        {
            year += year < 50 ? 2000 : 1900;
        }

        var offset = TimeSpan.Zero;
        var zone = match.Groups["zone"].Value;
        if (zone.Length == 5 && zone[0] is '+' or '-')
        {
            var minutes = int.Parse(zone[1..3], CultureInfo.InvariantCulture) * 60 + int.Parse(zone[3..], CultureInfo.InvariantCulture);
            offset = TimeSpan.FromMinutes(zone[0] == '-' ? -minutes : minutes);
        }
        else if (zone.Length > 0 && ZoneHours.TryGetValue(zone, out var hours))
        {
            offset = TimeSpan.FromHours(hours);
        }

        var seconds = match.Groups["second"].Success ? int.Parse(match.Groups["second"].Value, CultureInfo.InvariantCulture) : 0;
        return TryBuild(year, month, Int(match, "day"), Int(match, "hour"), Int(match, "minute"), seconds, 0, offset);
    }

    /// <summary>Unix time as text, in seconds or milliseconds (decided by magnitude); fractions allowed.</summary>
    public static DateTime? ParseUnix(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Length > MaxLength ||
            !decimal.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || number <= 0)
        {
            return null;
        }

        var milliseconds = number >= MillisecondsThreshold ? number : number * 1000;
        if (milliseconds > (decimal)DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
        {
            return null;
        }

        return DateTimeOffset.FromUnixTimeMilliseconds((long)milliseconds).UtcDateTime;
    }

    /// <summary>Compact ISO-8601 as Alibaba Cloud events send it (<c>20230217T103516.475+0800</c>); falls back to <see cref="ParseIso8601"/>.</summary>
    public static DateTime? ParseCompact(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Length > MaxLength)
        {
            return null;
        }

        var match = Compact().Match(text.Trim());
        if (!match.Success)
        {
            return ParseIso8601(text);
        }

        var offset = TimeSpan.Zero;
        var zone = match.Groups["zone"].Value.Replace(":", "", StringComparison.Ordinal);
        if (zone.Length == 5)
        {
            var minutes = int.Parse(zone[1..3], CultureInfo.InvariantCulture) * 60 + int.Parse(zone[3..], CultureInfo.InvariantCulture);
            offset = TimeSpan.FromMinutes(zone[0] == '-' ? -minutes : minutes);
        }

        var fraction = match.Groups["fraction"].Value;
        var ticks = fraction.Length == 0 ? 0 : int.Parse(fraction.PadRight(7, '0'), CultureInfo.InvariantCulture);
        return TryBuild(Int(match, "year"), Int(match, "month"), Int(match, "day"),
            Int(match, "hour"), Int(match, "minute"), Int(match, "second"), ticks, offset);
    }

    private static int Int(Match match, string group) => int.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture);

    private static DateTime? TryBuild(int year, int month, int day, int hour, int minute, int second, long ticks, TimeSpan offset)
    {
        if (year is < 1000 or > 9998 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) ||
            hour > 23 || minute > 59 || second > 60 || offset.Duration() > TimeSpan.FromHours(14))
        {
            return null;
        }

        // A leap second (:60) is read as the next second.
        var local = new DateTime(year, month, day, hour, minute, Math.Min(second, 59), DateTimeKind.Unspecified).AddTicks(ticks);
        if (second == 60)
        {
            local = local.AddSeconds(1);
        }

        return new DateTimeOffset(local, offset).UtcDateTime;
    }

    [GeneratedRegex(@"^(?:[A-Za-z]{3,9},?\s+)?(?<day>\d{1,2})\s+(?<month>(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*)\.?\s+(?<year>\d{2}|\d{4})\s+(?<hour>\d{1,2}):(?<minute>\d{2})(?::(?<second>\d{2}))?(?:\s*(?<zone>[+-]\d{4}|[A-Za-z]{1,3}))?(?:\s*\([^)]*\))?$", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex Rfc2822();

    [GeneratedRegex(@"^(?<year>\d{4})(?<month>\d{2})(?<day>\d{2})T(?<hour>\d{2})(?<minute>\d{2})(?<second>\d{2})(?:[.,](?<fraction>\d{1,7}))?(?<zone>Z|[+-]\d{2}:?\d{2})?$", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex Compact();
}
