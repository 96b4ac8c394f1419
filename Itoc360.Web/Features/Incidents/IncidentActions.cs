using Itoc360.Domain;
using Itoc360.Domain.Incidents;
using Itoc360.Web.Data;
using Itoc360.Web.Jobs;
using Itoc360.Web.Realtime;
using Microsoft.EntityFrameworkCore;

namespace Itoc360.Web.Features.Incidents;

public enum ActionStatus
{
    Done,
    NotFound,
    Conflict,
}

public sealed record ActionResult(ActionStatus Status, ActionOutcome? Outcome, string? Problem)
{
    public static readonly ActionResult NotFound = new(ActionStatus.NotFound, null, "No such incident.");
}

/// <summary>
/// Changes to one incident, by people (acknowledge, snooze, resolve, resolve when quiet) and by the
/// workflow (<see cref="IncidentWorkflow"/>). Each loads the aggregate, applies the change through the
/// lifecycle table and saves with the version as concurrency token; if someone else changed the
/// incident meanwhile, it reloads and decides again, so a job and a person never apply the same change twice.
/// </summary>
public sealed class IncidentActions(
    IDbContextFactory<AppDbContext> dbFactory, IncidentNotifier notifier, IDueWorkScheduler dueWork, Paging.PagerPump pager, TimeProvider time)
{
    private const int Attempts = 5;

    public Task<ActionResult> AcknowledgeAsync(IncidentId id, Actor by, CancellationToken ct) =>
        ChangeAsync(id, (incident, now) => incident.Acknowledge(by, now), "An incident that is resolved cannot be acknowledged.", ct);

    public Task<ActionResult> ResolveAsync(IncidentId id, Actor by, string? note, CancellationToken ct) =>
        ChangeAsync(id, (incident, now) => incident.Resolve(by, note, now), "This incident cannot be resolved.", ct);

    public async Task<ActionResult> SnoozeAsync(IncidentId id, Actor by, TimeSpan duration, CancellationToken ct)
    {
        DateTime? until = null;
        var result = await ChangeAsync(id, (incident, now) =>
        {
            var outcome = incident.Snooze(by, now + duration, now);
            until = incident.SnoozedUntil;
            return outcome;
        }, "A resolved incident cannot be snoozed.", ct);
        if (result.Outcome == ActionOutcome.Changed && until is { } due)
        {
            dueWork.SnoozeSet(id, due);
        }

        return result;
    }

    /// <summary>Resolves the incident once no alert arrived for <paramref name="minutes"/>; every new alert restarts the clock.</summary>
    public async Task<ActionResult> ResolveWhenQuietAsync(IncidentId id, Actor by, int minutes, CancellationToken ct)
    {
        DateTime? dueAt = null;
        var result = await ChangeAsync(id, (incident, now) =>
        {
            var outcome = incident.ResolveWhenQuiet(by, minutes, now);
            dueAt = incident.QuietDueAt;
            return outcome;
        }, "A resolved incident cannot wait for a quiet period.", ct);
        if (result.Outcome == ActionOutcome.Changed && dueAt is { } due)
        {
            dueWork.QuietPeriodSet(id, due);
        }

        return result;
    }

    public Task<ActionResult> CancelResolveWhenQuietAsync(IncidentId id, Actor by, CancellationToken ct) =>
        ChangeAsync(id, (incident, now) => incident.CancelResolveWhenQuiet(by, now), "A resolved incident has no quiet period to stop.", ct);

    /// <summary>
    /// Applies <paramref name="action"/> to several incidents in one transaction (one disk sync instead of one
    /// per incident). Returns null when any of them changed meanwhile; the caller then goes one by one.
    /// </summary>
    public async Task<IReadOnlyList<ActionResult>?> ChangeManyAsync(IReadOnlyList<IncidentId> ids, Func<Incident, DateTime, ActionOutcome> action,
        string rejected, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var incidents = await db.Incidents.Where(i => ids.Contains(i.Id)).ToDictionaryAsync(i => i.Id, ct);
        var now = time.GetUtcNow().UtcDateTime;
        var results = new List<ActionResult>(ids.Count);
        var paging = false;
        foreach (var id in ids)
        {
            if (!incidents.TryGetValue(id, out var incident))
            {
                results.Add(ActionResult.NotFound);
                continue;
            }

            var outcome = action(incident, now);
            results.Add(outcome == ActionOutcome.Rejected
                ? new ActionResult(ActionStatus.Conflict, outcome, rejected)
                : new ActionResult(ActionStatus.Done, outcome, null));
        }

        try
        {
            paging = await Paging.PagingLedger.ApplyAsync(db, incidents.Values, now, ct);
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return null;
        }

        if (paging)
        {
            pager.Signal();
        }

        var changes = incidents.Values.SelectMany(i => i.PendingChanges).ToArray();
        notifier.Publish(changes);
        return results;
    }

    /// <summary>Applies <paramref name="action"/> to the stored incident and commits it; the events go out after the commit.</summary>
    public async Task<ActionResult> ChangeAsync(IncidentId id, Func<Incident, DateTime, ActionOutcome> action, string rejected, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var incident = await db.Incidents.FirstOrDefaultAsync(i => i.Id == id, ct);
            if (incident is null)
            {
                return ActionResult.NotFound;
            }

            var now = time.GetUtcNow().UtcDateTime;
            var outcome = action(incident, now);
            if (outcome == ActionOutcome.Rejected)
            {
                return new ActionResult(ActionStatus.Conflict, outcome, rejected);
            }

            if (outcome == ActionOutcome.Unchanged)
            {
                return new ActionResult(ActionStatus.Done, outcome, null);
            }

            bool paging;
            try
            {
                paging = await Paging.PagingLedger.ApplyAsync(db, [incident], now, ct);
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException) when (attempt < Attempts)
            {
                continue; // Someone else changed it first: decide again on the fresh state.
            }

            var changes = incident.PendingChanges.ToArray();
            incident.ClearPendingChanges();
            notifier.Publish(changes);
            if (paging)
            {
                pager.Signal();
            }

            return new ActionResult(ActionStatus.Done, outcome, null);
        }
    }
}
