using System.Text.Json;
using Hangfire;
using Itoc360.Domain;
using Itoc360.Domain.Incidents;
using Itoc360.Web.Data;
using Itoc360.Web.Jobs;
using Microsoft.EntityFrameworkCore;

namespace Itoc360.Web.Features.Incidents;

/// <summary>A bulk job's progress, as <c>GET /api/v1/jobs/{id}</c> returns it.</summary>
public sealed record BulkJobStatus(
    Guid Id, string Kind, string Action, string State, int Total, int Processed, int Changed, int Unchanged, int Failed,
    string RequestedBy, DateTime CreatedAt, DateTime? StartedAt, DateTime? FinishedAt, string? Error)
{
    public int Percent => Total == 0 ? 100 : (int)(100L * Processed / Total);

    public bool IsFinished => State is JobStates.Succeeded or JobStates.Failed;
}

/// <summary>
/// Bulk acknowledge / resolve as a background job. The request and its progress are a row in our
/// database; Hangfire runs it. Each incident goes through <see cref="IncidentActions"/> on its own, so
/// a person acting on the same incident meanwhile is respected, and a job that runs again (after a
/// restart, or twice) continues where the row says and changes nothing twice.
/// </summary>
public sealed class BulkActions(
    IDbContextFactory<AppDbContext> dbFactory,
    IBackgroundJobClient jobs,
    IncidentActions actions,
    TimeProvider time,
    ILogger<BulkActions> logger)
{
    public const string Acknowledge = "acknowledge";
    public const string Resolve = "resolve";
    public const int MaxIds = 10_000;

    /// <summary>A running job writes its progress at least this often; one silent for longer was cut short and is taken over.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(60);

    /// <summary>A queued job not started within this is queued again (the job storage may have been lost in a restart).</summary>
    public static readonly TimeSpan QueueGrace = TimeSpan.FromSeconds(30);

    /// <summary>Incidents changed in one transaction; progress is saved after each batch.</summary>
    private const int Batch = 25;

    public static string? NormalizeAction(string? action) =>
        string.Equals(action, Acknowledge, StringComparison.OrdinalIgnoreCase) ? Acknowledge
        : string.Equals(action, Resolve, StringComparison.OrdinalIgnoreCase) ? Resolve
        : null;

    public async Task<Guid> SubmitAsync(string action, IReadOnlyList<Guid> incidentIds, string? note, Actor by, CancellationToken ct)
    {
        action = NormalizeAction(action) ?? throw new ArgumentException("Unknown bulk action.", nameof(action));
        var ids = incidentIds.Distinct().ToArray();
        var job = new BulkJob
        {
            Id = Guid.CreateVersion7(),
            Action = action,
            IncidentIdsJson = JsonSerializer.Serialize(ids),
            Note = string.IsNullOrWhiteSpace(note) ? null : note.Trim(),
            RequestedBy = by.Name,
            Via = by.Via,
            State = JobStates.Queued,
            Total = ids.Length,
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            db.BulkJobs.Add(job);
            await db.SaveChangesAsync(ct);
        }

        Enqueue(job.Id);
        return job.Id;
    }

    public async Task<BulkJobStatus?> GetAsync(Guid id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.BulkJobs.AsNoTracking().Where(j => j.Id == id)
            .Select(j => new BulkJobStatus(j.Id, "bulk", j.Action, j.State, j.Total, j.Processed, j.Changed, j.Unchanged, j.Failed,
                j.RequestedBy, j.CreatedAt, j.StartedAt, j.FinishedAt, j.Error))
            .FirstOrDefaultAsync(ct);
    }

    /// <summary>The job body: claims the row, works through the ids from where it stopped, records the result.</summary>
    public async Task RunAsync(Guid jobId, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var staleBefore = now - Lease;
        BulkJob? job;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            // The claim is one conditional UPDATE, so two runs of the same job never work at the same time.
            var claimed = await db.BulkJobs
                .Where(j => j.Id == jobId && (j.State == JobStates.Queued || (j.State == JobStates.Running && (j.UpdatedAt == null || j.UpdatedAt < staleBefore))))
                .ExecuteUpdateAsync(u => u
                    .SetProperty(j => j.State, JobStates.Running)
                    .SetProperty(j => j.StartedAt, j => j.StartedAt ?? now)
                    .SetProperty(j => j.UpdatedAt, now), ct);
            if (claimed == 0)
            {
                return; // Finished, unknown, or another run holds it.
            }

            job = await db.BulkJobs.AsNoTracking().FirstAsync(j => j.Id == jobId, ct);
        }

        try
        {
            var ids = JsonSerializer.Deserialize<Guid[]>(job.IncidentIdsJson) ?? [];
            var by = new Actor(job.RequestedBy, job.Via);
            int changed = job.Changed, unchanged = job.Unchanged, failed = job.Failed;
            for (var index = job.Processed; index < ids.Length; index += Batch)
            {
                var batch = ids.Skip(index).Take(Batch).Select(g => new IncidentId(g)).ToArray();
                foreach (var result in await ApplyAsync(job, by, batch, ct))
                {
                    switch (result)
                    {
                        case { Status: ActionStatus.Done, Outcome: ActionOutcome.Changed }:
                            changed++;
                            break;
                        case { Status: ActionStatus.Done }:
                            unchanged++;
                            break;
                        default:
                            failed++;
                            break;
                    }
                }

                var processed = index + batch.Length;
                await SaveProgressAsync(jobId, processed, changed, unchanged, failed, processed == ids.Length ? JobStates.Succeeded : null, null, ct);
            }

            if (ids.Length == 0)
            {
                await SaveProgressAsync(jobId, 0, 0, 0, 0, JobStates.Succeeded, null, ct);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Bulk job {JobId} failed.", jobId);
            await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
            var at = time.GetUtcNow().UtcDateTime;
            await db.BulkJobs.Where(j => j.Id == jobId).ExecuteUpdateAsync(u => u
                .SetProperty(j => j.State, JobStates.Failed)
                .SetProperty(j => j.Error, "The job stopped on an unexpected error; see the server log.")
                .SetProperty(j => j.FinishedAt, at)
                .SetProperty(j => j.UpdatedAt, at), CancellationToken.None);
        }
    }

    /// <summary>
    /// Queues again the jobs that should be running but are not: queued for longer than <see cref="QueueGrace"/>,
    /// or running without progress for longer than <see cref="Lease"/>. With <paramref name="afterStart"/> (in-memory
    /// job storage, just started) every unfinished job is queued at once, since nothing else can be running it.
    /// </summary>
    public async Task<int> RestartStalledAsync(CancellationToken ct, bool afterStart = false)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var queuedBefore = now - QueueGrace;
        var staleBefore = now - Lease;
        List<Guid> ids;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var query = db.BulkJobs.Where(j => j.State == JobStates.Queued || j.State == JobStates.Running);
            if (afterStart)
            {
                await query.Where(j => j.State == JobStates.Running).ExecuteUpdateAsync(u => u.SetProperty(j => j.State, JobStates.Queued), ct);
            }
            else
            {
                query = query.Where(j =>
                    (j.State == JobStates.Queued && (j.UpdatedAt ?? j.CreatedAt) < queuedBefore) ||
                    (j.State == JobStates.Running && (j.UpdatedAt == null || j.UpdatedAt < staleBefore)));
            }

            ids = await query.Select(j => j.Id).ToListAsync(ct);
            if (ids.Count > 0)
            {
                // Marks them as just queued, so that the next sweep does not queue them again right away.
                await db.BulkJobs.Where(j => ids.Contains(j.Id) && j.State == JobStates.Queued)
                    .ExecuteUpdateAsync(u => u.SetProperty(j => j.UpdatedAt, now), ct);
            }
        }

        foreach (var id in ids)
        {
            Enqueue(id);
        }

        return ids.Count;
    }

    /// <summary>One transaction for the batch; if someone changed one of them meanwhile, one by one (each decides afresh).</summary>
    private async Task<IReadOnlyList<ActionResult>> ApplyAsync(BulkJob job, Actor by, IncidentId[] batch, CancellationToken ct)
    {
        Func<Incident, DateTime, ActionOutcome> action = job.Action == Acknowledge
            ? (incident, now) => incident.Acknowledge(by, now)
            : (incident, now) => incident.Resolve(by, job.Note, now);
        const string rejected = "The action does not apply to this incident.";
        if (await actions.ChangeManyAsync(batch, action, rejected, ct) is { } results)
        {
            return results;
        }

        var one = new List<ActionResult>(batch.Length);
        foreach (var id in batch)
        {
            one.Add(await actions.ChangeAsync(id, action, rejected, ct));
        }

        return one;
    }

    private void Enqueue(Guid id) => jobs.Enqueue<BulkActionJob>(j => j.RunAsync(id, CancellationToken.None));

    private async Task SaveProgressAsync(Guid jobId, int processed, int changed, int unchanged, int failed, string? finalState, string? error, CancellationToken ct)
    {
        var at = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.BulkJobs.Where(j => j.Id == jobId).ExecuteUpdateAsync(u => u
            .SetProperty(j => j.Processed, processed)
            .SetProperty(j => j.Changed, changed)
            .SetProperty(j => j.Unchanged, unchanged)
            .SetProperty(j => j.Failed, failed)
            .SetProperty(j => j.UpdatedAt, at)
            .SetProperty(j => j.State, j => finalState ?? j.State)
            .SetProperty(j => j.FinishedAt, j => finalState == null ? j.FinishedAt : at)
            .SetProperty(j => j.Error, j => error ?? j.Error), ct);
    }
}
