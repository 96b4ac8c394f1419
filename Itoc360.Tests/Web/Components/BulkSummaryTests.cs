using Itoc360.Web.Components.Pages.Incidents;
using Itoc360.Web.Data;
using Itoc360.Web.Features.Incidents;

namespace Itoc360.Tests.Web.Components;

/// <summary>What the incidents page says once a bulk job has finished.</summary>
public sealed class BulkSummaryTests
{
    private static BulkJobStatus Status(string action, string state, int total, int processed, int changed, int unchanged, int failed, string? error = null) =>
        new(Guid.NewGuid(), "bulk", action, state, total, processed, changed, unchanged, failed, "someone", DateTime.UnixEpoch, null, null, error);

    [Theory]
    [InlineData(BulkActions.Resolve, 40, 38, 2, 0, "Resolved 38 incidents; 2 were already resolved.")]
    [InlineData(BulkActions.Resolve, 1, 1, 0, 0, "Resolved 1 incident.")]
    [InlineData(BulkActions.Resolve, 3, 0, 3, 0, "Resolved none of 3 incidents; 3 were already resolved.")]
    [InlineData(BulkActions.Acknowledge, 5, 3, 1, 1, "Acknowledged 3 incidents; 1 was already acknowledged; 1 could not be acknowledged.")]
    public void Sums_up_a_finished_job(string action, int total, int changed, int unchanged, int failed, string expected) =>
        Assert.Equal(expected, IncidentsPage.BulkSummary(Status(action, JobStates.Succeeded, total, total, changed, unchanged, failed)));

    [Fact]
    public void A_failed_job_says_where_it_stopped()
    {
        var status = Status(BulkActions.Resolve, JobStates.Failed, 40, 20, 20, 0, 0, "The job stopped on an unexpected error; see the server log.");
        Assert.Equal("Resolved 20 incidents; the job stopped after 20 of 40: The job stopped on an unexpected error; see the server log.",
            IncidentsPage.BulkSummary(status));
    }
}
