using Itoc360.Domain;
using Itoc360.Domain.Incidents;

namespace Itoc360.Web.Features.Incidents;

/// <summary>
/// The time-driven changes the jobs make. Each re-reads the incident and asks the aggregate whether
/// the change is due now, so a job that runs twice, early, or after a person got there first does nothing.
/// </summary>
public sealed class IncidentWorkflow(IncidentActions actions)
{
    public Task<ActionResult> ExpireSnoozeAsync(IncidentId id, CancellationToken ct) =>
        actions.ChangeAsync(id, (incident, now) => incident.ExpireSnooze(now), "", ct);

    public Task<ActionResult> ResolveIfQuietAsync(IncidentId id, CancellationToken ct) =>
        actions.ChangeAsync(id, (incident, now) => incident.ResolveIfQuiet(now), "", ct);

    public Task<ActionResult> TimeOutAcknowledgementAsync(IncidentId id, int hours, CancellationToken ct) =>
        actions.ChangeAsync(id, (incident, now) => incident.TimeOutAcknowledgement(hours, now), "", ct);

    public Task<ActionResult> AutoResolveAsync(IncidentId id, int hours, CancellationToken ct) =>
        actions.ChangeAsync(id, (incident, now) => incident.AutoResolve(hours, now), "", ct);
}
