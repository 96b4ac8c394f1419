using System.Diagnostics.CodeAnalysis;

namespace Itoc360.Domain.Paging;

/// <summary>How often the rotation hands over to the next person (API: <c>rotation.kind</c>).</summary>
public enum RotationKind
{
    Daily,
    Weekly,
}

/// <summary>
/// An on-call schedule: a rotation through <see cref="UserIds"/> that hands over every day or every week
/// at the wall time <see cref="Handoff"/> in <see cref="TimeZone"/>, plus overrides. Pure: every question
/// takes the instant it is about.
/// </summary>
/// <remarks>
/// <para>
/// Turn <c>k</c> starts at the hand-off on local date <c>Start + k × (1 or 7) days</c> and belongs to
/// <c>UserIds[k mod n]</c>. The rotation runs backwards as well: before <see cref="Start"/> the turns
/// continue the cycle (the turn just before belongs to the last user), so a schedule with people in it
/// never has a gap; <see cref="Start"/> only decides who takes the first turn. Use
/// <see cref="StartForFirstTurnAt"/> to have the first user on call straight away.
/// </para>
/// <para>
/// Hand-offs follow the wall clock, so across a DST change a daily turn lasts 23 or 25 hours. A hand-off
/// time that does not exist that day (inside the spring-forward gap, e.g. 02:30 in Europe/Berlin on
/// 2026-03-29) happens when the clock reads that time plus the gap (03:30), i.e. at the first instant
/// after the gap, as lenient calendar libraries do. A hand-off time that happens twice (inside the
/// fall-back hour, e.g. 02:30 in Europe/Berlin on 2026-10-25) happens at its first occurrence.
/// </para>
/// <para>
/// Shifts are not merged: each rotation turn is its own shift even when the same person follows
/// themselves, and each override piece is its own shift.
/// </para>
/// </remarks>
public sealed class Schedule
{
    public const int MaxNameLength = 100;
    public const int MaxUsers = 100;
    public const int MaxOverrides = 1000;

    /// <summary>Start dates outside these years are refused as typos (and keep date arithmetic in range).</summary>
    public const int MinStartYear = 2000;
    public const int MaxStartYear = 2200;

    private readonly ScheduleOverride[] _overridesOldestFirst;

    private Schedule(string name, RotationKind rotation, TimeOnly handoff, TimeZoneInfo timeZone,
        IReadOnlyList<string> userIds, DateOnly start, IReadOnlyList<ScheduleOverride> overrides)
    {
        Name = name;
        Rotation = rotation;
        Handoff = handoff;
        TimeZone = timeZone;
        UserIds = userIds;
        Start = start;
        Overrides = overrides;
        _overridesOldestFirst = overrides
            .Select((o, i) => (o, i))
            .OrderBy(p => p.o.CreatedAtUtc)
            .ThenBy(p => p.i)
            .Select(p => p.o)
            .ToArray();
    }

    public string Name { get; }
    public RotationKind Rotation { get; }

    /// <summary>The local wall time of every hand-off.</summary>
    public TimeOnly Handoff { get; }

    public TimeZoneInfo TimeZone { get; }

    /// <summary>The rotation order. May be empty: then only overrides put someone on call.</summary>
    public IReadOnlyList<string> UserIds { get; }

    /// <summary>The local date of the hand-off to <c>UserIds[0]</c> that anchors the rotation.</summary>
    public DateOnly Start { get; }

    /// <summary>Overrides as given (their order breaks ties between overrides created at the same instant).</summary>
    public IReadOnlyList<ScheduleOverride> Overrides { get; }

    private int PeriodDays => Rotation == RotationKind.Weekly ? 7 : 1;

    /// <summary>Validates user input; never throws on it. Error keys follow the API's JSON names.</summary>
    public static bool TryCreate(string? name, RotationKind rotation, TimeOnly handoff, string? timeZoneId,
        IReadOnlyList<string?>? userIds, DateOnly start, IReadOnlyList<ScheduleOverride>? overrides,
        [NotNullWhen(true)] out Schedule? schedule, out IReadOnlyDictionary<string, string[]> errors)
    {
        var found = new Dictionary<string, string[]>();
        void Add(string key, string message) =>
            found[key] = found.TryGetValue(key, out var list) ? [.. list, message] : [message];

        if (string.IsNullOrWhiteSpace(name))
        {
            Add("name", "A schedule needs a name.");
        }
        else if (name.Trim().Length > MaxNameLength)
        {
            Add("name", $"A name can have at most {MaxNameLength} characters.");
        }

        if (!Enum.IsDefined(rotation))
        {
            Add("rotation.kind", "The rotation is Daily or Weekly.");
        }

        TimeZoneInfo? zone = null;
        if (string.IsNullOrWhiteSpace(timeZoneId) || !TryFindTimeZone(timeZoneId, out zone))
        {
            Add("timeZone", $"'{timeZoneId}' is not an IANA time zone such as Europe/Berlin.");
        }

        userIds ??= [];
        if (userIds.Count > MaxUsers)
        {
            Add("rotation.userIds", $"A rotation can have at most {MaxUsers} people.");
        }

        for (var i = 0; i < userIds.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(userIds[i]))
            {
                Add($"rotation.userIds[{i}]", "A user id cannot be empty.");
            }
        }

