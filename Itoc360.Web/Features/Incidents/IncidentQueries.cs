using Itoc360.Domain;
using Itoc360.Domain.Incidents;
using Itoc360.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Itoc360.Web.Features.Incidents;

public sealed record IncidentItem(
    Guid Id, long Number, string Title, IncidentStatus Status, Priority Priority, Guid SourceId, string DedupKey, int AlertCount,
    DateTime CreatedAt, DateTime LastAlertAt, DateTime? AcknowledgedAt, string? AcknowledgedBy, DateTime? ResolvedAt, string? ResolvedBy,
    DateTime? SnoozedUntil, int Version, int? ResolveWhenQuietMinutes = null,
    [property: System.Text.Json.Serialization.JsonIgnore] DateTime? QuietSince = null)
{
    /// <summary>When the workflow resolves the incident unless an alert arrives first (null unless "resolve when quiet" is set).</summary>
    public DateTime? ResolveWhenQuietAt =>
        Status == IncidentStatus.Resolved ? null : Incident.QuietDue(ResolveWhenQuietMinutes, QuietSince, LastAlertAt);

    /// <summary>Snoozed and not yet due again (a resolved incident is never shown as snoozed).</summary>
    public bool IsSnoozedAt(DateTime nowUtc) => SnoozedUntil is { } until && until > nowUtc && Status != IncidentStatus.Resolved;
}

public sealed record AlertItem(long Id, Guid DeliveryId, string Action, string Title, Priority Priority, DateTime ReceivedAt, DateTime? OccurredAt, string Fields);

public sealed record TimelineItem(DateTime At, string Kind, string By, Via Via, string Text);

public sealed record IncidentDetail(IncidentItem Incident, IReadOnlyList<AlertItem> Alerts, IReadOnlyList<TimelineItem> Timeline);

public sealed record IncidentFilter(IncidentStatus? Status, Priority? Priority, SourceId? SourceId, string? Text, int Page, int PageSize,
    IncidentSort Sort = IncidentSort.Created, bool Descending = true, bool OpenOnly = false);

public enum IncidentSort
{
    Created,
    Number,
    Priority,
    Status,
    Title,
    LastAlert,
    Alerts,
}

/// <summary>A stored request behind an incident's alerts, for the raw-payload view.</summary>
public sealed record RawDelivery(Guid Id, DateTime ReceivedAt, string Method, string? ContentType, string? Query, byte[] Body, long BodyLength,
    string Outcome, int StatusCode, string? Error, Guid? ReplayOfId);

/// <summary>Read side of incidents: filtered pages and details, as projections.</summary>
public sealed class IncidentQueries(IDbContextFactory<AppDbContext> dbFactory)
{
    /// <param name="knownTotal">The number of matching incidents when the caller has just counted them (the console
    /// reads the counts per status first on every live refresh); counted here otherwise.</param>
    public async Task<(IReadOnlyList<IncidentItem> Items, int Total)> ListAsync(IncidentFilter filter, CancellationToken ct, int? knownTotal = null)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = Filter(db.Incidents.AsNoTracking(), filter);
        if (filter.Status is { } status)
        {
            query = query.Where(i => i.Status == status);
        }
        else if (filter.OpenOnly)
        {
            query = query.Where(i => i.Status != IncidentStatus.Resolved);
        }

