using Itoc360.Domain;
using Itoc360.Domain.Incidents;
using Itoc360.Web.Data;
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
/// Person-driven changes to an incident (acknowledge, snooze, resolve). Each loads the aggregate,
/// applies the change through the lifecycle table and saves with the version as concurrency token;
/// if someone else changed the incident meanwhile, it reloads and decides again.
/// </summary>
public sealed class IncidentActions(IDbContextFactory<AppDbContext> dbFactory, IncidentNotifier notifier, TimeProvider time)
{
    private const int Attempts = 5;

    public Task<ActionResult> AcknowledgeAsync(IncidentId id, Actor by, CancellationToken ct) =>
        ApplyAsync(id, (incident, now) => incident.Acknowledge(by, now), "An incident that is resolved cannot be acknowledged.", ct);

    public Task<ActionResult> ResolveAsync(IncidentId id, Actor by, string? note, CancellationToken ct) =>
        ApplyAsync(id, (incident, now) => incident.Resolve(by, note, now), "This incident cannot be resolved.", ct);

    public Task<ActionResult> SnoozeAsync(IncidentId id, Actor by, TimeSpan duration, CancellationToken ct) =>
        ApplyAsync(id, (incident, now) => incident.Snooze(by, now + duration, now), "A resolved incident cannot be snoozed.", ct);

    private async Task<ActionResult> ApplyAsync(IncidentId id, Func<Incident, DateTime, ActionOutcome> action, string rejected, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var incident = await db.Incidents.FirstOrDefaultAsync(i => i.Id == id, ct);
            if (incident is null)
            {
                return ActionResult.NotFound;
            }

            var outcome = action(incident, time.GetUtcNow().UtcDateTime);
            if (outcome == ActionOutcome.Rejected)
            {
                return new ActionResult(ActionStatus.Conflict, outcome, rejected);
            }

            if (outcome == ActionOutcome.Unchanged)
            {
                return new ActionResult(ActionStatus.Done, outcome, null);
            }

            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException) when (attempt < Attempts)
            {
                continue; // Someone else changed it first: decide again on the fresh state.
            }

            var changes = incident.PendingChanges.ToArray();
            incident.ClearPendingChanges();
            notifier.Publish(changes);
            return new ActionResult(ActionStatus.Done, outcome, null);
        }
    }
}
