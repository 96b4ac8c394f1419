using System.Diagnostics.CodeAnalysis;

namespace Itoc360.Domain.Paging;

/// <summary>
/// A person's nightly (or daily) window without non-critical pages, in their own time zone: quiet while
/// the wall clock there shows a time in [<see cref="Start"/>, <see cref="End"/>). A window may cross
/// midnight (22:00–07:00); <c>Start == End</c> means never quiet.
/// </summary>
/// <remarks>
/// Each local day D has one quiet period, from Start on D to End on D (or on D+1 when the window crosses
/// midnight), and both ends are placed in time by one rule: <b>a wall time is the first instant at which
/// the clock there shows that time or later</b>. So on a spring-forward day a time that does not exist
/// (02:30 in Berlin on 2026-03-29) is the moment the clock jumps past it (03:00 CEST), and on a fall-back
/// day a time that exists twice (01:30 in New York on 2026-11-01) is its first occurrence (01:30 EDT); the
/// repeated hour does not start a second quiet period. <see cref="IsQuietAt"/> and <see cref="EndsAfter"/>
/// both use these periods, so they always agree.
/// </remarks>
public sealed record QuietHours
{
    private QuietHours(TimeOnly start, TimeOnly end, TimeZoneInfo zone, string timeZoneId)
    {
        Start = start;
        End = end;
        Zone = zone;
        TimeZoneId = timeZoneId;
    }

    /// <summary>For trusted values (configuration, tests); throws on an unknown zone. Use <see cref="TryCreate"/> with user data.</summary>
    public QuietHours(TimeOnly start, TimeOnly end, string ianaTimeZone)
        : this(start, end, Resolve(ianaTimeZone))
    {
    }

    private QuietHours(TimeOnly start, TimeOnly end, (TimeZoneInfo Zone, string Id) zone)
        : this(start, end, zone.Zone, zone.Id)
    {
    }

    public TimeOnly Start { get; }
    public TimeOnly End { get; }

    /// <summary>The IANA id (a Windows id given by mistake is stored as its IANA equivalent).</summary>
    public string TimeZoneId { get; }

    public TimeZoneInfo Zone { get; }

    public bool IsNever => Start == End;

    /// <summary>Validates user input: never throws; <paramref name="problem"/> says what is wrong in words a user can act on.</summary>
    public static bool TryCreate(
        TimeOnly start, TimeOnly end, string? ianaTimeZone,
        [NotNullWhen(true)] out QuietHours? quietHours, [NotNullWhen(false)] out string? problem)
    {
        quietHours = null;
        if (!TryFindZone(ianaTimeZone, out var zone, out var id, out problem))
        {
            return false;
        }
        quietHours = new QuietHours(start, end, zone, id);
        return true;
    }

    /// <summary>True when a non-critical page at <paramref name="utc"/> should wait.</summary>
    public bool IsQuietAt(DateTime utc) => PeriodContaining(utc) is not null;

    /// <summary>
    /// When the quiet period around <paramref name="utc"/> ends (UTC); <paramref name="utc"/> itself when it is
    /// not quiet then. A page held at <paramref name="utc"/> goes out at this instant.
    /// </summary>
    public DateTime EndsAfter(DateTime utc) => PeriodContaining(utc)?.End ?? AsUtc(utc);

    /// <summary>The quiet period [Start, End) in UTC that contains <paramref name="utc"/>, if any.</summary>
    public (DateTime Start, DateTime End)? PeriodContaining(DateTime utc)
    {
        utc = AsUtc(utc);
        if (IsNever || utc.Year < 2 || utc.Year > 9998)
        {
            return null;
        }

        var localDay = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(utc, Zone));
        // The period that contains utc began on the local day of utc or the day before; the day after is
        // checked too in case an offset change moves a boundary across midnight.
        for (var offset = -1; offset <= 1; offset++)
        {
            var day = localDay.AddDays(offset);
            var start = FirstInstantShowing(day.ToDateTime(Start));
            var end = FirstInstantShowing((Start < End ? day : day.AddDays(1)).ToDateTime(End));
            if (start <= utc && utc < end)
            {
                return (start, end);
            }
        }
        return null;
    }

    /// <summary>The first UTC instant at which the clock in <see cref="Zone"/> shows <paramref name="wall"/> or later.</summary>
    internal DateTime FirstInstantShowing(DateTime wall)
    {
        wall = DateTime.SpecifyKind(wall, DateTimeKind.Unspecified);
        if (Zone.IsAmbiguousTime(wall))
        {
            // Twice: the first occurrence is the one with the larger offset (still on summer time).
            var offsets = Zone.GetAmbiguousTimeOffsets(wall);
            return DateTime.SpecifyKind(wall - offsets.Max(), DateTimeKind.Utc);
        }
        if (!Zone.IsInvalidTime(wall))
        {
            return TimeZoneInfo.ConvertTimeToUtc(wall, Zone);
        }

        // In a gap: the clock jumps from before the wall time to after it. Bracket the jump with the offsets
        // a day either side and bisect for the first instant whose local time is not before the wall time.
        var before = Zone.GetUtcOffset(DateTime.SpecifyKind(wall.AddDays(-1), DateTimeKind.Utc));
        var after = Zone.GetUtcOffset(DateTime.SpecifyKind(wall.AddDays(1), DateTimeKind.Utc));
        var low = DateTime.SpecifyKind(wall - (before > after ? before : after), DateTimeKind.Utc);
        var high = DateTime.SpecifyKind(wall - (before > after ? after : before), DateTimeKind.Utc);
        while (high.Ticks - low.Ticks > 1)
        {
            var middle = new DateTime(low.Ticks + (high.Ticks - low.Ticks) / 2, DateTimeKind.Utc);
            if (TimeZoneInfo.ConvertTimeFromUtc(middle, Zone) >= wall) high = middle;
            else low = middle;
        }
        return high;
    }

    private static DateTime AsUtc(DateTime time) => time.Kind switch
    {
        DateTimeKind.Utc => time,
        DateTimeKind.Local => time.ToUniversalTime(),
        _ => DateTime.SpecifyKind(time, DateTimeKind.Utc),
    };

    private static (TimeZoneInfo, string) Resolve(string ianaTimeZone) =>
        TryFindZone(ianaTimeZone, out var zone, out var id, out var problem)
            ? (zone, id)
            : throw new ArgumentException(problem, nameof(ianaTimeZone));

    private static bool TryFindZone(
        string? id, [NotNullWhen(true)] out TimeZoneInfo? zone, [NotNullWhen(true)] out string? ianaId, [NotNullWhen(false)] out string? problem)
    {
        zone = null;
        ianaId = null;
        var trimmed = id?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            problem = "Choose a time zone, e.g. Europe/Berlin.";
            return false;
        }
        // Zone ids are short and plain; anything else (paths, control characters) is not looked up at all.
        if (trimmed.Length > 64 || trimmed.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '/' or '_' or '-' or '+' or ' ' or '.'))
            || trimmed.Contains("..", StringComparison.Ordinal) || trimmed.StartsWith('/'))
        {
            problem = "That is not a time zone name; use one like Europe/Berlin or America/New_York.";
            return false;
        }
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(trimmed, out zone))
        {
            problem = $"Unknown time zone '{trimmed}'; use one like Europe/Berlin or America/New_York.";
            return false;
        }

        ianaId = zone.HasIanaId ? zone.Id
            : TimeZoneInfo.TryConvertWindowsIdToIanaId(zone.Id, out var converted) ? converted
            : zone.Id;
        problem = null;
        return true;
    }
}
