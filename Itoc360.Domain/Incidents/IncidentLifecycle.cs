namespace Itoc360.Domain.Incidents;

/// <summary>The lifecycle position of an incident: its status plus whether paging is snoozed.</summary>
public readonly record struct LifecycleState(IncidentStatus Status, bool Snoozed)
{
    public override string ToString() => Snoozed ? $"{Status} (snoozed)" : Status.ToString();
}

public enum TransitionKind
{
    /// <summary>The incident moves to <see cref="Transition.Next"/>.</summary>
    Changed,
    /// <summary>Nothing to do: the incident already is where the trigger would take it.</summary>
    Unchanged,
    /// <summary>The trigger makes no sense in this state (e.g. acknowledging a resolved incident).</summary>
    Rejected,
}

public readonly record struct Transition(TransitionKind Kind, LifecycleState Next)
{
    public bool IsChange => Kind == TransitionKind.Changed;
}

/// <summary>
/// The one transition table: every (state, trigger) pair has exactly one answer here, and nothing
/// else in the code base decides whether an incident may change.
/// </summary>
public static class IncidentLifecycle
{
    private static readonly LifecycleState Triggered = new(IncidentStatus.Triggered, false);
    private static readonly LifecycleState TriggeredSnoozed = new(IncidentStatus.Triggered, true);
    private static readonly LifecycleState Acknowledged = new(IncidentStatus.Acknowledged, false);
    private static readonly LifecycleState AcknowledgedSnoozed = new(IncidentStatus.Acknowledged, true);
    private static readonly LifecycleState Resolved = new(IncidentStatus.Resolved, false);

    public static IReadOnlyList<LifecycleState> AllStates { get; } =
        [Triggered, TriggeredSnoozed, Acknowledged, AcknowledgedSnoozed, Resolved];

    private static readonly Dictionary<(LifecycleState, IncidentTrigger), Transition> Table = new()
    {
        [(Triggered, IncidentTrigger.Acknowledge)] = To(Acknowledged),
        [(Triggered, IncidentTrigger.Snooze)] = To(TriggeredSnoozed),
        [(Triggered, IncidentTrigger.SnoozeExpired)] = Same(Triggered),
        [(Triggered, IncidentTrigger.Resolve)] = To(Resolved),
        [(Triggered, IncidentTrigger.AcknowledgementTimeout)] = Same(Triggered),
        [(Triggered, IncidentTrigger.ResolveWhenQuiet)] = To(Triggered),

        // Snoozing again moves the wake-up time, so it counts as a change (so does a new quiet period).
        [(TriggeredSnoozed, IncidentTrigger.Acknowledge)] = To(Acknowledged),
        [(TriggeredSnoozed, IncidentTrigger.Snooze)] = To(TriggeredSnoozed),
        [(TriggeredSnoozed, IncidentTrigger.SnoozeExpired)] = To(Triggered),
        [(TriggeredSnoozed, IncidentTrigger.Resolve)] = To(Resolved),
        [(TriggeredSnoozed, IncidentTrigger.AcknowledgementTimeout)] = Same(TriggeredSnoozed),
        [(TriggeredSnoozed, IncidentTrigger.ResolveWhenQuiet)] = To(TriggeredSnoozed),

        [(Acknowledged, IncidentTrigger.Acknowledge)] = Same(Acknowledged),
        [(Acknowledged, IncidentTrigger.Snooze)] = To(AcknowledgedSnoozed),
        [(Acknowledged, IncidentTrigger.SnoozeExpired)] = Same(Acknowledged),
        [(Acknowledged, IncidentTrigger.Resolve)] = To(Resolved),
        [(Acknowledged, IncidentTrigger.AcknowledgementTimeout)] = To(Triggered),
        [(Acknowledged, IncidentTrigger.ResolveWhenQuiet)] = To(Acknowledged),

        // An acknowledged incident that was snoozed wakes up as Triggered and pages again.
        [(AcknowledgedSnoozed, IncidentTrigger.Acknowledge)] = To(Acknowledged),
        [(AcknowledgedSnoozed, IncidentTrigger.Snooze)] = To(AcknowledgedSnoozed),
        [(AcknowledgedSnoozed, IncidentTrigger.SnoozeExpired)] = To(Triggered),
        [(AcknowledgedSnoozed, IncidentTrigger.Resolve)] = To(Resolved),
        [(AcknowledgedSnoozed, IncidentTrigger.AcknowledgementTimeout)] = Same(AcknowledgedSnoozed),
        [(AcknowledgedSnoozed, IncidentTrigger.ResolveWhenQuiet)] = To(AcknowledgedSnoozed),

        [(Resolved, IncidentTrigger.Acknowledge)] = Reject(Resolved),
        [(Resolved, IncidentTrigger.Snooze)] = Reject(Resolved),
        [(Resolved, IncidentTrigger.SnoozeExpired)] = Same(Resolved),
        [(Resolved, IncidentTrigger.Resolve)] = Same(Resolved),
        [(Resolved, IncidentTrigger.AcknowledgementTimeout)] = Same(Resolved),
        [(Resolved, IncidentTrigger.ResolveWhenQuiet)] = Reject(Resolved),
    };

    public static Transition Decide(LifecycleState state, IncidentTrigger trigger) =>
        Table.TryGetValue((state, trigger), out var transition)
            ? transition
            : throw new InvalidOperationException($"No transition for {state} × {trigger}.");

    private static Transition To(LifecycleState next) => new(TransitionKind.Changed, next);
    private static Transition Same(LifecycleState state) => new(TransitionKind.Unchanged, state);
    private static Transition Reject(LifecycleState state) => new(TransitionKind.Rejected, state);
}
