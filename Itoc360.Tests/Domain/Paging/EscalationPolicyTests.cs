using Itoc360.Domain.Paging;

namespace Itoc360.Tests.Domain.Paging;

public class EscalationPolicyTests
{
    private static readonly DateTime Start = new(2026, 5, 4, 10, 0, 0, DateTimeKind.Utc);
    private static readonly ScheduleId Primary = new(Guid.Parse("00000000-0000-0000-0000-0000000000a1"));
    private static readonly ScheduleId Secondary = new(Guid.Parse("00000000-0000-0000-0000-0000000000a2"));

    private static EscalationStep Step(int delay, params EscalationTarget[] targets) => new(delay, targets);

    private static EscalationPolicy Policy(int repeat, params EscalationStep[] steps)
    {
        Assert.True(EscalationPolicy.TryCreate("Ops", repeat, steps, out var policy, out var errors),
            string.Join("; ", errors.SelectMany(e => e.Key + ": " + string.Join(",", e.Value))));
        return policy;
    }

    /// <summary>Three steps (5, 10, 15 minutes), repeated once: a pass takes 30 minutes.</summary>
    private static readonly EscalationPolicy ThreeSteps = Policy(1,
        Step(5, EscalationTarget.User("a")),
        Step(10, EscalationTarget.User("b")),
        Step(15, EscalationTarget.User("c")));

    public static TheoryData<int, int, int, int?, int?, int?> Positions => new()
    {
        // step, repetition → due minute, next step, next repetition, next due minute
        { 0, 0, 0, 1, 0, 5 },
        { 1, 0, 5, 2, 0, 15 },
        { 2, 0, 15, 0, 1, 30 },
        { 0, 1, 30, 1, 1, 35 },
        { 1, 1, 35, 2, 1, 45 },
        { 2, 1, 45, null, null, null },
    };

    [Theory]
    [MemberData(nameof(Positions))]
    public void Each_position_is_due_after_the_delays_before_it_and_the_last_one_stops(
        int step, int repetition, int due, int? nextStep, int? nextRepetition, int? nextDue)
    {
        var plan = ThreeSteps.Plan(Start, new EscalationPosition(step, repetition), _ => null)!;

        Assert.Equal(Start.AddMinutes(due), plan.DueAtUtc);
        Assert.Equal(nextStep is null ? null : new EscalationPosition(nextStep.Value, nextRepetition!.Value), plan.Next);
        Assert.Equal(nextDue is null ? null : Start.AddMinutes(nextDue.Value), plan.NextDueAtUtc);
        Assert.Equal([((char)('a' + step)).ToString()], plan.UserIds);
    }

    [Fact]
    public void Without_repeat_the_policy_stops_after_the_last_step()
    {
        var once = Policy(0, Step(5, EscalationTarget.User("a")), Step(0, EscalationTarget.User("b")));
        Assert.Equal(2, once.PositionCount);
        Assert.Equal(new EscalationPosition(1, 0), once.After(EscalationPosition.First));
        Assert.Null(once.After(new EscalationPosition(1, 0)));
        Assert.Null(once.Plan(Start, new EscalationPosition(1, 0), _ => null)!.NextDueAtUtc);
    }

    [Fact]
    public void A_single_step_policy_repeats_itself_after_its_delay()
    {
        var policy = Policy(2, Step(10, EscalationTarget.User("a")));
        var positions = new List<(EscalationPosition, DateTime)>();
        for (EscalationPosition? p = EscalationPosition.First; p is { } at; p = policy.After(at))
        {
            positions.Add((at, policy.DueAt(Start, at)));
        }

        Assert.Equal(
            [
                (new EscalationPosition(0, 0), Start),
                (new EscalationPosition(0, 1), Start.AddMinutes(10)),
                (new EscalationPosition(0, 2), Start.AddMinutes(20)),
            ],
            positions);
    }

    [Theory]
    [InlineData(-1, null, null)]
    [InlineData(0, 0, 0)]
    [InlineData(4, 0, 0)]
    [InlineData(5, 1, 0)]
    [InlineData(29, 2, 0)]
    [InlineData(30, 0, 1)]
    [InlineData(45, 2, 1)]
    [InlineData(600, 2, 1)]
    public void CurrentAt_is_the_latest_position_due(int minutes, int? step, int? repetition)
    {
        var current = ThreeSteps.CurrentAt(Start, Start.AddMinutes(minutes));
        Assert.Equal(step is null ? null : new EscalationPosition(step.Value, repetition!.Value), current);
    }

    [Fact]
    public void Targets_resolve_to_users_through_the_schedules_without_duplicates_in_order()
    {
        var policy = Policy(0, Step(0,
            EscalationTarget.User("b"),
            EscalationTarget.OnCall(Primary),
            EscalationTarget.User("a"),
            EscalationTarget.OnCall(Secondary)));
        var onCall = new Dictionary<ScheduleId, string?> { [Primary] = "c", [Secondary] = "b" };

        var plan = policy.Plan(Start, EscalationPosition.First, id => onCall[id])!;

        Assert.Equal(["b", "c", "a"], plan.UserIds);
        Assert.Empty(plan.SchedulesWithNobodyOnCall);
    }