        var total = knownTotal ?? (string.IsNullOrWhiteSpace(filter.Text)
            ? await CountedTotalAsync(db, filter, ct)
            : await query.CountAsync(ct));
        var items = await Order(query, filter.Sort, filter.Descending)
            .Skip((filter.Page - 1) * filter.PageSize).Take(filter.PageSize)
            .Select(Projection)
            .ToListAsync(ct);
        return (items, total);
    }

    /// <summary>How many incidents of each status match the filter's other conditions.</summary>
    /// <remarks>
    /// Without a text search this reads the trigger-kept <see cref="IncidentCount"/> rows (a few per source) instead
    /// of counting every incident: the console asks on every live refresh.
    /// </remarks>
    public async Task<IReadOnlyDictionary<IncidentStatus, int>> CountByStatusAsync(IncidentFilter filter, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var counts = string.IsNullOrWhiteSpace(filter.Text)
            ? await Counted(db, filter).GroupBy(c => c.Status).Select(g => new { Status = g.Key, Count = g.Sum(c => c.Count) }).ToListAsync(ct)
            : await Filter(db.Incidents.AsNoTracking(), filter)
                .GroupBy(i => i.Status).Select(g => new { Status = g.Key, Count = g.Count() }).ToListAsync(ct);
        return Enum.GetValues<IncidentStatus>().ToDictionary(s => s, s => counts.FirstOrDefault(c => c.Status == s)?.Count ?? 0);
    }

    /// <summary>The kept counts matching the filter's source and priority (it must have no text search).</summary>
    private static IQueryable<IncidentCount> Counted(AppDbContext db, IncidentFilter filter)
    {
        var query = db.IncidentCounts.AsNoTracking();
        if (filter.Priority is { } priority)
        {
            query = query.Where(c => c.Priority == priority);
        }

        if (filter.SourceId is { } sourceId)
        {
            query = query.Where(c => c.SourceId == sourceId);
        }

        return query;
    }

    /// <summary>The number of incidents matching a filter without text search, from the kept counts.</summary>
    private static async Task<int> CountedTotalAsync(AppDbContext db, IncidentFilter filter, CancellationToken ct)
    {
        var query = Counted(db, filter);
        if (filter.Status is { } status)
        {
            query = query.Where(c => c.Status == status);
        }
        else if (filter.OpenOnly)
        {
            query = query.Where(c => c.Status != IncidentStatus.Resolved);
        }

        return await query.SumAsync(c => c.Count, ct);
    }

    public async Task<IncidentId?> FindByNumberAsync(long number, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var ids = await db.Incidents.AsNoTracking().Where(i => i.Number == number).Select(i => i.Id).Take(1).ToListAsync(ct);
        return ids.Count == 0 ? null : ids[0];
    }

    /// <summary>The stored requests that carried the incident's alerts, oldest first.</summary>
    public async Task<IReadOnlyList<RawDelivery>> DeliveriesAsync(IncidentId id, int max, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var deliveryIds = db.Alerts.Where(a => a.IncidentId == id).Select(a => a.DeliveryId);
        return await db.Deliveries.AsNoTracking()
            .Where(d => d.IncidentId == id || deliveryIds.Contains(d.Id))
            .OrderBy(d => d.ReceivedAt).Take(max)
            .Select(d => new RawDelivery(d.Id.Value, d.ReceivedAt, d.Method, d.ContentType, d.Query, d.Body, d.BodyLength, d.Outcome, d.StatusCode, d.Error,
                d.ReplayOfId == null ? null : d.ReplayOfId.Value.Value))
            .ToListAsync(ct);
    }

    private static IQueryable<Incident> Order(IQueryable<Incident> query, IncidentSort sort, bool descending)
    {
        // Priorities and statuses are stored as names: order them by meaning, not alphabetically.
        IOrderedQueryable<Incident> ordered = sort switch
        {
            IncidentSort.Priority => descending
                ? query.OrderByDescending(i => i.Priority == Priority.Critical ? 0 : i.Priority == Priority.High ? 1 : i.Priority == Priority.Medium ? 2 : 3)
                : query.OrderBy(i => i.Priority == Priority.Critical ? 0 : i.Priority == Priority.High ? 1 : i.Priority == Priority.Medium ? 2 : 3),
            IncidentSort.Status => descending
                ? query.OrderByDescending(i => i.Status == IncidentStatus.Triggered ? 0 : i.Status == IncidentStatus.Acknowledged ? 1 : 2)
                : query.OrderBy(i => i.Status == IncidentStatus.Triggered ? 0 : i.Status == IncidentStatus.Acknowledged ? 1 : 2),
            IncidentSort.Title => descending ? query.OrderByDescending(i => i.Title) : query.OrderBy(i => i.Title),
            IncidentSort.LastAlert => descending ? query.OrderByDescending(i => i.LastAlertAt) : query.OrderBy(i => i.LastAlertAt),
            IncidentSort.Alerts => descending ? query.OrderByDescending(i => i.AlertCount) : query.OrderBy(i => i.AlertCount),
            // Numbers are handed out in the order incidents open, so "newest first" walks the unique index on
            // Number instead of sorting every matching row by CreatedAt (tens of milliseconds at 100k incidents).
            _ => descending ? query.OrderByDescending(i => i.Number) : query.OrderBy(i => i.Number),
        };
        return sort is IncidentSort.Number or IncidentSort.Created ? ordered
            : descending ? ordered.ThenByDescending(i => i.Number) : ordered.ThenBy(i => i.Number);
    }

    /// <summary>Every condition but the status.</summary>
    private static IQueryable<Incident> Filter(IQueryable<Incident> query, IncidentFilter filter)
    {
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

        return query;
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
        i.CreatedAt, i.LastAlertAt, i.AcknowledgedAt, i.AcknowledgedBy, i.ResolvedAt, i.ResolvedBy, i.SnoozedUntil, i.Version,
        i.QuietMinutes, i.QuietSince);
}
