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
}

/// <summary>Who asked for a change, and through which channel.</summary>
public readonly record struct Actor(string Name, Via Via)
{
    public static Actor Source(string sourceName) => new("source", Via.Source);
    public static Actor Workflow(string name) => new(name, Via.Workflow);
}
