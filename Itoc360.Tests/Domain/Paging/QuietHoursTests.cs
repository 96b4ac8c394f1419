using Itoc360.Domain.Incidents;
using Itoc360.Domain.Paging;

namespace Itoc360.Tests.Domain.Paging;

public class QuietHoursTests
{
    private static DateTime Utc(string text) =>
        DateTime.SpecifyKind(DateTime.Parse(text, System.Globalization.CultureInfo.InvariantCulture), DateTimeKind.Utc);

    private static QuietHours Q(string start, string end, string zone) =>
        new(TimeOnly.Parse(start, System.Globalization.CultureInfo.InvariantCulture), TimeOnly.Parse(end, System.Globalization.CultureInfo.InvariantCulture), zone);

    /// <summary>(window, zone, instant, quiet?, when the quiet period ends or null when not quiet).</summary>
    public static TheoryData<string, string, string, string, bool, string?> Cases => new()
    {
        // Berlin summer (UTC+2), a window across midnight.
        { "22:00", "07:00", "Europe/Berlin", "2026-07-14 19:59", false, null },
        { "22:00", "07:00", "Europe/Berlin", "2026-07-14 20:00", true, "2026-07-15 05:00" },
        { "22:00", "07:00", "Europe/Berlin", "2026-07-14 23:30", true, "2026-07-15 05:00" },
        { "22:00", "07:00", "Europe/Berlin", "2026-07-15 04:59", true, "2026-07-15 05:00" },
        { "22:00", "07:00", "Europe/Berlin", "2026-07-15 05:00", false, null },
        { "22:00", "07:00", "Europe/Berlin", "2026-07-15 12:00", false, null },
        // Berlin winter (UTC+1).
        { "22:00", "07:00", "Europe/Berlin", "2026-01-10 21:00", true, "2026-01-11 06:00" },
        { "22:00", "07:00", "Europe/Berlin", "2026-01-10 20:59", false, null },
        // Berlin spring forward, 2026-03-29 01:00Z (02:00 CET -> 03:00 CEST): the night is an hour shorter.
        { "22:00", "07:00", "Europe/Berlin", "2026-03-28 21:00", true, "2026-03-29 05:00" },
        { "22:00", "07:00", "Europe/Berlin", "2026-03-29 00:59", true, "2026-03-29 05:00" },
        { "22:00", "07:00", "Europe/Berlin", "2026-03-29 04:59", true, "2026-03-29 05:00" },
        { "22:00", "07:00", "Europe/Berlin", "2026-03-29 05:00", false, null },
        // ...an end that does not exist (02:30) is the jump past it, 03:00 CEST = 01:00Z.
        { "22:00", "02:30", "Europe/Berlin", "2026-03-29 00:59", true, "2026-03-29 01:00" },
        { "22:00", "02:30", "Europe/Berlin", "2026-03-29 01:00", false, null },
        // ...a start that does not exist begins at the jump.
        { "02:30", "06:00", "Europe/Berlin", "2026-03-29 00:45", false, null },
        { "02:30", "06:00", "Europe/Berlin", "2026-03-29 01:00", true, "2026-03-29 04:00" },
        // ...a window entirely inside the missing hour does not happen that day.
        { "02:10", "02:50", "Europe/Berlin", "2026-03-29 00:30", false, null },
        { "02:10", "02:50", "Europe/Berlin", "2026-03-29 01:00", false, null },
        { "02:10", "02:50", "Europe/Berlin", "2026-03-30 00:20", true, "2026-03-30 00:50" },
        // Berlin fall back, 2026-10-25 01:00Z (03:00 CEST -> 02:00 CET): the night is an hour longer.
        { "22:00", "07:00", "Europe/Berlin", "2026-10-24 20:00", true, "2026-10-25 06:00" },
        { "22:00", "07:00", "Europe/Berlin", "2026-10-25 05:59", true, "2026-10-25 06:00" },
        { "22:00", "07:00", "Europe/Berlin", "2026-10-25 06:00", false, null },
        // ...an end that occurs twice (02:30) is its first occurrence, 02:30 CEST = 00:30Z; the repeated hour is not quiet again.
        { "22:00", "02:30", "Europe/Berlin", "2026-10-25 00:29", true, "2026-10-25 00:30" },
        { "22:00", "02:30", "Europe/Berlin", "2026-10-25 00:30", false, null },
        { "22:00", "02:30", "Europe/Berlin", "2026-10-25 01:15", false, null },
        // ...a start that occurs twice begins at its first occurrence and stays quiet through the repeat.
        { "02:30", "06:00", "Europe/Berlin", "2026-10-25 00:29", false, null },
        { "02:30", "06:00", "Europe/Berlin", "2026-10-25 00:30", true, "2026-10-25 05:00" },
        { "02:30", "06:00", "Europe/Berlin", "2026-10-25 01:15", true, "2026-10-25 05:00" },
        // New York spring forward, 2026-03-08 07:00Z (02:00 EST -> 03:00 EDT).
        { "22:00", "07:00", "America/New_York", "2026-03-08 03:00", true, "2026-03-08 11:00" },
        { "22:00", "07:00", "America/New_York", "2026-03-08 10:59", true, "2026-03-08 11:00" },
        { "22:00", "07:00", "America/New_York", "2026-03-08 02:59", false, null },
        { "01:00", "02:30", "America/New_York", "2026-03-08 06:30", true, "2026-03-08 07:00" },
        { "01:00", "02:30", "America/New_York", "2026-03-08 07:00", false, null },
        // New York fall back, 2026-11-01 06:00Z (02:00 EDT -> 01:00 EST).
        { "23:00", "07:00", "America/New_York", "2026-11-01 03:00", true, "2026-11-01 12:00" },
        { "23:00", "07:00", "America/New_York", "2026-11-01 02:59", false, null },
        { "22:00", "01:30", "America/New_York", "2026-11-01 05:29", true, "2026-11-01 05:30" },
        { "22:00", "01:30", "America/New_York", "2026-11-01 06:15", false, null },
        { "01:30", "05:00", "America/New_York", "2026-11-01 06:15", true, "2026-11-01 10:00" },
        // A window that does not cross midnight, in a zone without DST.
        { "13:00", "14:00", "Asia/Tokyo", "2026-07-14 03:59", false, null },
        { "13:00", "14:00", "Asia/Tokyo", "2026-07-14 04:00", true, "2026-07-14 05:00" },
        { "13:00", "14:00", "Asia/Tokyo", "2026-07-14 04:59", true, "2026-07-14 05:00" },
        { "13:00", "14:00", "Asia/Tokyo", "2026-07-14 05:00", false, null },
        // Half-hour offsets, and a midnight start.
        { "22:00", "07:00", "Asia/Kolkata", "2026-07-14 17:00", true, "2026-07-15 01:30" },
        { "00:00", "06:00", "Asia/Kolkata", "2026-07-14 18:30", true, "2026-07-15 00:30" },
        { "00:00", "06:00", "Asia/Kolkata", "2026-07-14 18:29", false, null },
        // Southern hemisphere: Sydney leaves DST on 2026-04-05 (03:00 AEDT -> 02:00 AEST).
        { "22:00", "07:00", "Australia/Sydney", "2026-04-04 11:00", true, "2026-04-04 21:00" },
        { "22:00", "07:00", "Australia/Sydney", "2026-04-04 10:59", false, null },
        // UTC.
        { "22:00", "07:00", "UTC", "2026-07-14 23:00", true, "2026-07-15 07:00" },
        // Start == end: never quiet.
        { "07:00", "07:00", "Europe/Berlin", "2026-07-15 05:00", false, null },
        { "00:00", "00:00", "Europe/Berlin", "2026-07-14 23:00", false, null },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Knows_when_it_is_quiet_and_when_that_ends(string start, string end, string zone, string at, bool quiet, string? endsAt)
    {
        var hours = Q(start, end, zone);
        var instant = Utc(at);
        Assert.Equal(quiet, hours.IsQuietAt(instant));
        var ends = hours.EndsAfter(instant);
        Assert.Equal(endsAt is null ? instant : Utc(endsAt), ends);
        Assert.Equal(DateTimeKind.Utc, ends.Kind);
    }

    public static TheoryData<string, string, string, string> Weeks => new()
    {
        { "22:00", "07:00", "Europe/Berlin", "2026-03-26" },
        { "22:00", "07:00", "Europe/Berlin", "2026-10-22" },
        { "22:00", "02:30", "Europe/Berlin", "2026-03-26" },
        { "22:00", "02:30", "Europe/Berlin", "2026-10-22" },
        { "02:30", "06:00", "Europe/Berlin", "2026-10-22" },
        { "13:00", "14:00", "Europe/Berlin", "2026-03-26" },
        { "23:00", "07:00", "America/New_York", "2026-03-05" },
        { "22:00", "01:30", "America/New_York", "2026-10-29" },
        { "01:00", "01:45", "America/New_York", "2026-10-29" },
        { "22:00", "07:00", "Australia/Lord_Howe", "2026-04-02" },
        { "21:00", "06:00", "America/Santiago", "2026-09-03" },
        { "00:00", "06:00", "America/Santiago", "2026-09-03" },
        { "00:00", "06:00", "America/Santiago", "2026-04-02" },
    };

    /// <summary>Around every DST change: agrees with the plain wall clock except in a repeated hour, and
    /// <see cref="QuietHours.EndsAfter"/> is the exact first instant that is no longer quiet.</summary>
    [Theory]
    [MemberData(nameof(Weeks))]
    public void Periods_agree_with_the_wall_clock_and_end_exactly(string start, string end, string zone, string from)
    {
        var hours = Q(start, end, zone);
        var (s, e) = (hours.Start, hours.End);
        for (var t = Utc(from); t < Utc(from).AddDays(7); t = t.AddMinutes(5))
        {
            var local = TimeZoneInfo.ConvertTimeFromUtc(t, hours.Zone);
            var clock = TimeOnly.FromDateTime(local);
            var wallQuiet = s < e ? clock >= s && clock < e : clock >= s || clock < e;
            if (!hours.Zone.IsAmbiguousTime(local))
            {
                Assert.True(wallQuiet == hours.IsQuietAt(t), $"{t:u} local {local:HH:mm}");
            }

            var ends = hours.EndsAfter(t);
            if (hours.IsQuietAt(t))
            {
                Assert.True(ends > t);
                Assert.True(ends - t <= TimeSpan.FromHours(25));
                Assert.False(hours.IsQuietAt(ends), $"{t:u} ends {ends:u}");
                Assert.True(hours.IsQuietAt(ends.AddTicks(-1)), $"{t:u} ends {ends:u}");
            }
            else
            {
                Assert.Equal(t, ends);
            }
        }
    }

    [Theory]
    [InlineData(null, "Choose a time zone")]
    [InlineData("", "Choose a time zone")]
    [InlineData("   ", "Choose a time zone")]
    [InlineData("Mars/Olympus_Mons", "Unknown time zone 'Mars/Olympus_Mons'")]
    [InlineData("Europe/Berlín", "not a time zone name")]
    [InlineData("../../etc/passwd", "not a time zone name")]
    [InlineData("/etc/localtime", "not a time zone name")]
    [InlineData("Europe/Berlin\0", "not a time zone name")]
    [InlineData("Europe/Berlin\n", "Unknown time zone")]
    public void Unknown_zones_are_refused_with_a_reason(string? zone, string problemPart)
    {
        var ok = QuietHours.TryCreate(new TimeOnly(22, 0), new TimeOnly(7, 0), zone, out var hours, out var problem);
        if (zone == "Europe/Berlin\n")
        {
            // Surrounding whitespace is trimmed, so this one is fine.
            Assert.True(ok);
            Assert.Equal("Europe/Berlin", hours!.TimeZoneId);
            return;
        }
        Assert.False(ok);
        Assert.Null(hours);
        Assert.Contains(problemPart, problem);
    }

    [Fact]
    public void Very_long_zone_names_are_refused()
    {
        Assert.False(QuietHours.TryCreate(default, default, new string('A', 100_000), out _, out var problem));
        Assert.Contains("not a time zone name", problem);
    }

    [Theory]
    [InlineData("Europe/Berlin", "Europe/Berlin")]
    [InlineData(" America/New_York ", "America/New_York")]
    [InlineData("UTC", "UTC")]
    [InlineData("W. Europe Standard Time", "Europe/Berlin")]
    public void Known_zones_are_accepted_by_iana_id(string zone, string id)
    {
        Assert.True(QuietHours.TryCreate(new TimeOnly(22, 0), new TimeOnly(7, 0), zone, out var hours, out var problem));
        Assert.Null(problem);
        Assert.Equal(id, hours.TimeZoneId);
    }

    [Fact]
    public void The_constructor_is_for_trusted_values_and_throws_on_an_unknown_zone()
    {
        var error = Assert.Throws<ArgumentException>(() => new QuietHours(new TimeOnly(22, 0), new TimeOnly(7, 0), "Nowhere/Land"));
        Assert.Contains("Unknown time zone 'Nowhere/Land'", error.Message);
    }

    [Fact]
    public void Unspecified_times_are_read_as_utc_and_extreme_ones_are_not_quiet()
    {
        var hours = Q("22:00", "07:00", "UTC");
        Assert.True(hours.IsQuietAt(new DateTime(2026, 7, 14, 23, 0, 0, DateTimeKind.Unspecified)));
        Assert.False(hours.IsQuietAt(DateTime.MinValue));
        Assert.False(hours.IsQuietAt(DateTime.MaxValue));
        Assert.Equal(DateTime.SpecifyKind(DateTime.MaxValue, DateTimeKind.Utc), hours.EndsAfter(DateTime.MaxValue));
    }

    private static readonly QuietHours Night = new(new TimeOnly(22, 0), new TimeOnly(7, 0), "Europe/Berlin");
    private static readonly DateTime Midnight = Utc("2026-07-14 22:00"); // 00:00 CEST
    private static readonly DateTime Noon = Utc("2026-07-14 10:00");     // 12:00 CEST

    public static TheoryData<Priority, QuietHours?, DateTime, PageDecision> Decisions => new()
    {
        { Priority.Critical, Night, Midnight, new PageDecision.SendNow() },
        { Priority.High, Night, Midnight, new PageDecision.Hold(Utc("2026-07-15 05:00")) },
        { Priority.Medium, Night, Midnight, new PageDecision.Hold(Utc("2026-07-15 05:00")) },
        { Priority.Low, Night, Midnight, new PageDecision.Hold(Utc("2026-07-15 05:00")) },
        { Priority.Critical, Night, Noon, new PageDecision.SendNow() },
        { Priority.High, Night, Noon, new PageDecision.SendNow() },
        { Priority.Medium, Night, Noon, new PageDecision.SendNow() },
        { Priority.Low, Night, Noon, new PageDecision.SendNow() },
        { Priority.Critical, null, Midnight, new PageDecision.SendNow() },
        { Priority.High, null, Midnight, new PageDecision.SendNow() },
        { Priority.Medium, null, Midnight, new PageDecision.SendNow() },
        { Priority.Low, null, Midnight, new PageDecision.SendNow() },
        { Priority.Low, new QuietHours(new TimeOnly(7, 0), new TimeOnly(7, 0), "Europe/Berlin"), Midnight, new PageDecision.SendNow() },
        // On the fall-back night the hold lasts until 07:00 CET = 06:00Z.
        { Priority.High, Night, Utc("2026-10-25 00:30"), new PageDecision.Hold(Utc("2026-10-25 06:00")) },
    };

    [Theory]
    [MemberData(nameof(Decisions))]
    public void Critical_pages_always_go_and_others_wait_out_quiet_hours(Priority priority, QuietHours? quiet, DateTime now, PageDecision expected) =>
        Assert.Equal(expected, PageTiming.Decide(priority, quiet, now));
}
