using Itoc360.Web.Components.Controls;
using Itoc360.Web.Features.Paging;

namespace Itoc360.Web.Components.Pages.OnCall;

/// <summary>How schedules and policies read in lists: one line each, the same on every page.</summary>
public static class OnCallText
{
    /// <summary>"Weekly, hand-off 09:00 (Europe/Berlin)".</summary>
    public static string Rotation(ScheduleDto schedule) =>
        $"{schedule.Rotation.Kind}, hand-off {schedule.Rotation.Handoff}";

    /// <summary>"Alice until 2026-11-27 08:00:00 UTC", or "Nobody".</summary>
    public static string Now(ShiftDto? shift) => shift is null ? "Nobody" : $"{shift.UserName} until {TimeText.Utc(shift.Until)}";

    /// <summary>"Bob from 2026-11-27 08:00:00 UTC", or "Nobody".</summary>
    public static string Next(ShiftDto? shift) => shift is null ? "Nobody" : $"{shift.UserName} from {TimeText.Utc(shift.From)}";

    /// <summary>"1. Alice, Primary on-call → 5 min → 2. Bob" (the last step's wait only when the policy repeats).</summary>
    public static string Steps(PolicyDto policy)
    {
        var parts = new List<string>();
        for (var i = 0; i < policy.Steps.Count; i++)
        {
            var step = policy.Steps[i];
            parts.Add($"{i + 1}. {string.Join(", ", (step.Targets ?? []).Select(Target))}");
            if (i < policy.Steps.Count - 1 || policy.Repeat > 0)
            {
                parts.Add($"{step.DelayMinutes} min");
            }
        }

        if (policy.Repeat > 0)
        {
            parts.Add(policy.Repeat == 1 ? "repeat once" : $"repeat {policy.Repeat}×");
        }

        return string.Join(" → ", parts);
    }

    public static string Target(TargetDto? target) => target switch
    {
        null => "?",
        { Name: { Length: > 0 } name } => name,
        { ScheduleId: { } id } => $"schedule {id}",
        { UserId: { } user } => user,
        _ => "?",
    };
}
