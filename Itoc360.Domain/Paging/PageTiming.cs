using Itoc360.Domain.Incidents;

namespace Itoc360.Domain.Paging;

/// <summary>Whether a page goes out now or waits for the end of the person's quiet hours.</summary>
public abstract record PageDecision
{
    private PageDecision() { }

    public sealed record SendNow : PageDecision;

    /// <summary>Hold the page and send it (with whatever else was held, as one digest) at <see cref="UntilUtc"/>.</summary>
    public sealed record Hold(DateTime UntilUtc) : PageDecision;
}

public static class PageTiming
{
    /// <summary>
    /// Critical pages always go out at once: quiet hours exist for sleep, and a Critical incident is
    /// exactly what is worth waking someone for. Everything else waits while the person is in quiet hours.
    /// </summary>
    public static PageDecision Decide(Priority priority, QuietHours? quietHours, DateTime nowUtc)
    {
        if (priority == Priority.Critical || quietHours?.PeriodContaining(nowUtc) is not { } period)
        {
            return new PageDecision.SendNow();
        }
        return new PageDecision.Hold(period.End);
    }
}
