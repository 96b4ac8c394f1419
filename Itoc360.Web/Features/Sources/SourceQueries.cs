using Itoc360.Domain;
using Itoc360.Domain.Sources;
using Itoc360.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Itoc360.Web.Features.Sources;

/// <summary>A source as the list shows it, with its delivery counts over the last 24 hours.</summary>
public sealed record SourceSummary(
    Guid Id, string Name, string Kind, string KindName, bool Enabled, DateTime? LastDeliveryAt, int Accepted24h, int Rejected24h);

/// <summary>A source without any secret: what every signed-in role may see.</summary>
public sealed record SourceDetails(
    Guid Id, string Name, string Kind, bool Enabled, DateTime CreatedAt, DateTime? LastDeliveryAt,
    PriorityMappingDto PriorityMapping, bool HasTwilioAuthToken, IReadOnlyList<TokenInfo> Tokens,
    int? AcknowledgementTimeoutHours = null, int? AutoResolveHours = null, int? DeliveryRetentionDays = null, Guid? EscalationPolicyId = null);

/// <summary>A delivery of the source page's list (no body: that is loaded when a row is opened).</summary>
public sealed record DeliveryRow(
    Guid Id, DateTime ReceivedAt, string Method, string Outcome, int StatusCode, string? Error, Guid? IncidentId, bool IsReplay);

/// <summary>Reads for the Sources pages. Nothing here returns a token or a webhook URL; those come from <see cref="SourceAdmin"/>.</summary>
public sealed class SourceQueries(IDbContextFactory<AppDbContext> dbFactory, TimeProvider time)
{
    public async Task<IReadOnlyList<SourceSummary>> ListAsync(CancellationToken ct)
    {
        var since = time.GetUtcNow().UtcDateTime.AddHours(-24);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var sources = await db.Sources.AsNoTracking().OrderBy(s => s.Name)
            .Select(s => new { s.Id, s.Name, s.Kind, s.Enabled, s.LastDeliveryAt })
            .ToListAsync(ct);

        // One grouped query for every source's counts, not one per row.
        var counts = await db.Deliveries.AsNoTracking()
            .Where(d => d.ReceivedAt >= since && (d.Outcome == DeliveryOutcomes.Accepted || d.Outcome == DeliveryOutcomes.Rejected))
            .GroupBy(d => new { d.SourceId, d.Outcome })
            .Select(g => new { g.Key.SourceId, g.Key.Outcome, Count = g.Count() })
            .ToListAsync(ct);
        var byKey = counts.ToDictionary(c => (c.SourceId, c.Outcome), c => c.Count);

        return sources.Select(s => new SourceSummary(
                s.Id.Value, s.Name, s.Kind, KindName(s.Kind), s.Enabled, s.LastDeliveryAt,
                byKey.GetValueOrDefault((s.Id, DeliveryOutcomes.Accepted)),
                byKey.GetValueOrDefault((s.Id, DeliveryOutcomes.Rejected))))
            .ToArray();
    }

    public async Task<SourceDetails?> GetAsync(SourceId id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var source = await db.Sources.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, ct);
        if (source is null)
        {
            return null;
        }

        // Project the tokens so that their protected values are never read.
        var tokens = await db.SourceTokens.AsNoTracking().Where(t => t.SourceId == id)
            .OrderBy(t => t.ValidUntil != null).ThenByDescending(t => t.CreatedAt).ThenByDescending(t => t.Id)
            .Select(t => new TokenInfo(t.CreatedAt, t.ValidUntil, t.LastUsedAt))
            .ToListAsync(ct);
        return new SourceDetails(source.Id.Value, source.Name, source.Kind, source.Enabled, source.CreatedAt, source.LastDeliveryAt,
            PriorityMappingDto.From(PriorityMappingJson.Parse(source.PriorityMappingJson)),
            source.TwilioAuthTokenProtected is not null, tokens,
            source.AcknowledgementTimeoutHours, source.AutoResolveHours, source.DeliveryRetentionDays, source.EscalationPolicyId);
    }

    /// <summary>One page of a source's deliveries, newest first, optionally of one outcome.</summary>
    public async Task<Page<DeliveryRow>> DeliveriesAsync(SourceId id, string? outcome, int page, int pageSize, CancellationToken ct)
    {
        var size = Math.Clamp(pageSize, 1, 500);
        var skip = Math.Max(page, 0) * size;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.Deliveries.AsNoTracking().Where(d => d.SourceId == id);
        if (!string.IsNullOrWhiteSpace(outcome))
        {
            var wanted = outcome.Trim().ToLowerInvariant();
            query = query.Where(d => d.Outcome == wanted);
        }

        var total = await query.CountAsync(ct);
        var items = await query.OrderByDescending(d => d.ReceivedAt).ThenByDescending(d => d.Id).Skip(skip).Take(size)
            .Select(d => new DeliveryRow(d.Id.Value, d.ReceivedAt, d.Method, d.Outcome, d.StatusCode, d.Error,
                d.IncidentId == null ? null : d.IncidentId.Value.Value, d.ReplayOfId != null))
            .ToListAsync(ct);
        return new Page<DeliveryRow>(items, total);
    }

    /// <summary>One stored delivery with its body, only if it belongs to <paramref name="sourceId"/>.</summary>
    public async Task<Delivery?> GetDeliveryAsync(SourceId sourceId, DeliveryId id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Deliveries.AsNoTracking().FirstOrDefaultAsync(d => d.Id == id && d.SourceId == sourceId, ct);
    }

    public static string KindName(string kind) => SourceCatalog.TryGet(kind, out var parser) ? parser.DisplayName : kind;
}
