using Hangfire;
using Itoc360.Domain;
using Itoc360.Domain.Incidents;
using Itoc360.Web.Data;
using Itoc360.Web.Features.Incidents;
using Microsoft.EntityFrameworkCore;

namespace Itoc360.Web.Jobs;

/// <summary>What one sweep changed.</summary>
public sealed record SweepResult(int SnoozesExpired, int ResolvedWhenQuiet, int AcknowledgementsTimedOut, int AutoResolved, int BulkJobsRestarted, int Paging = 0)
{
    public int Total => SnoozesExpired + ResolvedWhenQuiet + AcknowledgementsTimedOut + AutoResolved;
}

/// <summary>
/// The recurring job that finds every due action in the database: expired snoozes, quiet periods that
/// passed, acknowledgements that timed out, incidents to auto-resolve, and bulk jobs a restart cut short.
/// It is the reason nothing is lost when the process dies with its in-memory job storage.
/// </summary>
public sealed class DueWorkSweeper(
    IDbContextFactory<AppDbContext> dbFactory,
    IncidentWorkflow workflow,
    BulkActions bulk,
    Features.Paging.Pager pager,
    TimeProvider time,
    ILogger<DueWorkSweeper> logger)
{
    /// <summary>At most this many incidents per kind per sweep, so that one sweep stays short; the next takes the rest.</summary>
    public const int BatchSize = 500;

    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    public async Task SweepAsync(CancellationToken ct)
    {
        var result = await RunAsync(ct);
        if (result.Total > 0 || result.BulkJobsRestarted > 0)
        {
            logger.LogInformation(
                "Due work: {Snoozes} snoozes expired, {Quiet} resolved when quiet, {Acks} acknowledgements timed out, {Auto} auto-resolved, {Bulk} bulk jobs restarted.",
                result.SnoozesExpired, result.ResolvedWhenQuiet, result.AcknowledgementsTimedOut, result.AutoResolved, result.BulkJobsRestarted);
        }
    }

    public async Task<SweepResult> RunAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        List<IncidentId> snoozed;
        List<IncidentId> dueQuiet;
        List<(SourceId Id, int? AckHours, int? AutoHours)> sources;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            snoozed = await db.Incidents.AsNoTracking()
                .Where(i => i.SnoozedUntil != null && i.SnoozedUntil <= now && i.Status != IncidentStatus.Resolved)
                .OrderBy(i => i.SnoozedUntil).Select(i => i.Id).Take(BatchSize).ToListAsync(ct);
            // Few incidents wait for a quiet period at a time; their due time depends on the last alert, so it is worked out here.
            dueQuiet = (await db.Incidents.AsNoTracking()
                    .Where(i => i.QuietMinutes != null && i.Status != IncidentStatus.Resolved)
                    .Select(i => new { i.Id, i.QuietMinutes, i.QuietSince, i.LastAlertAt }).ToListAsync(ct))
                .Where(i => Incident.QuietDue(i.QuietMinutes, i.QuietSince, i.LastAlertAt) <= now).Select(i => i.Id).ToList();
            sources = (await db.Sources.AsNoTracking()
                    .Where(s => s.AcknowledgementTimeoutHours != null || s.AutoResolveHours != null)
                    .Select(s => new { s.Id, s.AcknowledgementTimeoutHours, s.AutoResolveHours }).ToListAsync(ct))
                .Select(s => (s.Id, s.AcknowledgementTimeoutHours, s.AutoResolveHours)).ToList();
        }

        var snoozes = await ApplyAsync(snoozed, id => workflow.ExpireSnoozeAsync(id, ct));
        var quietResolved = await ApplyAsync(dueQuiet, id => workflow.ResolveIfQuietAsync(id, ct));

        var acks = 0;
        var autos = 0;
        foreach (var (sourceId, ackHours, autoHours) in sources)
        {
            if (ackHours is > 0 and var hours)
            {
                var cutoff = now.AddHours(-hours);
                var ids = await IdsAsync(q => q.Where(i => i.SourceId == sourceId && i.Status == IncidentStatus.Acknowledged
                    && i.SnoozedUntil == null && i.AcknowledgedAt <= cutoff), ct);
                acks += await ApplyAsync(ids, id => workflow.TimeOutAcknowledgementAsync(id, hours, ct));
            }

            if (autoHours is > 0 and var auto)
            {
                var cutoff = now.AddHours(-auto);
                var ids = await IdsAsync(q => q.Where(i => i.SourceId == sourceId && i.Status != IncidentStatus.Resolved && i.LastAlertAt <= cutoff), ct);
                autos += await ApplyAsync(ids, id => workflow.AutoResolveAsync(id, auto, ct));
            }
        }

        var restarted = await bulk.RestartStalledAsync(ct);
        // A backstop for the pager's own loop (another instance's work, a wake-up lost to a crash).
        var paging = await pager.RunAsync(ct);
        return new SweepResult(snoozes, quietResolved, acks, autos, restarted, paging.Total);
    }

    private async Task<List<IncidentId>> IdsAsync(Func<IQueryable<Incident>, IQueryable<Incident>> where, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await where(db.Incidents.AsNoTracking()).Select(i => i.Id).Take(BatchSize).ToListAsync(ct);
    }

    /// <summary>Applies the change to each incident on its own, so that one failure does not hold back the others.</summary>
    private async Task<int> ApplyAsync(IReadOnlyList<IncidentId> ids, Func<IncidentId, Task<ActionResult>> change)
    {
        var changed = 0;
        foreach (var id in ids)
        {
            try
            {
                var result = await change(id);
                if (result.Outcome == ActionOutcome.Changed)
                {
                    changed++;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Due work on incident {IncidentId} failed; the next sweep tries again.", id);
            }
        }

        return changed;
    }
}
