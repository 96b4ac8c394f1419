using Hangfire;
using Itoc360.Domain;

namespace Itoc360.Web.Jobs;

/// <summary>
/// Asks for a job at the exact time something becomes due. Only an optimisation: the database holds
/// every due time and <see cref="DueWorkSweeper"/> finds it anyway, also after a restart that lost the schedule.
/// </summary>
public interface IDueWorkScheduler
{
    void SnoozeSet(IncidentId id, DateTime untilUtc);

    void QuietPeriodSet(IncidentId id, DateTime dueUtc);
}

internal sealed class HangfireDueWorkScheduler(IBackgroundJobClient jobs, ILogger<HangfireDueWorkScheduler> logger) : IDueWorkScheduler
{
    public void SnoozeSet(IncidentId id, DateTime untilUtc) =>
        Schedule(() => jobs.Schedule<IncidentDueJobs>(j => j.ExpireSnoozeAsync(id.Value, CancellationToken.None), At(untilUtc)));

    public void QuietPeriodSet(IncidentId id, DateTime dueUtc) =>
        Schedule(() => jobs.Schedule<IncidentDueJobs>(j => j.ResolveIfQuietAsync(id.Value, CancellationToken.None), At(dueUtc)));

    // Hangfire keeps schedule times in whole seconds (truncated), so a job could start a fraction of a second
    // before the due time and find nothing to do; one second later it is always due.
    private static DateTimeOffset At(DateTime dueUtc) => new DateTimeOffset(dueUtc, TimeSpan.Zero).AddSeconds(1);

    private void Schedule(Func<string> schedule)
    {
        try
        {
            schedule();
        }
        catch (Exception ex)
        {
            // The change is committed and the sweeper will find it; a lost precise job only costs up to one sweep interval.
            logger.LogWarning(ex, "Could not schedule a precise due job; the sweeper will pick the work up.");
        }
    }
}

/// <summary>The precise jobs: each takes an incident id and does nothing unless the work is due.</summary>
public sealed class IncidentDueJobs(Features.Incidents.IncidentWorkflow workflow)
{
    [AutomaticRetry(Attempts = 3)]
    public Task ExpireSnoozeAsync(Guid incidentId, CancellationToken ct) => workflow.ExpireSnoozeAsync(new IncidentId(incidentId), ct);

    [AutomaticRetry(Attempts = 3)]
    public Task ResolveIfQuietAsync(Guid incidentId, CancellationToken ct) => workflow.ResolveIfQuietAsync(new IncidentId(incidentId), ct);
}
