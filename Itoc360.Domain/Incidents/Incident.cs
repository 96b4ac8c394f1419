using Itoc360.Domain.Sources;

namespace Itoc360.Domain.Incidents;

/// <summary>
/// What happened to an incident; published after the change is committed. <see cref="Source"/> (which never
/// changes for an incident) lets a view filtered to other sources skip it.
/// </summary>
public sealed record IncidentChanged(IncidentId Id, long Number, IncidentStatus Status, Priority Priority, int Version, string Kind, SourceId Source);

/// <summary>The answer to an action on an incident.</summary>
public enum ActionOutcome
{
    Changed,
    Unchanged,
    Rejected,
}

/// <summary>
/// The incident aggregate. Every status change goes through <see cref="IncidentLifecycle"/>, writes a
/// timeline entry, bumps <see cref="Version"/> and queues an <see cref="IncidentChanged"/> event.
/// </summary>
public sealed class Incident
{
    public const int MaxTitleLength = 500;

    private readonly List<TimelineEntry> _timeline = [];
    private readonly List<Alert> _alerts = [];
    private readonly List<IncidentChanged> _changes = [];

    private Incident() { DedupKey = Title = ""; }

    public IncidentId Id { get; private set; }
    public long Number { get; private set; }
    public SourceId SourceId { get; private set; }
    public string DedupKey { get; private set; }
    public string Title { get; private set; }
    public Priority Priority { get; private set; }
    public IncidentStatus Status { get; private set; }
    public DateTime? SnoozedUntil { get; private set; }
    public DateTime CreatedAt { get; private set; }
    public DateTime LastAlertAt { get; private set; }
    public int AlertCount { get; private set; }
    public DateTime? AcknowledgedAt { get; private set; }
    public string? AcknowledgedBy { get; private set; }
    public DateTime? ResolvedAt { get; private set; }
    public string? ResolvedBy { get; private set; }
    public int Version { get; private set; }

    /// <summary>Set while the incident should resolve itself once no alert arrived for this many minutes.</summary>
    public int? QuietMinutes { get; private set; }

    /// <summary>When "resolve when quiet" was asked for; the quiet period counts from here or from the last alert, whichever is later.</summary>
    public DateTime? QuietSince { get; private set; }

    /// <summary>When the incident resolves if no alert arrives before; null unless "resolve when quiet" is set.</summary>
    public DateTime? QuietDueAt => QuietDue(QuietMinutes, QuietSince, LastAlertAt);

    /// <summary>
    /// The one rule for a quiet period's end: <paramref name="minutes"/> after the request or the last alert, whichever
    /// is later; null when none is set. Read sides that hold only the columns use it too.
    /// </summary>
    public static DateTime? QuietDue(int? minutes, DateTime? since, DateTime lastAlertAt) =>
        minutes is { } m && since is { } s ? (s > lastAlertAt ? s : lastAlertAt).AddMinutes(m) : null;

    /// <summary>Timeline entries; only the ones added since loading unless the caller loaded them all.</summary>
    public IReadOnlyList<TimelineEntry> Timeline => _timeline;

    /// <summary>Alerts; only the ones added since loading unless the caller loaded them all.</summary>
    public IReadOnlyList<Alert> Alerts => _alerts;

    /// <summary>Events raised since the incident was loaded, to publish once the change is committed.</summary>
    public IReadOnlyList<IncidentChanged> PendingChanges => _changes;

    public LifecycleState State => new(Status, SnoozedUntil is not null);

    public bool IsOpen => Status != IncidentStatus.Resolved;

