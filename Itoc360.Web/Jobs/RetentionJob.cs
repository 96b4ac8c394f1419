using Hangfire;
using Itoc360.Web.Data;
using Itoc360.Web.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Itoc360.Web.Jobs;

/// <summary>Deletes stored deliveries (raw requests) older than their source's retention; incidents and their alerts are kept.</summary>
public sealed class RetentionJob(
    IDbContextFactory<AppDbContext> dbFactory,
    IOptions<Itoc360Options> options,
    TimeProvider time,
    ILogger<RetentionJob> logger)
{
    /// <summary>Rows per delete, so that the ingest writer never waits long for the database.</summary>
    public const int BatchSize = 1000;

    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(timeoutInSeconds: 600)]
    public async Task PurgeDeliveriesAsync(CancellationToken ct)
    {
        var deleted = await RunAsync(ct);
        if (deleted > 0)
        {
            logger.LogInformation("Retention: deleted {Count} deliveries past their source's retention.", deleted);
        }
    }

    public async Task<int> RunAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var defaultDays = options.Value.Jobs.DeliveryRetentionDays;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var sources = await db.Sources.AsNoTracking().Select(s => new { s.Id, s.DeliveryRetentionDays }).ToListAsync(ct);
        var total = 0;
        foreach (var source in sources)
        {
            var days = source.DeliveryRetentionDays ?? defaultDays;
            if (days <= 0)
            {
                continue; // Kept for ever.
            }

            var cutoff = now.AddDays(-days);
            int deleted;
            do
            {
                deleted = await db.Deliveries.Where(d => d.SourceId == source.Id && d.ReceivedAt < cutoff)
                    .OrderBy(d => d.ReceivedAt).Take(BatchSize).ExecuteDeleteAsync(ct);
                total += deleted;
            }
            while (deleted == BatchSize);
        }

        return total;
    }
}
