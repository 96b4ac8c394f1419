using Itoc360.Domain.Incidents;
using Itoc360.Domain.Paging;
using Itoc360.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Itoc360.Web.Features.Paging;

/// <summary>
/// Keeps paging in step with an incident change, inside the same unit of work (one SaveChanges, one
/// transaction) as the change itself: an incident that leaves Triggered (acknowledged, resolved, snoozed)
/// stops its escalation and cancels the pages not yet sent; one that is Triggered again (a snooze ran out,
/// an acknowledgement timed out) starts a new escalation with the policy that paged it before. The ingest
/// writer does the same in SQL for the changes it makes (<see cref="Webhooks.SqliteIngestStore"/>).
/// </summary>
public static class PagingLedger
{
    /// <summary>True when an incident in this state should page people.</summary>
    public static bool Pages(Incident incident) => incident.Status == IncidentStatus.Triggered && incident.SnoozedUntil is null;

    /// <summary>Records the paging side of the changes; true when an escalation started or stopped (the pager has work).</summary>
    public static async Task<bool> ApplyAsync(AppDbContext db, IReadOnlyCollection<Incident> incidents, DateTime now, CancellationToken ct)
    {
        var changed = incidents.Where(i => i.PendingChanges.Count > 0).ToList();
        if (changed.Count == 0)
        {
            return false;
        }

        var touched = false;

        var ids = changed.Select(i => i.Id).ToList();
        var escalations = await db.Escalations.Where(e => ids.Contains(e.IncidentId)).OrderBy(e => e.Id).ToListAsync(ct);
        foreach (var incident in changed)
        {
            var mine = escalations.Where(e => e.IncidentId == incident.Id).ToList();
            var active = mine.Where(e => e.State == EscalationStates.Active).ToList();
            var kind = incident.PendingChanges[^1].Kind;
            if (!Pages(incident) && active.Count > 0)
            {
                var by = incident.Timeline.Count > 0 ? incident.Timeline[^1].By : "";
                foreach (var escalation in active)
                {
                    escalation.State = EscalationStates.Stopping;
                    escalation.StopKind = kind;
                    escalation.StoppedBy = by;
                    escalation.StoppedAt = now;
                    escalation.DueAt = null;
                    escalation.Version++;
                }

                await StopTargetsAsync(db, incident, kind, now, ct);
                touched = true;
            }
            else if (Pages(incident) && active.Count == 0 && mine.Count > 0
                     && kind is TimelineKinds.SnoozeExpired or TimelineKinds.AcknowledgementTimedOut)
            {
                db.Escalations.Add(new Escalation
                {
                    IncidentId = incident.Id,
                    PolicyId = mine[^1].PolicyId,
                    StartedAt = now,
                    DueAt = now,
                    State = EscalationStates.Active,
                    Version = 1,
                });
                touched = true;
            }
        }

        return touched;
    }

    private static async Task StopTargetsAsync(AppDbContext db, Incident incident, string kind, DateTime now, CancellationToken ct)
    {
        foreach (var target in await db.PageTargets.Where(t => t.IncidentId == incident.Id && t.DueAt != null).ToListAsync(ct))
        {
            target.DueAt = null;
        }

        foreach (var page in await db.Notifications.Where(n => n.IncidentId == incident.Id && n.Status == NotificationStatus.Pending
                     && n.Purpose == NotificationPurposes.Page).ToListAsync(ct))
        {
            page.Status = NotificationStates.Cancel(page.Status);
            page.FinishedAt = now;
            page.Error = $"Not sent: the incident was {kind}.";
            page.Version++;
        }
    }
}
