using Itoc360.Domain;
using Itoc360.Domain.Incidents;
using Itoc360.Domain.Paging;
using Itoc360.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Itoc360.Web.Features.Paging;

/// <summary>One outbox row as the API and the incident page show it.</summary>
public sealed record NotificationItem(
    long Id, string UserId, string? UserName, ContactChannel Channel, string Purpose, string To, NotificationStatus Status, string? ProviderSid,
    DateTime CreatedAt, DateTime SendAfter, string? HeldFor, DateTime? SentAt, DateTime? DeliveredAt, string? Error, int? ErrorCode,
    decimal? Price, string? PriceUnit, long? BundledIntoId, string? Body);

/// <summary>A time or rate figure per group; null where nothing could be measured.</summary>
public sealed record ResponseTimes(string Source, Priority Priority, int Incidents, double? MttaMinutes, double? MttrMinutes);

public sealed record ChannelFigures(ContactChannel Channel, int Sent, int Delivered, int Failed, double? DeliveryRate, double? MedianSecondsToDelivered,
    decimal Spend, string? SpendUnit);

public sealed record PersonFigures(string UserId, string Name, int Paged, int Acknowledged, double? AcknowledgementRate);

public sealed record Overview(DateTime From, DateTime Until, IReadOnlyList<ResponseTimes> ResponseTimes, IReadOnlyList<ChannelFigures> Channels,
    IReadOnlyList<PersonFigures> People);

/// <summary>Reads of the outbox: an incident's notifications, and the Overview page's figures.</summary>
public sealed class PagingQueries(IDbContextFactory<AppDbContext> dbFactory, TimeProvider time)
{
    public async Task<IReadOnlyList<NotificationItem>?> ForIncidentAsync(IncidentId id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var number = await db.Incidents.AsNoTracking().Where(i => i.Id == id).Select(i => (long?)i.Number).FirstOrDefaultAsync(ct);
        if (number is null)
        {
            return null;
        }

        var pattern = $",{number},";
        var rows = await db.Notifications.AsNoTracking()
            .Where(n => n.IncidentId == id || (n.IncidentNumbers != null && n.IncidentNumbers.Contains(pattern)))
            .OrderBy(n => n.CreatedAt).ThenBy(n => n.Id).ToListAsync(ct);
        var userIds = rows.Select(r => r.UserId).Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id))
            .ToDictionaryAsync(u => u.Id, u => u.ShownName, ct);
        return rows.Select(n => new NotificationItem(n.Id, n.UserId, names.GetValueOrDefault(n.UserId), n.Channel, n.Purpose, n.To, n.Status, n.ProviderSid,
            n.CreatedAt, n.SendAfter, n.HeldFor, n.SentAt, n.DeliveredAt, n.Error, n.ErrorCode, n.Price, n.PriceUnit, n.BundledIntoId, n.Body)).ToList();
    }

    /// <summary>The figures of the last <paramref name="days"/> days.</summary>
    public async Task<Overview> OverviewAsync(int days, CancellationToken ct)
    {
        var until = time.GetUtcNow().UtcDateTime;
        var from = until.AddDays(-Math.Clamp(days, 1, 365));
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var sources = await db.Sources.AsNoTracking().ToDictionaryAsync(s => s.Id, s => s.Name, ct);
        var incidents = await db.Incidents.AsNoTracking().Where(i => i.CreatedAt >= from)
            .Select(i => new { i.Id, i.SourceId, i.Priority, i.CreatedAt, i.AcknowledgedAt, i.AcknowledgedBy, i.ResolvedAt, i.ResolvedBy }).ToListAsync(ct);
        var times = incidents.GroupBy(i => (i.SourceId, i.Priority)).Select(g => new ResponseTimes(
                sources.GetValueOrDefault(g.Key.SourceId) ?? g.Key.SourceId.ToString(), g.Key.Priority, g.Count(),
                Mean(g.Where(i => i.AcknowledgedAt is not null).Select(i => (i.AcknowledgedAt!.Value - i.CreatedAt).TotalMinutes)),
                Mean(g.Where(i => i.ResolvedAt is not null).Select(i => (i.ResolvedAt!.Value - i.CreatedAt).TotalMinutes))))
            .OrderBy(r => r.Source).ThenBy(r => r.Priority).ToList();

        var sent = await db.Notifications.AsNoTracking().Where(n => n.CreatedAt >= from && n.SendingAt != null)
            .Select(n => new { n.UserId, n.Channel, n.Purpose, n.Status, n.SendingAt, n.DeliveredAt, n.Price, n.PriceUnit, n.IncidentId, n.IncidentNumbers })
            .ToListAsync(ct);
        var channels = sent.GroupBy(n => n.Channel).Select(g =>
        {
            var delivered = g.Count(n => n.DeliveredAt is not null || n.Status is NotificationStatus.Delivered or NotificationStatus.Read or NotificationStatus.Completed);
            var failed = g.Count(n => n.Status is NotificationStatus.Failed or NotificationStatus.Undelivered or NotificationStatus.Busy or NotificationStatus.NoAnswer);
            var settled = delivered + failed;
            return new ChannelFigures(g.Key, g.Count(), delivered, failed, settled == 0 ? null : (double)delivered / settled,
                Median(g.Where(n => n.DeliveredAt is not null).Select(n => (n.DeliveredAt!.Value - n.SendingAt!.Value).TotalSeconds)),
                g.Sum(n => n.Price ?? 0), g.Select(n => n.PriceUnit).FirstOrDefault(u => u is not null));
        }).OrderBy(c => c.Channel).ToList();

        var users = await db.Users.AsNoTracking().Select(u => new { u.Id, u.Email, u.DisplayName }).ToListAsync(ct);
        var ackBy = incidents.Where(i => i.AcknowledgedBy is not null).ToDictionary(i => i.Id, i => i.AcknowledgedBy!);
        var people = sent.Where(n => n.Purpose is NotificationPurposes.Page or NotificationPurposes.Digest && n.IncidentId is not null)
            .GroupBy(n => n.UserId).Select(g =>
            {
                var user = users.FirstOrDefault(u => u.Id == g.Key);
                var paged = g.Select(n => n.IncidentId!.Value).Distinct().ToList();
                var acked = paged.Count(id => ackBy.TryGetValue(id, out var by) && user is not null
                    && (string.Equals(by, user.Email, StringComparison.OrdinalIgnoreCase) || string.Equals(by, user.DisplayName, StringComparison.OrdinalIgnoreCase)));
                return new PersonFigures(g.Key, user is null ? g.Key : string.IsNullOrWhiteSpace(user.DisplayName) ? user.Email ?? g.Key : user.DisplayName,
                    paged.Count, acked, paged.Count == 0 ? null : (double)acked / paged.Count);
            }).OrderByDescending(p => p.Paged).ToList();
        return new Overview(from, until, times, channels, people);
    }

    private static double? Mean(IEnumerable<double> values)
    {
        var list = values.ToList();
        return list.Count == 0 ? null : list.Average();
    }

    private static double? Median(IEnumerable<double> values)
    {
        var list = values.OrderBy(v => v).ToList();
        return list.Count == 0 ? null : list.Count % 2 == 1 ? list[list.Count / 2] : (list[list.Count / 2 - 1] + list[list.Count / 2]) / 2;
    }
}
