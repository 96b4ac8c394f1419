namespace Itoc360.Domain.Paging;

/// <summary>Who a step pages: a person (API <c>{"userId"}</c>) or whoever is on call in a schedule (API <c>{"scheduleId"}</c>).</summary>
public abstract record EscalationTarget
{
    private EscalationTarget() { }

    public sealed record UserTarget(string UserId) : EscalationTarget;

    public sealed record ScheduleTarget(ScheduleId ScheduleId) : EscalationTarget;

    public static EscalationTarget User(string userId) => new UserTarget(userId);

    public static EscalationTarget OnCall(ScheduleId scheduleId) => new ScheduleTarget(scheduleId);
}

/// <summary>
/// One step of a policy: page <see cref="Targets"/>, then wait <see cref="DelayMinutes"/> for an
/// acknowledgement before the policy moves on (to the next step, or back to the first on a repeat).
/// </summary>
public sealed record EscalationStep(int DelayMinutes, IReadOnlyList<EscalationTarget> Targets);

/// <summary>Where an incident's escalation stands: which step (0-based) in which pass (0 = the first pass, 1 = the first repeat).</summary>
public readonly record struct EscalationPosition(int StepIndex, int Repetition)
{
    public static readonly EscalationPosition First = new(0, 0);
}

/// <summary>
/// What to do at one position: the people to page (schedules resolved, duplicates removed, order kept),
/// the schedules that had nobody on call, and the next position with the time it is due
/// (both null after the last step of the last pass: escalation stops).
/// </summary>
public sealed record EscalationPlan(
    EscalationPosition Position,
    DateTime DueAtUtc,
    IReadOnlyList<string> UserIds,
    IReadOnlyList<ScheduleId> SchedulesWithNobodyOnCall,
    EscalationPosition? Next,
    DateTime? NextDueAtUtc);
