using Itoc360.Domain.Paging;

namespace Itoc360.Tests.Domain.Paging;

public class ScheduleTests
{
    private static DateTime Utc(int y, int mo, int d, int h, int mi = 0) => new(y, mo, d, h, mi, 0, DateTimeKind.Utc);

    private static Schedule Make(RotationKind kind, string handoff, string zone, DateOnly start, string[] users,
        params ScheduleOverride[] overrides)
    {
        Assert.True(Schedule.TryCreate("Ops", kind, TimeOnly.Parse(handoff), zone, users, start, overrides,
            out var schedule, out var errors), string.Join("; ", errors.SelectMany(e => e.Value)));
        return schedule;
    }

    private static Schedule Daily(string handoff, string zone, DateOnly start, params string[] users) =>
        Make(RotationKind.Daily, handoff, zone, start, users);

    /// <summary>Hand-offs at 09:00 local on three consecutive days around each 2026 DST change: the turn across the change lasts 23 or 25 hours.</summary>
    public static TheoryData<string, DateOnly, DateTime, DateTime, DateTime, DateTime> DstDays => new()
    {
        // Europe/Berlin springs forward on 2026-03-29 (CET +1 → CEST +2).
        { "Europe/Berlin", new DateOnly(2026, 3, 27), Utc(2026, 3, 27, 8), Utc(2026, 3, 28, 8), Utc(2026, 3, 29, 7), Utc(2026, 3, 30, 7) },
        // Europe/Berlin falls back on 2026-10-25 (CEST +2 → CET +1).
        { "Europe/Berlin", new DateOnly(2026, 10, 23), Utc(2026, 10, 23, 7), Utc(2026, 10, 24, 7), Utc(2026, 10, 25, 8), Utc(2026, 10, 26, 8) },
        // America/New_York springs forward on 2026-03-08 (EST -5 → EDT -4).
        { "America/New_York", new DateOnly(2026, 3, 6), Utc(2026, 3, 6, 14), Utc(2026, 3, 7, 14), Utc(2026, 3, 8, 13), Utc(2026, 3, 9, 13) },
        // America/New_York falls back on 2026-11-01 (EDT -4 → EST -5).
        { "America/New_York", new DateOnly(2026, 10, 30), Utc(2026, 10, 30, 13), Utc(2026, 10, 31, 13), Utc(2026, 11, 1, 14), Utc(2026, 11, 2, 14) },
    };

    [Theory]
    [MemberData(nameof(DstDays))]
    public void Daily_hand_offs_follow_the_wall_clock_across_DST(string zone, DateOnly start, DateTime h0, DateTime h1, DateTime h2, DateTime h3)
    {
        var schedule = Daily("09:00", zone, start, "a", "b", "c");

        Assert.Equal(new ScheduleShift("a", h0, h1), schedule.OnCallAt(h0));
        Assert.Equal(new ScheduleShift("a", h0, h1), schedule.OnCallAt(h1.AddTicks(-1)));
        Assert.Equal(new ScheduleShift("b", h1, h2), schedule.OnCallAt(h1));
        Assert.Equal(new ScheduleShift("c", h2, h3), schedule.OnCallAt(h2.AddMinutes(30)));
        Assert.Equal(TimeSpan.FromHours(24), h1 - h0);
        Assert.Equal(TimeSpan.FromHours(24), h3 - h2);
    }

    [Fact]
    public void A_turn_that_spans_a_DST_change_is_23_or_25_hours_long()
    {
        var spring = Daily("09:00", "Europe/Berlin", new DateOnly(2026, 3, 28), "a").OnCallAt(Utc(2026, 3, 28, 12))!.Value;
        var autumn = Daily("09:00", "Europe/Berlin", new DateOnly(2026, 10, 24), "a").OnCallAt(Utc(2026, 10, 24, 12))!.Value;
        Assert.Equal(TimeSpan.FromHours(23), spring.UntilUtc - spring.FromUtc);
        Assert.Equal(TimeSpan.FromHours(25), autumn.UntilUtc - autumn.FromUtc);
    }

