using Itoc360.Domain.Incidents;
using MudBlazor;

namespace Itoc360.Web.Components.Controls;

/// <summary>How a timeline entry looks: a short label, an icon and a colour per kind, and the channel it came through.</summary>
public static class TimelineStyle
{
    public static string Label(string kind) => kind switch
    {
        TimelineKinds.Opened => "Opened",
        TimelineKinds.Alert => "Alert",
        TimelineKinds.PriorityRaised => "Priority raised",
        TimelineKinds.Acknowledged => "Acknowledged",
        TimelineKinds.Snoozed => "Snoozed",
        TimelineKinds.SnoozeExpired => "Snooze expired",
        TimelineKinds.Resolved => "Resolved",
        TimelineKinds.AcknowledgementTimedOut => "Acknowledgement timed out",
        TimelineKinds.ResolveWhenQuiet => "Resolve when quiet",
        TimelineKinds.ResolveWhenQuietCancelled => "Stopped waiting for quiet",
        TimelineKinds.ResolvedWhenQuiet => "Resolved when quiet",
        TimelineKinds.AutoResolved => "Auto-resolved",
        TimelineKinds.Escalated => "Escalation step",
        TimelineKinds.Paged => "Paged",
        TimelineKinds.PageFailed => "Page did not reach",
        _ => kind,
    };

    public static string Icon(string kind) => kind switch
    {
        TimelineKinds.Opened => Icons.Material.Filled.NotificationsActive,
        TimelineKinds.Alert => Icons.Material.Filled.Notifications,
        TimelineKinds.PriorityRaised => Icons.Material.Filled.PriorityHigh,
        TimelineKinds.Acknowledged => Icons.Material.Filled.Check,
        TimelineKinds.Snoozed => Icons.Material.Filled.Snooze,
        TimelineKinds.SnoozeExpired => Icons.Material.Filled.AlarmOn,
        TimelineKinds.Resolved => Icons.Material.Filled.DoneAll,
        TimelineKinds.AcknowledgementTimedOut => Icons.Material.Filled.HourglassBottom,
        TimelineKinds.ResolveWhenQuiet => Icons.Material.Filled.HourglassTop,
        TimelineKinds.ResolveWhenQuietCancelled => Icons.Material.Filled.HourglassDisabled,
        TimelineKinds.ResolvedWhenQuiet or TimelineKinds.AutoResolved => Icons.Material.Filled.TaskAlt,
        TimelineKinds.Escalated => Icons.Material.Filled.Stairs,
        TimelineKinds.Paged => Icons.Material.Filled.Sms,
        TimelineKinds.PageFailed => Icons.Material.Filled.PhoneMissed,
        _ => Icons.Material.Filled.Circle,
    };

    public static Color Color(string kind) => kind switch
    {
        TimelineKinds.Opened or TimelineKinds.PriorityRaised or TimelineKinds.AcknowledgementTimedOut => MudBlazor.Color.Error,
        TimelineKinds.Acknowledged => MudBlazor.Color.Warning,
        TimelineKinds.Resolved or TimelineKinds.ResolvedWhenQuiet or TimelineKinds.AutoResolved => MudBlazor.Color.Success,
        TimelineKinds.Snoozed or TimelineKinds.SnoozeExpired => MudBlazor.Color.Secondary,
        TimelineKinds.ResolveWhenQuiet or TimelineKinds.ResolveWhenQuietCancelled or TimelineKinds.Escalated or TimelineKinds.Paged => MudBlazor.Color.Info,
        TimelineKinds.PageFailed => MudBlazor.Color.Warning,
        _ => MudBlazor.Color.Default,
    };

    /// <summary>The channel in words ("browser", "sms"; "workflow" for what the console did by itself).</summary>
    public static string Via(Via via) => via.ToString().ToLowerInvariant();

    /// <summary>Changes the console made by itself (a due time passed) rather than a person or a source.</summary>
    public static bool IsAutomatic(Via via) => via == Domain.Incidents.Via.Workflow;
}
