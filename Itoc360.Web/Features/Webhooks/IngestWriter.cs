using System.Threading.Channels;
using Itoc360.Domain;
using Itoc360.Domain.Incidents;
using Itoc360.Domain.Sources;
using Itoc360.Web.Data;
using Itoc360.Web.Realtime;
using Microsoft.EntityFrameworkCore;

namespace Itoc360.Web.Features.Webhooks;

/// <summary>An alert with the priority the source's mapping gave it when it arrived, and the escalation policy routing chose (null: page nobody).</summary>
public readonly record struct PrioritizedAlert(NormalizedAlert Alert, Priority Priority, Domain.Paging.EscalationPolicyId? Policy = null);

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
/// everything queued, decides it through the incident aggregate and writes it in one transaction
/// (group commit). A flusher then syncs the write-ahead log and only after that answers the waiting
/// requests, so a 2xx always follows a durable commit, one fsync covers many webhooks, and the writer
/// is already on the next batch while the disk syncs. Checkpoints run in the background.
/// </summary>
public sealed class IngestWriter(
    IDbContextFactory<AppDbContext> dbFactory,
    IncidentNotifier notifier,
    Paging.PagerPump pager,
    TimeProvider time,
    ILogger<IngestWriter> logger) : BackgroundService
{
    private const int MaxBatch = 256;

    private static readonly TimeSpan CheckpointInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>Batches committed so far (written by the writer, read by the checkpointer).</summary>
    private long _commits;

    private SqliteIngestStore? _store;

    private readonly Channel<Committed> _committed = Channel.CreateUnbounded<Committed>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });

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
        var flusher = Task.Run(FlushLoopAsync, CancellationToken.None);
        var checkpointer = Task.Run(() => CheckpointLoopAsync(stoppingToken), CancellationToken.None);
        try
        {
            await WriteLoopAsync(stoppingToken);
        }
        finally
        {
            // Answer whatever was committed, then stop.
            _committed.Writer.TryComplete();
            await flusher;
            await checkpointer;
        }
    }

    private async Task WriteLoopAsync(CancellationToken stoppingToken)
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

                Process(batch);
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
                    Process(batch);
                    batch.Clear();
                }
            }

            if (batch.Count > 0)
            {
                Process(batch);
            }
        }
    }

    private void Process(List<IngestItem> batch)
    {
        try
        {
            Apply(batch);
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
                Apply([item]);
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

    private void Apply(IReadOnlyList<IngestItem> items)
    {
        var started = time.GetTimestamp();
        var store = _store ??= OpenStore();
        var now = time.GetUtcNow().UtcDateTime;
        var touched = new List<Incident>();
        var paging = false;
        store.Begin();
        try
        {
            // What the batch needs to know before deciding: earlier deliveries of its event ids, open incidents of its keys.
            var alerts = items.Where(i => i.Alerts is not null).SelectMany(i => i.Alerts!).Select(a => a.Alert).ToList();
            var seen = new Dictionary<(SourceId, string), IncidentId?>();
            store.FindEvents(alerts.Select(a => a.EventId).OfType<string>().ToHashSet(), seen);
            var open = new Dictionary<(SourceId, string), Incident?>();
            store.FindOpen(alerts.Select(a => a.DedupKey).ToHashSet(), open);
            // What of each incident is already written in this batch: its version and how many alerts and timeline entries.
            var written = new Dictionary<Incident, (int Version, int Alerts, int Timeline)>(ReferenceEqualityComparer.Instance);
            foreach (var incident in open.Values)
            {
                written[incident!] = (incident!.Version, 0, 0);
            }
            long? nextNumber = null;

            foreach (var item in items)
            {
                var delivery = item.Delivery;
                if (item.Alerts is not null)
                {
                    paging |= Decide(store, item, delivery, now, seen, open, written, touched, ref nextNumber);
                }

                store.InsertDelivery(delivery);
            }

            foreach (var sourceId in items.Select(i => i.Delivery.SourceId).Distinct())
            {
                store.TouchSource(sourceId, now);
            }

            foreach (var tokenId in items.Select(i => i.TokenId).OfType<long>().Distinct())
            {
                store.TouchToken(tokenId, now);
            }

            var decided = time.GetTimestamp();
            store.Commit();
            Interlocked.Increment(ref _commits);
            if (logger.IsEnabled(LogLevel.Debug))
            {
                logger.LogDebug("Batch of {Count}: write {Write:F2} ms, commit {Commit:F2} ms",
                    items.Count, time.GetElapsedTime(started, decided).TotalMilliseconds, time.GetElapsedTime(decided).TotalMilliseconds);
            }
        }
        catch
        {
            // The connection may be unusable after a failure: start afresh next time.
            _store = null;
            store.Dispose();
            throw;
        }

        var changes = touched.Count == 0 ? [] : touched.Distinct().SelectMany(i => i.PendingChanges).ToList();
        _committed.Writer.TryWrite(new Committed(items.ToArray(), changes, paging));
    }

    /// <summary>
    /// Answers committed batches once they are on disk: each fsync of the WAL covers every batch committed
    /// before it started, so while one sync runs the writer commits the next batches.
    /// </summary>
    private async Task FlushLoopAsync()
    {
        var pending = new List<Committed>();
        while (await _committed.Reader.WaitToReadAsync())
        {
            while (_committed.Reader.TryRead(out var batch))
            {
                pending.Add(batch);
            }

            Exception? failure = null;
            try
            {
                (_store ?? throw new InvalidOperationException("The ingest store is closed.")).SyncWal();
            }
            catch (Exception ex)
            {
                failure = ex;
                logger.LogError(ex, "Could not sync the database's write-ahead log.");
            }

            foreach (var batch in pending)
            {
                foreach (var item in batch.Items)
                {
                    var d = item.Delivery;
                    if (failure is null)
                    {
                        item.Completion.TrySetResult(new IngestResult(d.Id, d.Outcome, d.IncidentId, d.StatusCode, d.Error));
                    }
                    else
                    {
                        // Committed but maybe not durable: the vendor retries and the event id makes the retry a duplicate.
                        item.Completion.TrySetException(new IngestUnavailableException("The delivery could not be made durable; please retry.", failure));
                    }
                }

                if (failure is null)
                {
                    notifier.Publish(batch.Changes);
                    if (batch.Paging)
                    {
                        pager.Signal(); // Durable now: the first page goes out without waiting for a poll.
                    }
                }
            }

            pending.Clear();
        }
    }

    /// <summary>
    /// Copies the WAL into the database in the background, so that commits never wait for a checkpoint. Often and
    /// small: under bench/run's load a checkpoint once a second copied ~30 MB at a time and every such copy was a
    /// stall for the requests waiting on the same core (p99 88 ms); every 100 ms, p99 was 25-29 ms at the same
    /// throughput (measured). Nothing is done while the writer has committed nothing since the last one.
    /// </summary>
    private async Task CheckpointLoopAsync(CancellationToken stoppingToken)
    {
        // Real time, not the app's clock: this is housekeeping, and a test clock moved by days would run it once per tick of that.
        using var timer = new PeriodicTimer(CheckpointInterval);
        long checkpointed = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var commits = Volatile.Read(ref _commits);
                if (commits == checkpointed)
                {
                    continue;
                }

                checkpointed = commits;
                try
                {
                    await using var db = await dbFactory.CreateDbContextAsync(stoppingToken);
                    await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(PASSIVE);", stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogWarning(ex, "Background checkpoint failed; it is tried again shortly.");
                    checkpointed = -1;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    /// <param name="Paging">The batch started or stopped an escalation: the pager has work.</param>
    private sealed record Committed(IReadOnlyList<IngestItem> Items, IReadOnlyList<IncidentChanged> Changes, bool Paging);

    /// <summary>Decides one delivery's alerts; true when it started or stopped paging for an incident.</summary>
    private static bool Decide(SqliteIngestStore store, IngestItem item, Delivery delivery, DateTime now,
        Dictionary<(SourceId, string), IncidentId?> seen, Dictionary<(SourceId, string), Incident?> open,
        Dictionary<Incident, (int Version, int Alerts, int Timeline)> written, List<Incident> touched, ref long? nextNumber)
    {
        // Decided afresh on every attempt (a failed batch is retried item by item).
        delivery.IncidentId = null;
        delivery.EventId = null;
        delivery.Error = null;
        var accepted = false;
        var duplicate = false;
        var paging = false;
        var source = delivery.SourceId;
        foreach (var (alert, priority, policy) in item.Alerts!)
        {
            if (alert.EventId is not null && seen.TryGetValue((source, alert.EventId), out var earlier))
            {
                duplicate = true;
                delivery.IncidentId ??= earlier;
                continue;
            }

            var key = (source, alert.DedupKey);
            open.TryGetValue(key, out var incident);
            Domain.Paging.EscalationPolicyId? opened = null;

            if (alert.Action == AlertAction.Resolve)
            {
                if (incident is null)
                {
                    continue; // Nothing open to resolve: recorded, changes nothing.
                }

                incident.ResolveFromSource(delivery.Id, alert, priority, now);
                open[key] = null;
                store.StopPaging(incident.Id, TimelineKinds.Resolved, Actor.FromSource.Name, now);
                paging = true;
            }
            else if (incident is not null)
            {
                incident.AddAlert(delivery.Id, alert, priority, now);
            }
            else
            {
                nextNumber ??= store.MaxNumber() + 1;
                incident = Incident.Open(IncidentId.New(), nextNumber.Value, source, delivery.Id, alert, priority, now);
                nextNumber++;
                open[key] = incident;
                opened = policy;
            }

            Persist(store, incident, written);
            if (opened is { } policyId)
            {
                // In the same transaction as the incident: paging starts exactly when the incident exists.
                store.StartEscalation(incident.Id, policyId.Value, now);
                paging = true;
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
            delivery.Error = "Recovery received with no open incident; nothing to resolve.";
        }

        return paging;
    }

    /// <summary>Writes what changed on <paramref name="incident"/> since it was last written in this batch.</summary>
    private static void Persist(SqliteIngestStore store, Incident incident, Dictionary<Incident, (int Version, int Alerts, int Timeline)> written)
    {
        var (version, alerts, timeline) = written.TryGetValue(incident, out var w) ? w : (0, 0, 0);
        if (version == 0)
        {
            store.InsertIncident(incident);
        }
        else
        {
            store.UpdateIncident(incident, version);
        }

        for (var i = alerts; i < incident.Alerts.Count; i++)
        {
            store.InsertAlert(incident.Alerts[i]);
        }

        for (var i = timeline; i < incident.Timeline.Count; i++)
        {
            store.InsertTimeline(incident.Timeline[i]);
        }

        written[incident] = (incident.Version, incident.Alerts.Count, incident.Timeline.Count);
    }

    private SqliteIngestStore OpenStore()
    {
        using var db = dbFactory.CreateDbContext();
        return new SqliteIngestStore(db.Database.GetConnectionString()
            ?? throw new InvalidOperationException("The database has no connection string."));
    }

    public override void Dispose()
    {
        _store?.Dispose();
        _store = null;
        base.Dispose();
    }
}

/// <summary>The store could not take a delivery; the webhook answers 503 so the vendor retries.</summary>
public sealed class IngestUnavailableException(string message, Exception inner) : Exception(message, inner);