    /// <summary>Hand-off wall times that do not exist (spring gap) move forward by the gap; ones that happen twice (autumn) take the first.</summary>
    public static TheoryData<string, string, DateOnly, DateTime> SkippedAndRepeated => new()
    {
        // 02:30 does not exist in Berlin on 2026-03-29: the hand-off is at 03:30 CEST.
        { "Europe/Berlin", "02:30", new DateOnly(2026, 3, 29), Utc(2026, 3, 29, 1, 30) },
        // 02:00 (the very start of the gap) becomes 03:00 CEST.
        { "Europe/Berlin", "02:00", new DateOnly(2026, 3, 29), Utc(2026, 3, 29, 1, 0) },
        // 02:30 happens twice in Berlin on 2026-10-25: the first time is 02:30 CEST.
        { "Europe/Berlin", "02:30", new DateOnly(2026, 10, 25), Utc(2026, 10, 25, 0, 30) },
        // 02:30 does not exist in New York on 2026-03-08: 03:30 EDT.
        { "America/New_York", "02:30", new DateOnly(2026, 3, 8), Utc(2026, 3, 8, 7, 30) },
        // 01:30 happens twice in New York on 2026-11-01: the first time is 01:30 EDT.
        { "America/New_York", "01:30", new DateOnly(2026, 11, 1), Utc(2026, 11, 1, 5, 30) },
    };

    [Theory]
    [MemberData(nameof(SkippedAndRepeated))]
    public void Hand_offs_at_missing_or_repeated_wall_times_are_resolved_sensibly(string zone, string handoff, DateOnly day, DateTime expected)
    {
        var schedule = Daily(handoff, zone, day.AddDays(-1), "a", "b");

        var shift = schedule.OnCallAt(expected)!.Value;
        Assert.Equal(new ScheduleShift("b", expected, shift.UntilUtc), shift);
        Assert.Equal("a", schedule.OnCallAt(expected.AddTicks(-1))!.Value.UserId);
    }

    [Fact]
    public void The_day_after_a_skipped_hand_off_the_wall_time_is_honoured_again()
    {
        var schedule = Daily("02:30", "Europe/Berlin", new DateOnly(2026, 3, 28), "a", "b", "c");

        // 03-28 02:30 CET, 03-29 03:30 CEST (gap), 03-30 02:30 CEST.
        Assert.Equal(new ScheduleShift("a", Utc(2026, 3, 28, 1, 30), Utc(2026, 3, 29, 1, 30)), schedule.OnCallAt(Utc(2026, 3, 28, 12)));
        Assert.Equal(new ScheduleShift("b", Utc(2026, 3, 29, 1, 30), Utc(2026, 3, 30, 0, 30)), schedule.OnCallAt(Utc(2026, 3, 29, 12)));
    }

    [Fact]
    public void Weekly_rotation_hands_over_every_seven_local_days()
    {
        // Monday 2026-03-23 09:00 CET = 08:00Z; the next Monday is after the DST change: 09:00 CEST = 07:00Z.
        var schedule = Make(RotationKind.Weekly, "09:00", "Europe/Berlin", new DateOnly(2026, 3, 23), ["a", "b"]);

        Assert.Equal(new ScheduleShift("a", Utc(2026, 3, 23, 8), Utc(2026, 3, 30, 7)), schedule.OnCallAt(Utc(2026, 3, 26, 3)));
        Assert.Equal(new ScheduleShift("b", Utc(2026, 3, 30, 7), Utc(2026, 4, 6, 7)), schedule.OnCallAt(Utc(2026, 3, 30, 7)));
        Assert.Equal("a", schedule.OnCallAt(Utc(2026, 4, 7, 0))!.Value.UserId);
    }

