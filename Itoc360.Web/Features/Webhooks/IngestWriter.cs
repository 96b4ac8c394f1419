using System.Threading.Channels;
using Itoc360.Domain;
using Itoc360.Domain.Incidents;
using Itoc360.Domain.Sources;
using Itoc360.Web.Data;
using Itoc360.Web.Realtime;
using Microsoft.EntityFrameworkCore;

namespace Itoc360.Web.Features.Webhooks;

/// <summary>An alert with the priority the source's mapping gave it when it arrived.</summary>
public readonly record struct PrioritizedAlert(NormalizedAlert Alert, Priority Priority);

/// <summary>What became of a delivery, once committed.</summary>
public sealed record IngestResult(DeliveryId DeliveryId, string Outcome, IncidentId? IncidentId, int StatusCode, string? Error);

/// <summary>
/// One delivery to store. <see cref="Delivery"/> comes with its outcome already set when the request
/// was refused or ignored; otherwise <see cref="Alerts"/> say what to do and the writer decides.
/// </summary>
public sealed class IngestItem(Delivery delivery, IReadOnlyList<PrioritizedAlert>? alerts, long? tokenId)
{
    public Delivery Delivery { get; } = delivery;
    public IReadOnlyList<PrioritizedAlert>? Alerts { get; } = alerts;
    public long? TokenId { get; } = tokenId;
    internal TaskCompletionSource<IngestResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>
/// The single writer of webhook deliveries. Requests queue their item and wait; the writer takes
/// everything queued, applies it in one transaction and commits once (group commit), then answers
/// every waiting request. A 2xx therefore always follows a durable commit, and concurrent webhooks
/// share one fsync instead of each paying for their own.
/// </summary>
public sealed class IngestWriter(
    IDbContextFactory<AppDbContext> dbFactory,
    IncidentNotifier notifier,
    TimeProvider time,
    ILogger<IngestWriter> logger) : BackgroundService
{
    private const int MaxBatch = 256;

    private readonly Channel<IngestItem> _queue = Channel.CreateBounded<IngestItem>(new BoundedChannelOptions(8192)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    /// <summary>Queues <paramref name="item"/> and waits until it is committed (or failed).</summary>
    public async Task<IngestResult> SubmitAsync(IngestItem item, CancellationToken cancellationToken)
    {
        // Once queued the item is written whatever happens to the request, so only waiting for room is cancellable.
        try
        {
            await _queue.Writer.WriteAsync(item, cancellationToken);
        }
        catch (ChannelClosedException ex)
        {
            throw new IngestUnavailableException("The console is shutting down; please retry.", ex);
        }

        return await item.Completion.Task;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<IngestItem>(MaxBatch);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var item))
                {
                    batch.Add(item);
                }

                await ProcessAsync(batch);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: write what is already queued so no accepted request is lost.
            _queue.Writer.TryComplete();
            while (_queue.Reader.TryRead(out var item))
            {
                batch.Add(item);
                if (batch.Count == MaxBatch)
                {
                    await ProcessAsync(batch);
                    batch.Clear();
                }
            }

            if (batch.Count > 0)
            {
                await ProcessAsync(batch);
            }
        }
    }

    private async Task ProcessAsync(List<IngestItem> batch)
    {
        try
        {
            await ApplyAsync(batch);
            return;
        }
        catch (Exception ex) when (batch.Count > 1)
        {
            // One bad item must not fail the others: retry them one by one.
            logger.LogWarning(ex, "A batch of {Count} deliveries failed; retrying them one at a time.", batch.Count);
        }
        catch (Exception ex)
        {
            Fail(batch[0], ex);
            return;
        }

        foreach (var item in batch)
        {
            try
            {
                await ApplyAsync([item]);
            }
            catch (Exception ex)
            {
                Fail(item, ex);
            }
        }
    }

    private void Fail(IngestItem item, Exception ex)
    {
        logger.LogError(ex, "Delivery {DeliveryId} for source {SourceId} could not be stored.", item.Delivery.Id, item.Delivery.SourceId);
        item.Completion.TrySetException(new IngestUnavailableException("The delivery could not be stored; please retry.", ex));
    }

    private async Task ApplyAsync(IReadOnlyList<IngestItem> items)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync();
        await using var transaction = await db.Database.BeginTransactionAsync();

        var alerts = items.Where(i => i.Alerts is not null).SelectMany(i => i.Alerts!).Select(a => a.Alert).ToList();
        var seen = await LoadSeenEventsAsync(db, alerts);
        var open = await LoadOpenIncidentsAsync(db, alerts);
        var touched = new List<Incident>();
        var resolvedHere = new HashSet<(SourceId, string)>();
        long? nextNumber = null;

        foreach (var item in items)
        {
            var delivery = item.Delivery;
            if (item.Alerts is not null)
            {
                // Decided afresh on every attempt (a failed batch is retried item by item).
                delivery.IncidentId = null;
                delivery.EventId = null;
                delivery.Error = null;
                var accepted = false;
                var duplicate = false;
                foreach (var (alert, priority) in item.Alerts)
                {
                    var source = delivery.SourceId;
                    if (alert.EventId is not null && seen.TryGetValue((source, alert.EventId), out var earlier))
                    {
                        duplicate = true;
                        delivery.IncidentId ??= earlier;
                        continue;
                    }

                    var key = (source, alert.DedupKey);
                    Incident? incident;
                    if (alert.Action == AlertAction.Resolve)
                    {
                        if (!open.Remove(key, out incident))
                        {
                            continue; // Nothing open to resolve: recorded, changes nothing.
                        }

                        incident.ResolveFromSource(delivery.Id, alert, priority, now);
                        resolvedHere.Add(key);
                    }
                    else if (open.TryGetValue(key, out incident))
                    {
                        incident.AddAlert(delivery.Id, alert, priority, now);
                    }
                    else
                    {
                        if (resolvedHere.Remove(key))
                        {
                            // The incident with this key was resolved in this batch: write that first so the
                            // new open incident does not collide with it in the unique index.
                            await db.SaveChangesAsync();
                        }

                        nextNumber ??= (await db.Incidents.MaxAsync(i => (long?)i.Number) ?? 0) + 1;
                        incident = Incident.Open(IncidentId.New(), nextNumber.Value, source, delivery.Id, alert, priority, now);
                        nextNumber++;
                        db.Incidents.Add(incident);
                        open[key] = incident;
                    }

                    touched.Add(incident);
                    accepted = true;
                    delivery.IncidentId ??= incident.Id;
                    if (alert.EventId is not null)
                    {
                        seen[(source, alert.EventId)] = incident.Id;
                        delivery.EventId ??= alert.EventId;
                    }
                }

                (delivery.Outcome, delivery.StatusCode) = accepted ? (DeliveryOutcomes.Accepted, StatusCodes.Status202Accepted)
                    : duplicate ? (DeliveryOutcomes.Duplicate, StatusCodes.Status200OK)
                    : (DeliveryOutcomes.Ignored, StatusCodes.Status200OK);
                if (!accepted && !duplicate)
                {
                    delivery.Error ??= "Recovery received with no open incident; nothing to resolve.";
                }
            }

            db.Deliveries.Add(delivery);
        }

        await TouchSourcesAsync(db, items, now);
        await db.SaveChangesAsync();
        await transaction.CommitAsync();

        foreach (var item in items)
        {
            var d = item.Delivery;
            item.Completion.TrySetResult(new IngestResult(d.Id, d.Outcome, d.IncidentId, d.StatusCode, d.Error));
        }

        if (touched.Count > 0)
        {
            var changes = touched.Distinct().SelectMany(i => i.PendingChanges).ToList();
            foreach (var incident in touched)
            {
                incident.ClearPendingChanges();
            }

            notifier.Publish(changes);
        }
    }

    private static async Task<Dictionary<(SourceId, string), IncidentId?>> LoadSeenEventsAsync(AppDbContext db, List<NormalizedAlert> alerts)
    {
        var seen = new Dictionary<(SourceId, string), IncidentId?>();
        var eventIds = alerts.Select(a => a.EventId).OfType<string>().Distinct().ToList();
        if (eventIds.Count == 0)
        {
            return seen;
        }

        var rows = await db.Deliveries.AsNoTracking()
            .Where(d => d.EventId != null && eventIds.Contains(d.EventId))
            .Select(d => new { d.SourceId, d.EventId, d.IncidentId })
            .ToListAsync();
        foreach (var row in rows)
        {
            seen[(row.SourceId, row.EventId!)] = row.IncidentId;
        }

        return seen;
    }

    private static async Task<Dictionary<(SourceId, string), Incident>> LoadOpenIncidentsAsync(AppDbContext db, List<NormalizedAlert> alerts)
    {
        var keys = alerts.Select(a => a.DedupKey).Distinct().ToList();
        if (keys.Count == 0)
        {
            return [];
        }

        var incidents = await db.Incidents
            .Where(i => i.Status != IncidentStatus.Resolved && keys.Contains(i.DedupKey))
            .ToListAsync();
        return incidents.ToDictionary(i => (i.SourceId, i.DedupKey));
    }

    private static async Task TouchSourcesAsync(AppDbContext db, IReadOnlyList<IngestItem> items, DateTime now)
    {
        foreach (var sourceId in items.Select(i => i.Delivery.SourceId).Distinct())
        {
            await db.Sources.Where(s => s.Id == sourceId).ExecuteUpdateAsync(s => s.SetProperty(x => x.LastDeliveryAt, now));
        }

        foreach (var tokenId in items.Select(i => i.TokenId).OfType<long>().Distinct())
        {
            await db.SourceTokens.Where(t => t.Id == tokenId).ExecuteUpdateAsync(s => s.SetProperty(x => x.LastUsedAt, now));
        }
    }
}

/// <summary>The store could not take a delivery; the webhook answers 503 so the vendor retries.</summary>
public sealed class IngestUnavailableException(string message, Exception inner) : Exception(message, inner);
