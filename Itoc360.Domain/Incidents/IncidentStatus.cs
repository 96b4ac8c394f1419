namespace Itoc360.Domain.Incidents;

public enum IncidentStatus
{
    Triggered,
    Acknowledged,
    Resolved,
}

/// <summary>Everything that can ask an incident to change.</summary>
public enum IncidentTrigger
{
    Acknowledge,
    Snooze,
    SnoozeExpired,
    Resolve,
    AcknowledgementTimeout,
    /// <summary>Someone asks for the incident to resolve itself once its alerts stay quiet for a while.</summary>
    ResolveWhenQuiet,
}

/// <summary>How a change reached the incident; shown in the timeline.</summary>
public enum Via
{
    Browser,
    Api,
    Sms,
    Voice,
    WhatsApp,
    Source,
    Workflow,
    /// <summary>The signed one-tap acknowledge link of a page.</summary>
    Link,
}

/// <summary>Who asked for a change, and through which channel.</summary>
public readonly record struct Actor(string Name, Via Via)
{
    /// <summary>The monitoring system itself (a new alert, a recovery).</summary>
    public static readonly Actor FromSource = new("source", Via.Source);

    public static Actor Workflow(string name) => new(name, Via.Workflow);
}