    [Theory]
    [InlineData(2026, 3, 27, 12, "a")]
    [InlineData(2026, 3, 28, 12, "b")]
    [InlineData(2026, 3, 29, 12, "c")]
    [InlineData(2026, 3, 30, 12, "a")]
    [InlineData(2026, 4, 1, 8, "b")] // 08:00 is still the turn that began on 03-31 (turn 4)
    [InlineData(2026, 3, 27, 7, "c")] // before the first hand-off the cycle runs backwards
    [InlineData(2026, 3, 25, 12, "b")]
    [InlineData(2025, 3, 27, 12, "b")] // turn -365, and -365 ≡ 1 (mod 3)
    public void The_rotation_cycles_through_the_users_in_order(int y, int mo, int d, int h, string expected)
    {
        var schedule = Daily("09:00", "UTC", new DateOnly(2026, 3, 27), "a", "b", "c");
        Assert.Equal(expected, schedule.OnCallAt(Utc(y, mo, d, h))!.Value.UserId);
    }

    [Fact]
    public void An_override_covers_part_of_a_turn_and_the_rotation_resumes_after_it()
    {
        var schedule = Make(RotationKind.Daily, "08:00", "UTC", new DateOnly(2026, 5, 4), ["a", "b"],
            new ScheduleOverride("x", Utc(2026, 5, 4, 10), Utc(2026, 5, 4, 12), Utc(2026, 5, 1, 0)));

        Assert.Equal(
            [
                new ScheduleShift("a", Utc(2026, 5, 4, 8), Utc(2026, 5, 4, 10)),
                new ScheduleShift("x", Utc(2026, 5, 4, 10), Utc(2026, 5, 4, 12), schedule.Overrides[0]),
                new ScheduleShift("a", Utc(2026, 5, 4, 12), Utc(2026, 5, 5, 8)),
                new ScheduleShift("b", Utc(2026, 5, 5, 8), Utc(2026, 5, 6, 8)),
            ],
            schedule.Timeline(Utc(2026, 5, 4, 9), Utc(2026, 5, 5, 9)));
        Assert.True(schedule.OnCallAt(Utc(2026, 5, 4, 11))!.Value.IsOverride);
        Assert.Equal(new ScheduleShift("a", Utc(2026, 5, 4, 12), Utc(2026, 5, 5, 8)), schedule.OnCallAt(Utc(2026, 5, 4, 12)));
    }

    [Fact]
    public void Where_overrides_overlap_the_one_created_last_wins()
    {
        var older = new ScheduleOverride("x", Utc(2026, 5, 4, 10), Utc(2026, 5, 4, 14), Utc(2026, 5, 1, 0));
        var newer = new ScheduleOverride("y", Utc(2026, 5, 4, 12), Utc(2026, 5, 4, 13), Utc(2026, 5, 2, 0));

        // Listed newest first to show that the creation time decides, not the list order.
        var schedule = Make(RotationKind.Daily, "08:00", "UTC", new DateOnly(2026, 5, 4), ["a"], newer, older);

        Assert.Equal(
            [
                new ScheduleShift("x", Utc(2026, 5, 4, 10), Utc(2026, 5, 4, 12), older),
                new ScheduleShift("y", Utc(2026, 5, 4, 12), Utc(2026, 5, 4, 13), newer),
                new ScheduleShift("x", Utc(2026, 5, 4, 13), Utc(2026, 5, 4, 14), older),
            ],
            schedule.Timeline(Utc(2026, 5, 4, 10), Utc(2026, 5, 4, 14)));
    }

