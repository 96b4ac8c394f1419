using Hangfire;
using Itoc360.Web.Features.Incidents;

namespace Itoc360.Web.Jobs;

/// <summary>Runs one bulk acknowledge / resolve; the row in <c>BulkJobs</c> says what is left to do.</summary>
public sealed class BulkActionJob(BulkActions bulk)
{
    // The job records its own failure on the row; a run cut short by a restart is queued again by the sweeper.
    [AutomaticRetry(Attempts = 0)]
    public Task RunAsync(Guid bulkJobId, CancellationToken ct) => bulk.RunAsync(bulkJobId, ct);
}
