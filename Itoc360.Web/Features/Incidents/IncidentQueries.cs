using Itoc360.Domain;
using Itoc360.Domain.Incidents;
using Itoc360.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Itoc360.Web.Features.Incidents;

public sealed record IncidentItem(
    Guid Id, long Number, string Title, IncidentStatus Status, Priority Priority, Guid SourceId, string DedupKey, int AlertCount,
    DateTime CreatedAt, DateTime LastAlertAt, DateTime? AcknowledgedAt, string? AcknowledgedBy, DateTime? ResolvedAt, string? ResolvedBy,
    DateTime? SnoozedUntil, int Version);

public sealed record AlertItem(long Id, Guid DeliveryId, string Action, string Title, Priority Priority, DateTime ReceivedAt, DateTime? OccurredAt, string Fields);

public sealed record TimelineItem(DateTime At, string Kind, string By, Via Via, string Text);

public sealed record IncidentDetail(IncidentItem Incident, IReadOnlyList<AlertItem> Alerts, IReadOnlyList<TimelineItem> Timeline);

public sealed record IncidentFilter(IncidentStatus? Status, Priority? Priority, SourceId? SourceId, string? Text, int Page, int PageSize);

/// <summary>Read side of incidents: filtered pages and details, as projections.</summary>
public sealed class IncidentQueries(IDbContextFactory<AppDbContext> dbFactory)
{
    public async Task<(IReadOnlyList<IncidentItem> Items, int Total)> ListAsync(IncidentFilter filter, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.Incidents.AsNoTracking();
        if (filter.Status is { } status)
        {
            query = query.Where(i => i.Status == status);
        }

        if (filter.Priority is { } priority)
        {
            query = query.Where(i => i.Priority == priority);
        }

        if (filter.SourceId is { } sourceId)
        {
            query = query.Where(i => i.SourceId == sourceId);
        }

        if (!string.IsNullOrWhiteSpace(filter.Text))
        {
            var text = filter.Text.Trim();
            var number = long.TryParse(text.TrimStart('#'), out var n) ? n : -1;
            var pattern = $"%{text.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_")}%";
            query = query.Where(i => i.Number == number || EF.Functions.Like(i.Title, pattern, "\\") || EF.Functions.Like(i.DedupKey, pattern, "\\"));
        }

        var total = await query.CountAsync(ct);
        var items = await query.OrderByDescending(i => i.CreatedAt).ThenByDescending(i => i.Number)
            .Skip((filter.Page - 1) * filter.PageSize).Take(filter.PageSize)
            .Select(Projection)
            .ToListAsync(ct);
        return (items, total);
    }

    public async Task<IncidentItem?> GetAsync(IncidentId id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Incidents.AsNoTracking().Where(i => i.Id == id).Select(Projection).FirstOrDefaultAsync(ct);
    }

    public async Task<IncidentDetail?> GetDetailAsync(IncidentId id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var incident = await db.Incidents.AsNoTracking().Where(i => i.Id == id).Select(Projection).FirstOrDefaultAsync(ct);
        if (incident is null)
        {
            return null;
        }

        var alerts = await db.Alerts.AsNoTracking().Where(a => a.IncidentId == id).OrderBy(a => a.ReceivedAt).ThenBy(a => a.Id)
            .Select(a => new AlertItem(a.Id, a.DeliveryId.Value, a.Action.ToString(), a.Title, a.Priority, a.ReceivedAt, a.OccurredAt, a.FieldsJson))
            .ToListAsync(ct);
        var timeline = await db.Timeline.AsNoTracking().Where(t => t.IncidentId == id).OrderBy(t => t.At).ThenBy(t => t.Id)
            .Select(t => new TimelineItem(t.At, t.Kind, t.By, t.Via, t.Text))
            .ToListAsync(ct);
        return new IncidentDetail(incident, alerts, timeline);
    }

    private static readonly System.Linq.Expressions.Expression<Func<Incident, IncidentItem>> Projection = i => new IncidentItem(
        i.Id.Value, i.Number, i.Title, i.Status, i.Priority, i.SourceId.Value, i.DedupKey, i.AlertCount,
        i.CreatedAt, i.LastAlertAt, i.AcknowledgedAt, i.AcknowledgedBy, i.ResolvedAt, i.ResolvedBy, i.SnoozedUntil, i.Version);
}