    [Fact]
    public void An_older_override_inside_a_newer_one_is_hidden_and_ties_go_to_the_later_in_the_list()
    {
        var created = Utc(2026, 5, 1, 0);
        var inner = new ScheduleOverride("x", Utc(2026, 5, 4, 11), Utc(2026, 5, 4, 12), created.AddDays(-1));
        var outer = new ScheduleOverride("y", Utc(2026, 5, 4, 10), Utc(2026, 5, 4, 14), created);
        var tie = new ScheduleOverride("z", Utc(2026, 5, 4, 10), Utc(2026, 5, 4, 14), created);

        var hidden = Make(RotationKind.Daily, "08:00", "UTC", new DateOnly(2026, 5, 4), ["a"], inner, outer);
        Assert.Equal([new ScheduleShift("y", Utc(2026, 5, 4, 10), Utc(2026, 5, 4, 14), outer)],
            hidden.Timeline(Utc(2026, 5, 4, 10), Utc(2026, 5, 4, 14)));

        var tied = Make(RotationKind.Daily, "08:00", "UTC", new DateOnly(2026, 5, 4), ["a"], outer, tie);
        Assert.Equal("z", tied.OnCallAt(Utc(2026, 5, 4, 11))!.Value.UserId);
    }

    [Fact]
    public void An_override_that_starts_before_the_window_is_reported_whole()
    {
        var cover = new ScheduleOverride("x", Utc(2026, 5, 1, 0), Utc(2026, 5, 10, 0), Utc(2026, 4, 1, 0));
        var schedule = Make(RotationKind.Daily, "08:00", "UTC", new DateOnly(2026, 5, 4), ["a", "b"], cover);

        Assert.Equal(new ScheduleShift("x", Utc(2026, 5, 1, 0), Utc(2026, 5, 10, 0), cover), schedule.OnCallAt(Utc(2026, 5, 5, 0)));
    }

    [Fact]
    public void A_schedule_without_users_has_nobody_on_call_except_through_overrides()
    {
        var empty = Make(RotationKind.Daily, "08:00", "UTC", new DateOnly(2026, 5, 4), []);
        Assert.Null(empty.OnCallAt(Utc(2026, 5, 4, 12)));
        Assert.Null(empty.Next(Utc(2026, 5, 4, 12)));
        Assert.Empty(empty.Timeline(Utc(2026, 5, 1, 0), Utc(2026, 6, 1, 0)));

        var cover = new ScheduleOverride("x", Utc(2026, 5, 4, 10), Utc(2026, 5, 4, 12), Utc(2026, 5, 1, 0));
        var covered = empty.WithOverride(cover);
        Assert.Null(covered.OnCallAt(Utc(2026, 5, 4, 9)));
        Assert.Equal(new ScheduleShift("x", Utc(2026, 5, 4, 10), Utc(2026, 5, 4, 12), cover), covered.Next(Utc(2026, 5, 4, 9)));
        Assert.Equal(new ScheduleShift("x", Utc(2026, 5, 4, 10), Utc(2026, 5, 4, 12), cover), covered.OnCallAt(Utc(2026, 5, 4, 10)));
        Assert.Null(covered.OnCallAt(Utc(2026, 5, 4, 12)));
        Assert.Null(covered.Next(Utc(2026, 5, 4, 11)));
    }

    [Fact]
    public void Next_is_the_next_different_person_and_when_they_take_over()
    {
        var schedule = Daily("09:00", "Europe/Berlin", new DateOnly(2026, 3, 27), "a", "b");
        Assert.Equal(new ScheduleShift("b", Utc(2026, 3, 28, 8), Utc(2026, 3, 29, 7)), schedule.Next(Utc(2026, 3, 27, 12)));

        // A repeats in the rotation order (a, a, b): the next person is still b.
        var repeated = Daily("09:00", "UTC", new DateOnly(2026, 3, 27), "a", "a", "b");
        Assert.Equal("b", repeated.Next(Utc(2026, 3, 27, 12))!.Value.UserId);
        Assert.Equal(Utc(2026, 3, 29, 9), repeated.Next(Utc(2026, 3, 27, 12))!.Value.FromUtc);
    }