    [Fact]
    public void A_schedule_with_nobody_on_call_is_reported_and_pages_nobody()
    {
        var policy = Policy(0, Step(0, EscalationTarget.OnCall(Primary), EscalationTarget.User("a")));

        var plan = policy.Plan(Start, EscalationPosition.First, _ => null)!;

        Assert.Equal(["a"], plan.UserIds);
        Assert.Equal([Primary], plan.SchedulesWithNobodyOnCall);
    }

    [Fact]
    public void A_position_the_policy_no_longer_has_plans_nothing()
    {
        Assert.Null(ThreeSteps.Plan(Start, new EscalationPosition(3, 0), _ => null));
        Assert.Null(ThreeSteps.Plan(Start, new EscalationPosition(0, 2), _ => null));
        Assert.Null(ThreeSteps.After(new EscalationPosition(-1, 0)));
        Assert.False(ThreeSteps.Contains(new EscalationPosition(0, -1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => ThreeSteps.DueAt(Start, new EscalationPosition(5, 0)));
    }

    [Fact]
    public void A_valid_policy_is_trimmed_and_keeps_its_shape()
    {
        Assert.True(EscalationPolicy.TryCreate(" Ops ", 1, [Step(5, EscalationTarget.User(" a "), EscalationTarget.OnCall(Primary))],
            out var policy, out var errors));
        Assert.Empty(errors);
        Assert.Equal("Ops", policy.Name);
        Assert.Equal([EscalationTarget.User("a"), EscalationTarget.OnCall(Primary)], policy.Steps[0].Targets);
        Assert.Equal(5, policy.CycleMinutes);
    }

    public static TheoryData<string?, int, EscalationStep?[], string> InvalidPolicies => new()
    {
        { "", 0, [Step(0, EscalationTarget.User("a"))], "name" },
        { new string('x', 101), 0, [Step(0, EscalationTarget.User("a"))], "name" },
        { "Ops", -1, [Step(5, EscalationTarget.User("a"))], "repeat" },
        { "Ops", 10, [Step(5, EscalationTarget.User("a"))], "repeat" },
        { "Ops", 0, [], "steps" },
        { "Ops", 0, Enumerable.Repeat(Step(5, EscalationTarget.User("a")), 21).ToArray(), "steps" },
        { "Ops", 0, [null], "steps[0]" },
        { "Ops", 0, [Step(-1, EscalationTarget.User("a"))], "steps[0].delayMinutes" },
        { "Ops", 0, [Step(1441, EscalationTarget.User("a"))], "steps[0].delayMinutes" },
        // A zero delay where another page follows: the next step, or a repeat.
        { "Ops", 0, [Step(0, EscalationTarget.User("a")), Step(5, EscalationTarget.User("b"))], "steps[0].delayMinutes" },
        { "Ops", 0, [Step(5, EscalationTarget.User("a")), Step(0, EscalationTarget.User("b")), Step(5, EscalationTarget.User("c"))], "steps[1].delayMinutes" },
        { "Ops", 1, [Step(5, EscalationTarget.User("a")), Step(0, EscalationTarget.User("b"))], "steps[1].delayMinutes" },
        { "Ops", 0, [Step(5, EscalationTarget.User("a")), Step(5)], "steps[1].targets" },
        { "Ops", 0, [Step(5, Enumerable.Range(0, 21).Select(i => EscalationTarget.User($"u{i}")).ToArray())], "steps[0].targets" },
        { "Ops", 0, [Step(5, EscalationTarget.User(" "))], "steps[0].targets[0].userId" },
        { "Ops", 0, [Step(5, EscalationTarget.OnCall(new ScheduleId(Guid.Empty)))], "steps[0].targets[0].scheduleId" },
        { "Ops", 0, [Step(5, EscalationTarget.User("a"), EscalationTarget.User(" a"))], "steps[0].targets[1]" },
        { "Ops", 0, [Step(5, EscalationTarget.OnCall(Primary), EscalationTarget.OnCall(Primary))], "steps[0].targets[1]" },
        { "Ops", 0, [Step(5, EscalationTarget.User("a"), null!)], "steps[0].targets[1]" },
    };

    [Theory]
    [MemberData(nameof(InvalidPolicies))]
    public void Invalid_policies_are_reported_under_the_field_without_throwing(string? name, int repeat, EscalationStep?[] steps, string field)
    {
        Assert.False(EscalationPolicy.TryCreate(name, repeat, steps, out var policy, out var errors));
        Assert.Null(policy);
        Assert.Equal([field], errors.Keys);
    }

    [Fact]
    public void A_zero_delay_is_accepted_on_the_last_step_when_nothing_follows()
    {
        Assert.True(EscalationPolicy.TryCreate("Ops", 0, [Step(0, EscalationTarget.User("a"))], out _, out _));
        Assert.True(EscalationPolicy.TryCreate("Ops", 9, [Step(1440, EscalationTarget.User("a"))], out _, out _));
    }

    [Fact]
    public void Targets_that_do_not_exist_are_named_when_the_caller_can_tell()
    {
        var steps = new[] { Step(5, EscalationTarget.User("ghost"), EscalationTarget.OnCall(Secondary), EscalationTarget.User("a"), EscalationTarget.OnCall(Primary)) };

        Assert.False(EscalationPolicy.TryCreate("Ops", 0, steps, out _, out var errors,
            userExists: id => id == "a", scheduleExists: id => id == Primary));

        Assert.Equal(["steps[0].targets[0].userId", "steps[0].targets[1].scheduleId"], errors.Keys.Order());
    }
}
