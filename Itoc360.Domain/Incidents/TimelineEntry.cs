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

    public long Id { get; private set; }
    public IncidentId IncidentId { get; private set; }
    public DateTime At { get; private set; }
    public string Kind { get; private set; }
    public string By { get; private set; }
    public Via Via { get; private set; }
    public string Text { get; private set; }
}