    [Fact]
    public void Next_skips_an_override_of_the_same_person_and_finds_the_cover_of_a_one_person_rotation()
    {
        var sameUser = new ScheduleOverride("a", Utc(2026, 5, 5, 7), Utc(2026, 5, 5, 12), Utc(2026, 5, 1, 0));
        var schedule = Make(RotationKind.Daily, "08:00", "UTC", new DateOnly(2026, 5, 4), ["a", "b"], sameUser);
        Assert.Equal(new ScheduleShift("b", Utc(2026, 5, 5, 12), Utc(2026, 5, 6, 8)), schedule.Next(Utc(2026, 5, 4, 9)));

        var alone = Daily("08:00", "UTC", new DateOnly(2026, 5, 4), "a");
        Assert.Null(alone.Next(Utc(2026, 5, 4, 9)));

        var holiday = new ScheduleOverride("x", Utc(2026, 8, 1, 0), Utc(2026, 8, 15, 0), Utc(2026, 5, 1, 0));
        Assert.Equal(new ScheduleShift("x", Utc(2026, 8, 1, 0), Utc(2026, 8, 15, 0), holiday), alone.WithOverride(holiday).Next(Utc(2026, 5, 4, 9)));
    }

    [Fact]
    public void The_timeline_lists_every_turn_overlapping_the_window_with_full_bounds()
    {
        var schedule = Daily("09:00", "UTC", new DateOnly(2026, 5, 4), "a", "b", "c");

        var shifts = schedule.Timeline(Utc(2026, 5, 4, 12), Utc(2026, 5, 7, 9));
        Assert.Equal(["a", "b", "c"], shifts.Select(s => s.UserId));
        Assert.Equal(Utc(2026, 5, 4, 9), shifts[0].FromUtc);
        Assert.Equal(Utc(2026, 5, 7, 9), shifts[^1].UntilUtc);
        Assert.All(shifts.Zip(shifts.Skip(1)), pair => Assert.Equal(pair.First.UntilUtc, pair.Second.FromUtc));

        Assert.Empty(schedule.Timeline(Utc(2026, 5, 4, 12), Utc(2026, 5, 4, 12)));
        Assert.Equal(4, schedule.Timeline(Utc(2026, 5, 4, 12), Utc(2026, 5, 7, 9, 1)).Count);
    }

    [Fact]
    public void Unspecified_kind_times_are_read_as_UTC()
    {
        var schedule = Daily("09:00", "UTC", new DateOnly(2026, 5, 4), "a", "b");
        var unspecified = new DateTime(2026, 5, 5, 9, 0, 0, DateTimeKind.Unspecified);
        Assert.Equal(new ScheduleShift("b", Utc(2026, 5, 5, 9), Utc(2026, 5, 6, 9)), schedule.OnCallAt(unspecified));
    }

    [Theory]
    [InlineData("2026-03-27T07:00:00Z", "2026-03-26")] // 08:00 CET: today's 09:00 hand-off is still ahead
    [InlineData("2026-03-27T08:00:00Z", "2026-03-27")]
    [InlineData("2026-03-27T23:30:00Z", "2026-03-27")] // 00:30 local on the 28th: that day's hand-off is ahead
    public void StartForFirstTurnAt_puts_the_first_user_on_call_now(string now, string expected)
    {
        var nowUtc = DateTime.Parse(now, null, System.Globalization.DateTimeStyles.AdjustToUniversal);
        Assert.True(Schedule.TryFindTimeZone("Europe/Berlin", out var zone));
        var start = Schedule.StartForFirstTurnAt(nowUtc, new TimeOnly(9, 0), zone);

        var schedule = Daily("09:00", "Europe/Berlin", start, "first", "second");
        Assert.Equal("first", schedule.OnCallAt(nowUtc)!.Value.UserId);
        Assert.Equal(DateOnly.Parse(expected), start);
    }

    [Fact]
    public void A_valid_schedule_has_no_errors_and_is_trimmed()
    {
        Assert.True(Schedule.TryCreate(" Ops ", RotationKind.Weekly, new TimeOnly(9, 0), "America/New_York", [" a ", "b"],
            new DateOnly(2026, 1, 5), null, out var schedule, out var errors));
        Assert.Empty(errors);
        Assert.Equal("Ops", schedule.Name);
        Assert.Equal(["a", "b"], schedule.UserIds);
        Assert.Equal("America/New_York", schedule.TimeZone.Id);
    }

