namespace Itoc360.Domain.Incidents;

/// <summary>Kinds of timeline entries; stored as text.</summary>
public static class TimelineKinds
{
    public const string Opened = "opened";
    public const string Alert = "alert";
    public const string PriorityRaised = "priority-raised";
    public const string Acknowledged = "acknowledged";
    public const string Snoozed = "snoozed";
    public const string SnoozeExpired = "snooze-expired";
    public const string Resolved = "resolved";
    public const string AcknowledgementTimedOut = "acknowledgement-timed-out";
    public const string ResolveWhenQuiet = "resolve-when-quiet";
    public const string ResolveWhenQuietCancelled = "resolve-when-quiet-cancelled";
    public const string ResolvedWhenQuiet = "resolved-when-quiet";
    public const string AutoResolved = "auto-resolved";
    /// <summary>An escalation step paged its targets.</summary>
    public const string Escalated = "escalated";
    /// <summary>A page went out to a person (SMS, call, WhatsApp).</summary>
    public const string Paged = "paged";
    /// <summary>A page did not reach its person (failed, undelivered, no answer); the next channel follows.</summary>
    public const string PageFailed = "page-failed";

    /// <summary>The kinds that mark an incident's resolution, whichever channel resolved it.</summary>
    public static bool IsResolution(string kind) => kind is Resolved or ResolvedWhenQuiet or AutoResolved;
}

/// <summary>One line of an incident's history: who did what, when and through which channel.</summary>
public sealed class TimelineEntry
{
    private TimelineEntry() { Kind = By = Text = ""; }

    internal TimelineEntry(IncidentId incidentId, DateTime at, string kind, Actor actor, string text)
    {
        IncidentId = incidentId;
        At = at;
        Kind = kind;
        By = actor.Name;
        Via = actor.Via;
        Text = text;
    }

    /// <summary>
    /// A paging note (who was paged, by which channel, what failed). Paging does not change the incident's
    /// state or version, so these entries are written by the pager directly, not through the aggregate.
    /// </summary>
    public static TimelineEntry Paging(IncidentId incidentId, DateTime at, string kind, string text) =>
        new(incidentId, at, kind, new Actor("paging", Via.Workflow), text);

    public long Id { get; private set; }
    public IncidentId IncidentId { get; private set; }
    public DateTime At { get; private set; }
    public string Kind { get; private set; }
    public string By { get; private set; }
    public Via Via { get; private set; }
    public string Text { get; private set; }
}