        if (start.Year is < MinStartYear or > MaxStartYear)
        {
            Add("start", $"The first hand-off must be between {MinStartYear} and {MaxStartYear}.");
        }

        overrides ??= [];
        if (overrides.Count > MaxOverrides)
        {
            Add("overrides", $"A schedule can have at most {MaxOverrides} overrides; delete old ones.");
        }

        for (var i = 0; i < overrides.Count; i++)
        {
            var o = overrides[i];
            if (!ScheduleOverride.TryCreate(o.UserId, o.StartUtc, o.EndUtc, o.CreatedAtUtc, out _, out var problems))
            {
                foreach (var (key, messages) in problems)
                {
                    foreach (var message in messages)
                    {
                        Add($"overrides[{i}].{key}", message);
                    }
                }
            }
        }

        errors = found;
        if (found.Count > 0)
        {
            schedule = null;
            return false;
        }

        schedule = new Schedule(name!.Trim(), rotation, handoff, zone!,
            userIds.Select(u => u!.Trim()).ToArray(),
            start,
            overrides.Select(o => o with
            {
                UserId = o.UserId.Trim(),
                StartUtc = ScheduleOverride.AsUtc(o.StartUtc),
                EndUtc = ScheduleOverride.AsUtc(o.EndUtc),
                CreatedAtUtc = ScheduleOverride.AsUtc(o.CreatedAtUtc),
            }).ToArray());
        return true;
    }

    /// <summary>Finds an IANA time zone by id (Windows ids are refused so stored ids stay portable).</summary>
    public static bool TryFindTimeZone(string id, [NotNullWhen(true)] out TimeZoneInfo? zone)
    {
        if (TimeZoneInfo.TryFindSystemTimeZoneById(id.Trim(), out zone) && zone.HasIanaId)
        {
            return true;
        }

        zone = null;
        return false;
    }

    /// <summary>The same schedule with one more override (already validated by <see cref="ScheduleOverride.TryCreate"/>).</summary>
    public Schedule WithOverride(ScheduleOverride added) =>
        new(Name, Rotation, Handoff, TimeZone, UserIds, Start, [.. Overrides, added]);

    /// <summary>
    /// The local date to use as <see cref="Start"/> so that the first user's turn is the one running at
    /// <paramref name="nowUtc"/>: today's date if today's hand-off has passed, otherwise yesterday's.
    /// </summary>
    public static DateOnly StartForFirstTurnAt(DateTime nowUtc, TimeOnly handoff, TimeZoneInfo zone)
    {
        nowUtc = ScheduleOverride.AsUtc(nowUtc);
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(nowUtc, zone));
        return LocalToUtc(today.ToDateTime(handoff), zone) <= nowUtc ? today : today.AddDays(-1);
    }

    /// <summary>Who is on call at <paramref name="utc"/>, and for which stretch; null when nobody is.</summary>
    public ScheduleShift? OnCallAt(DateTime utc)
    {
        utc = ScheduleOverride.AsUtc(utc);
        var shifts = Timeline(utc, utc.AddTicks(1));
        return shifts.Count > 0 ? shifts[0] : null;
    }

    /// <summary>
    /// The next person to go on call after <paramref name="utc"/> who is not the one on call then, and
    /// from when; null when nobody else ever comes (a one-person rotation and no other overrides).
    /// </summary>
    public ScheduleShift? Next(DateTime utc)
    {
        utc = ScheduleOverride.AsUtc(utc);
        var current = OnCallAt(utc);
        var horizon = utc;
        foreach (var o in Overrides)
        {
            if (o.EndUtc > horizon)
            {
                horizon = o.EndUtc;
            }
        }

        if (UserIds.Count > 0)
        {
            // Every user has had a turn within n + 1 periods of any instant (plus a day for DST).
            horizon = horizon.AddDays((UserIds.Count + 1) * PeriodDays + 1);
        }

        foreach (var shift in Timeline(utc, horizon))
        {
            if (shift.FromUtc > utc && shift.UserId != current?.UserId)
            {
                return shift;
            }
        }

        return null;
    }

    /// <summary>
    /// Every shift that overlaps [<paramref name="fromUtc"/>, <paramref name="untilUtc"/>), in order,
    /// with their full bounds (the first may start before the window, the last end after it).
    /// Gaps (nobody on call) are left out.
    /// </summary>
    public IReadOnlyList<ScheduleShift> Timeline(DateTime fromUtc, DateTime untilUtc)
    {
        fromUtc = ScheduleOverride.AsUtc(fromUtc);
        untilUtc = ScheduleOverride.AsUtc(untilUtc);
        if (untilUtc <= fromUtc)
        {
            return [];
        }

        // Widen the window so the pieces at its edges are computed whole: a piece lies within its
        // rotation turn or within its override.
        var lo = fromUtc;
        var hi = untilUtc;
        var last = untilUtc.AddTicks(-1);
        if (UserIds.Count > 0)
        {
            lo = Min(lo, HandoffUtc(TurnAt(fromUtc)));
            hi = Max(hi, HandoffUtc(TurnAt(last) + 1));
        }

        foreach (var o in Overrides)
        {
            if (o.Covers(fromUtc))
            {
                lo = Min(lo, o.StartUtc);
            }

            if (o.Covers(last))
            {
                hi = Max(hi, o.EndUtc);
            }
        }

        var bounds = new SortedSet<DateTime> { lo, hi };
        if (UserIds.Count > 0)
        {
            for (var turn = TurnAt(lo) + 1; HandoffUtc(turn) < hi; turn++)
            {
                bounds.Add(HandoffUtc(turn));
            }
        }

        foreach (var o in Overrides)
        {
            if (o.StartUtc > lo && o.StartUtc < hi)
            {
                bounds.Add(o.StartUtc);
            }

            if (o.EndUtc > lo && o.EndUtc < hi)
            {
                bounds.Add(o.EndUtc);
            }
        }

        var shifts = new List<ScheduleShift>();
        (string User, ScheduleOverride? Override, long Turn)? open = null;
        var openFrom = lo;
        var points = bounds.ToArray();
        for (var i = 0; i < points.Length; i++)
        {
            var source = i < points.Length - 1 ? SourceAt(points[i]) : null;
            if (open is { } o && source is { } s && ReferenceEquals(o.Override, s.Override) && o.Turn == s.Turn && o.User == s.User)
            {
                continue;
            }

            if (open is { } closing)
            {
                var shift = new ScheduleShift(closing.User, openFrom, points[i], closing.Override);
                if (shift.UntilUtc > fromUtc && shift.FromUtc < untilUtc)
                {
                    shifts.Add(shift);
                }
            }

            open = source;
            openFrom = points[i];
        }

        return shifts;
    }

    /// <summary>Who is on call at an instant and why: the newest covering override, else the rotation turn.</summary>
    private (string User, ScheduleOverride? Override, long Turn)? SourceAt(DateTime utc)
    {
        for (var i = _overridesOldestFirst.Length - 1; i >= 0; i--)
        {
            var o = _overridesOldestFirst[i];
            if (o.Covers(utc))
            {
                return (o.UserId, o, 0);
            }
        }

        if (UserIds.Count == 0)
        {
            return null;
        }

        var turn = TurnAt(utc);
        var n = UserIds.Count;
        return (UserIds[(int)(((turn % n) + n) % n)], null, turn);
    }

    /// <summary>The rotation turn running at <paramref name="utc"/> (0 = the first user's turn at <see cref="Start"/>).</summary>
    private long TurnAt(DateTime utc)
    {
        var localDate = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(utc, TimeZone));
        var turn = (long)Math.Floor((localDate.DayNumber - Start.DayNumber) / (double)PeriodDays);
        while (HandoffUtc(turn) > utc)
        {
            turn--;
        }

        while (HandoffUtc(turn + 1) <= utc)
        {
            turn++;
        }

        return turn;
    }

    /// <summary>The instant of the hand-off that starts turn <paramref name="turn"/>.</summary>
    internal DateTime HandoffUtc(long turn) =>
        LocalToUtc(Start.AddDays(checked((int)(turn * PeriodDays))).ToDateTime(Handoff), TimeZone);

    /// <summary>
    /// A wall time in <paramref name="zone"/> as UTC: a time inside a spring-forward gap moves forward by
    /// the gap; a time inside a fall-back overlap takes its first occurrence.
    /// </summary>
    internal static DateTime LocalToUtc(DateTime local, TimeZoneInfo zone)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        TimeSpan offset;
        if (zone.IsInvalidTime(local))
        {
            // The offset in force before the gap: reading the wall time with it lands after the gap.
            offset = zone.GetUtcOffset(local.AddDays(-1));
        }
        else if (zone.IsAmbiguousTime(local))
        {
            offset = zone.GetAmbiguousTimeOffsets(local).Max();
        }
        else
        {
            offset = zone.GetUtcOffset(local);
        }

        return DateTime.SpecifyKind(local - offset, DateTimeKind.Utc);
    }

    private static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;
    private static DateTime Max(DateTime a, DateTime b) => a > b ? a : b;
}