    public static TheoryData<string?, string?, string?[], int, string> InvalidSchedules => new()
    {
        { "", "UTC", ["a"], 2026, "name" },
        { new string('n', 101), "UTC", ["a"], 2026, "name" },
        { "Ops", "Mars/Olympus", ["a"], 2026, "timeZone" },
        { "Ops", null, ["a"], 2026, "timeZone" },
        { "Ops", "W. Europe Standard Time", ["a"], 2026, "timeZone" },
        { "Ops", "UTC", ["a", " "], 2026, "rotation.userIds[1]" },
        { "Ops", "UTC", ["a", null], 2026, "rotation.userIds[1]" },
        { "Ops", "UTC", Enumerable.Repeat("u", 101).ToArray(), 2026, "rotation.userIds" },
        { "Ops", "UTC", ["a"], 1999, "start" },
        { "Ops", "UTC", ["a"], 2201, "start" },
    };

    [Theory]
    [MemberData(nameof(InvalidSchedules))]
    public void Invalid_input_is_reported_under_its_field_without_throwing(string? name, string? zone, string?[] users, int year, string field)
    {
        Assert.False(Schedule.TryCreate(name, RotationKind.Daily, new TimeOnly(9, 0), zone, users, new DateOnly(year, 1, 1), null,
            out var schedule, out var errors));
        Assert.Null(schedule);
        Assert.Equal([field], errors.Keys);
        Assert.NotEmpty(errors[field][0]);
    }

    [Fact]
    public void An_undefined_rotation_kind_is_refused()
    {
        Assert.False(Schedule.TryCreate("Ops", (RotationKind)7, new TimeOnly(9, 0), "UTC", ["a"], new DateOnly(2026, 1, 1), null, out _, out var errors));
        Assert.Equal(["rotation.kind"], errors.Keys);
    }

    public static TheoryData<string?, DateTime, DateTime, string> InvalidOverrides => new()
    {
        { " ", Utc(2026, 5, 4, 10), Utc(2026, 5, 4, 12), "userId" },
        { "x", Utc(2026, 5, 4, 12), Utc(2026, 5, 4, 12), "end" },
        { "x", Utc(2026, 5, 4, 12), Utc(2026, 5, 4, 10), "end" },
        { "x", Utc(2026, 5, 4, 12), Utc(2027, 5, 6, 12), "end" },
        { "x", new DateTime(2026, 5, 4, 10, 0, 0, DateTimeKind.Local), Utc(2026, 5, 5, 12), "start" },
    };

    [Theory]
    [MemberData(nameof(InvalidOverrides))]
    public void Invalid_overrides_are_refused(string? user, DateTime start, DateTime end, string field)
    {
        Assert.False(ScheduleOverride.TryCreate(user, start, end, Utc(2026, 5, 1, 0), out var value, out var errors));
        Assert.Null(value);
        Assert.Contains(field, errors.Keys);

        var bad = new ScheduleOverride(user!, start, end, Utc(2026, 5, 1, 0));
        Assert.False(Schedule.TryCreate("Ops", RotationKind.Daily, new TimeOnly(9, 0), "UTC", ["a"], new DateOnly(2026, 1, 1), [bad], out _, out var scheduleErrors));
        Assert.Contains($"overrides[0].{field}", scheduleErrors.Keys);
    }

    [Fact]
    public void A_valid_override_is_trimmed_and_made_UTC()
    {
        Assert.True(ScheduleOverride.TryCreate(" x ", new DateTime(2026, 5, 4, 10, 0, 0), Utc(2026, 5, 4, 12), Utc(2026, 5, 1, 0), out var value, out var errors));
        Assert.Empty(errors);
        Assert.Equal("x", value.UserId);
        Assert.Equal(DateTimeKind.Utc, value.StartUtc.Kind);
    }
}