    public static Incident Open(IncidentId id, long number, SourceId sourceId, DeliveryId deliveryId,
        NormalizedAlert alert, Priority priority, DateTime nowUtc)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(number);
        var incident = new Incident
        {
            Id = id,
            Number = number,
            SourceId = sourceId,
            DedupKey = alert.DedupKey,
            Title = Truncate(alert.Title),
            Priority = priority,
            Status = IncidentStatus.Triggered,
            CreatedAt = nowUtc,
            LastAlertAt = nowUtc,
            AlertCount = 1,
            Version = 1,
        };
        incident._alerts.Add(new Alert(id, deliveryId, alert, priority, nowUtc));
        incident._timeline.Add(new TimelineEntry(id, nowUtc, TimelineKinds.Opened, Actor.FromSource,
            $"Opened as {priority} by the source."));
        incident._changes.Add(incident.Snapshot(TimelineKinds.Opened));
        return incident;
    }

    /// <summary>Rebuilds a stored incident (without its alerts and timeline) for a writer that does not use an ORM.</summary>
    public static Incident Restore(IncidentId id, long number, SourceId sourceId, string dedupKey, string title, Priority priority,
        IncidentStatus status, DateTime? snoozedUntil, DateTime createdAt, DateTime lastAlertAt, int alertCount,
        DateTime? acknowledgedAt, string? acknowledgedBy, DateTime? resolvedAt, string? resolvedBy, int version,
        int? quietMinutes = null, DateTime? quietSince = null) => new()
    {
        QuietMinutes = quietMinutes,
        QuietSince = quietSince,
        Id = id,
        Number = number,
        SourceId = sourceId,
        DedupKey = dedupKey,
        Title = title,
        Priority = priority,
        Status = status,
        SnoozedUntil = snoozedUntil,
        CreatedAt = createdAt,
        LastAlertAt = lastAlertAt,
        AlertCount = alertCount,
        AcknowledgedAt = acknowledgedAt,
        AcknowledgedBy = acknowledgedBy,
        ResolvedAt = resolvedAt,
        ResolvedBy = resolvedBy,
        Version = version,
    };

    /// <summary>A new firing of the same alert while the incident is open: counted, and it may raise the priority.</summary>
    public ActionOutcome AddAlert(DeliveryId deliveryId, NormalizedAlert alert, Priority priority, DateTime nowUtc)
    {
        if (!IsOpen)
        {
            return ActionOutcome.Rejected;
        }

        _alerts.Add(new Alert(Id, deliveryId, alert, priority, nowUtc));
        AlertCount++;
        LastAlertAt = nowUtc;
        Version++;
        var kind = TimelineKinds.Alert;
        if (priority.IsMoreUrgentThan(Priority))
        {
            _timeline.Add(new TimelineEntry(Id, nowUtc, TimelineKinds.PriorityRaised, Actor.FromSource,
                $"Priority raised from {Priority} to {priority} by a new alert."));
            Priority = priority;
            kind = TimelineKinds.PriorityRaised;
        }

        _changes.Add(Snapshot(kind));
        return ActionOutcome.Changed;
    }

    /// <summary>The vendor says the condition is over (e.g. CloudMonitor <c>OK</c>).</summary>
    public ActionOutcome ResolveFromSource(DeliveryId deliveryId, NormalizedAlert alert, Priority priority, DateTime nowUtc)
    {
        var outcome = Apply(IncidentTrigger.Resolve, Actor.FromSource, nowUtc, "Resolved by the source (recovery received).");
        if (outcome == ActionOutcome.Changed)
        {
            _alerts.Add(new Alert(Id, deliveryId, alert, priority, nowUtc));
            LastAlertAt = nowUtc;
        }

        return outcome;
    }

    public ActionOutcome Acknowledge(Actor by, DateTime nowUtc) =>
        Apply(IncidentTrigger.Acknowledge, by, nowUtc, $"Acknowledged by {by.Name} via {by.Via}.");

    public ActionOutcome Resolve(Actor by, string? note, DateTime nowUtc) =>
        Apply(IncidentTrigger.Resolve, by, nowUtc,
            string.IsNullOrWhiteSpace(note) ? $"Resolved by {by.Name} via {by.Via}." : $"Resolved by {by.Name} via {by.Via}: {note.Trim()}");

    public ActionOutcome Snooze(Actor by, DateTime untilUtc, DateTime nowUtc)
    {
        if (untilUtc <= nowUtc)
        {
            throw new ArgumentOutOfRangeException(nameof(untilUtc), "A snooze must end in the future.");
        }

        return Apply(IncidentTrigger.Snooze, by, nowUtc, $"Snoozed by {by.Name} via {by.Via} until {untilUtc:yyyy-MM-dd HH:mm} UTC.",
            snoozeUntil: untilUtc);
    }

    /// <summary>The longest quiet period one can ask for (a week).</summary>
    public const int MaxQuietMinutes = 7 * 24 * 60;

    /// <summary>
    /// Asks the workflow to resolve the incident once no alert arrived for <paramref name="minutes"/>;
    /// every new alert restarts the clock. Asking again replaces the period.
    /// </summary>
    public ActionOutcome ResolveWhenQuiet(Actor by, int minutes, DateTime nowUtc)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(minutes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minutes, MaxQuietMinutes);
        var outcome = Apply(IncidentTrigger.ResolveWhenQuiet, by, nowUtc,
            $"{by.Name} asked via {by.Via} to resolve it after {Minutes(minutes)} without alerts.");
        if (outcome == ActionOutcome.Changed)
        {
            QuietMinutes = minutes;
            QuietSince = nowUtc;
        }

        return outcome;
    }

    /// <summary>Stops waiting for a quiet period; nothing to do when none was asked for.</summary>
    public ActionOutcome CancelResolveWhenQuiet(Actor by, DateTime nowUtc)
    {
        if (QuietMinutes is null)
        {
            return ActionOutcome.Unchanged;
        }

        var outcome = Apply(IncidentTrigger.ResolveWhenQuiet, by, nowUtc,
            $"{by.Name} stopped the wait for a quiet period via {by.Via}.", TimelineKinds.ResolveWhenQuietCancelled);
        if (outcome == ActionOutcome.Changed)
        {
            QuietMinutes = null;
            QuietSince = null;
        }

        return outcome;
    }

    /// <summary>Resolves the incident if "resolve when quiet" is set and its period has passed without alerts.</summary>
    public ActionOutcome ResolveIfQuiet(DateTime nowUtc)
    {
        if (QuietDueAt is not { } due || due > nowUtc)
        {
            return ActionOutcome.Unchanged;
        }

        return Apply(IncidentTrigger.Resolve, Actor.Workflow("workflow"), nowUtc,
            $"Resolved after {Minutes(QuietMinutes!.Value)} without alerts.", TimelineKinds.ResolvedWhenQuiet);
    }

    /// <summary>Resolves an open incident whose source sent no new alert for <paramref name="hours"/> (sources that never send recoveries).</summary>
    public ActionOutcome AutoResolve(int hours, DateTime nowUtc)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hours);
        if (LastAlertAt.AddHours(hours) > nowUtc)
        {
            return ActionOutcome.Unchanged;
        }

        return Apply(IncidentTrigger.Resolve, Actor.Workflow("workflow"), nowUtc,
            $"Resolved automatically: no new alert for {hours} h.", TimelineKinds.AutoResolved);
    }

    /// <summary>Wakes a snoozed incident whose snooze has run out; does nothing before that time.</summary>
    public ActionOutcome ExpireSnooze(DateTime nowUtc)
    {
        if (SnoozedUntil is { } until && until > nowUtc)
        {
            return ActionOutcome.Unchanged;
        }

        return Apply(IncidentTrigger.SnoozeExpired, Actor.Workflow("workflow"), nowUtc, "Snooze expired; the incident is triggered again.");
    }

    /// <summary>Sends an incident acknowledged <paramref name="hours"/> ago and still not resolved back to Triggered.</summary>
    public ActionOutcome TimeOutAcknowledgement(int hours, DateTime nowUtc)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hours);
        if (AcknowledgedAt is { } at && at.AddHours(hours) > nowUtc)
        {
            return ActionOutcome.Unchanged;
        }

        return Apply(IncidentTrigger.AcknowledgementTimeout, Actor.Workflow("workflow"), nowUtc,
            $"Acknowledged {hours} h ago and not resolved; the incident is triggered again.");
    }

    /// <summary>Forgets the events once they have been published.</summary>
    public void ClearPendingChanges() => _changes.Clear();

    private ActionOutcome Apply(IncidentTrigger trigger, Actor by, DateTime nowUtc, string text, string? kind = null, DateTime? snoozeUntil = null)
    {
        var transition = IncidentLifecycle.Decide(State, trigger);
        switch (transition.Kind)
        {
            case TransitionKind.Rejected:
                return ActionOutcome.Rejected;
            case TransitionKind.Unchanged:
                return ActionOutcome.Unchanged;
        }

        var next = transition.Next;
        Status = next.Status;
        SnoozedUntil = !next.Snoozed ? null : trigger == IncidentTrigger.Snooze ? snoozeUntil : SnoozedUntil;
        switch (trigger)
        {
            case IncidentTrigger.Acknowledge:
                AcknowledgedAt = nowUtc;
                AcknowledgedBy = by.Name;
                break;
            case IncidentTrigger.Resolve:
                ResolvedAt = nowUtc;
                ResolvedBy = by.Name;
                // Resolution cancels every pending due action: the snooze (cleared above) and the quiet period.
                QuietMinutes = null;
                QuietSince = null;
                break;
            case IncidentTrigger.SnoozeExpired or IncidentTrigger.AcknowledgementTimeout when next.Status == IncidentStatus.Triggered:
                AcknowledgedAt = null;
                AcknowledgedBy = null;
                break;
        }

        Version++;
        kind ??= trigger switch
        {
            IncidentTrigger.Acknowledge => TimelineKinds.Acknowledged,
            IncidentTrigger.Snooze => TimelineKinds.Snoozed,
            IncidentTrigger.SnoozeExpired => TimelineKinds.SnoozeExpired,
            IncidentTrigger.Resolve => TimelineKinds.Resolved,
            IncidentTrigger.AcknowledgementTimeout => TimelineKinds.AcknowledgementTimedOut,
            IncidentTrigger.ResolveWhenQuiet => TimelineKinds.ResolveWhenQuiet,
            _ => throw new ArgumentOutOfRangeException(nameof(trigger)),
        };
        _timeline.Add(new TimelineEntry(Id, nowUtc, kind, by, text));
        _changes.Add(Snapshot(kind));
        return ActionOutcome.Changed;
    }

    private IncidentChanged Snapshot(string kind) => new(Id, Number, Status, Priority, Version, kind, SourceId);

    private static string Minutes(int minutes) =>
        minutes % 60 == 0 ? $"{minutes / 60} h" : minutes > 60 ? $"{minutes / 60} h {minutes % 60} min" : $"{minutes} min";

    private static string Truncate(string title)
    {
        title = string.IsNullOrWhiteSpace(title) ? "(untitled alert)" : title.Trim();
        return title.Length <= MaxTitleLength ? title : title[..(MaxTitleLength - 1)] + "…";
    }
}
