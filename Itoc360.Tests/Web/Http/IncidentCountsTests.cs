using Itoc360.Domain;
using Itoc360.Domain.Incidents;
using Itoc360.Tests.TestSupport;
using Itoc360.Web.Features.Incidents;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Itoc360.Tests.Web.Http;

/// <summary>
/// The console's status counts and grid totals come from IncidentCounts, kept by triggers; they must equal
/// counting the incidents themselves after every kind of write (ingest opens, merges and recoveries, people's
/// actions, a source's cascade delete). A migration that rebuilds the Incidents table would drop the triggers:
/// this is where that shows.
/// </summary>
public sealed class IncidentCountsTests : IDisposable
{
    private readonly AppFactory _app = new();

    [Fact]
    public async Task Kept_counts_equal_counting_the_incidents_after_every_kind_of_write()
    {
        var alibaba = await _app.CreateSourceAsync("alibaba-cloudmonitor", "CloudMonitor");
        var twilio = await _app.CreateSourceAsync("twilio-errors", "Debugger");
        using var client = _app.CreateClient();
        foreach (var name in new[] { "01-threshold-warn-alert", "02-threshold-critical-alert", "03-threshold-ok-recovery", "05-url-check", "06-system-event-critical" })
        {
            Assert.True((await Webhooks.SendAsync(client, HttpFixture.Get($"alibaba-cloudmonitor/{name}"), alibaba.PathAndQuery)).IsSuccessStatusCode, name);
        }

        foreach (var name in new[] { "01-error-11200", "02-warning-30008" })
        {
            Assert.True((await Webhooks.SendAsync(client, HttpFixture.Get($"twilio-errors/{name}"), twilio.PathAndQuery)).IsSuccessStatusCode, name);
        }

        await AssertCountsMatchAsync();

        var actions = _app.Services.GetRequiredService<IncidentActions>();
        var open = await _app.WithDbAsync(db => db.Incidents.Where(i => i.Status != IncidentStatus.Resolved).Select(i => i.Id).ToListAsync());
        Assert.True(open.Count >= 2);
        var by = new Actor("tester@example.com", Via.Api);
        Assert.Equal(ActionStatus.Done, (await actions.AcknowledgeAsync(open[0], by, CancellationToken.None)).Status);
        Assert.Equal(ActionStatus.Done, (await actions.ResolveAsync(open[1], by, null, CancellationToken.None)).Status);
        await AssertCountsMatchAsync();

        // Deleting a source deletes its incidents by cascade, which no application event reports.
        await _app.WithDbAsync(db => db.Database.ExecuteSqlRawAsync("DELETE FROM \"Sources\" WHERE \"Id\" = {0}", alibaba.Id));
        Assert.Equal(0, await _app.WithDbAsync(db => db.Incidents.CountAsync(i => i.SourceId == new SourceId(alibaba.Id))));
        await AssertCountsMatchAsync();
    }

    private async Task AssertCountsMatchAsync()
    {
        var kept = await _app.WithDbAsync(db => db.IncidentCounts.Where(c => c.Count != 0)
            .Select(c => new { c.SourceId, c.Priority, c.Status, c.Count }).ToListAsync());
        var counted = await _app.WithDbAsync(db => db.Incidents.GroupBy(i => new { i.SourceId, i.Priority, i.Status })
            .Select(g => new { g.Key.SourceId, g.Key.Priority, g.Key.Status, Count = g.Count() }).ToListAsync());
        Assert.Equal(
            counted.OrderBy(c => c.SourceId.Value).ThenBy(c => c.Priority).ThenBy(c => c.Status).Select(c => c.ToString()),
            kept.OrderBy(c => c.SourceId.Value).ThenBy(c => c.Priority).ThenBy(c => c.Status).Select(c => c.ToString()));

        // The queries the console runs agree with counting, with and without filters, and a text search still counts rows.
        var queries = _app.Services.GetRequiredService<IncidentQueries>();
        var sources = await _app.WithDbAsync(db => db.Sources.Select(s => s.Id).ToListAsync());
        foreach (var source in sources.Cast<SourceId?>().Append(null))
        {
            foreach (var priority in Enum.GetValues<Priority>().Cast<Priority?>().Append(null))
            {
                var filter = new IncidentFilter(null, priority, source, null, 1, 10);
                var byStatus = await queries.CountByStatusAsync(filter, CancellationToken.None);
                foreach (var status in Enum.GetValues<IncidentStatus>())
                {
                    var expected = await _app.WithDbAsync(db => db.Incidents.CountAsync(i =>
                        i.Status == status && (priority == null || i.Priority == priority) && (source == null || i.SourceId == source)));
                    Assert.Equal(expected, byStatus[status]);
                    Assert.Equal(expected, (await queries.ListAsync(filter with { Status = status }, CancellationToken.None)).Total);
                }

                var openTotal = (await queries.ListAsync(filter with { OpenOnly = true }, CancellationToken.None)).Total;
                Assert.Equal(byStatus[IncidentStatus.Triggered] + byStatus[IncidentStatus.Acknowledged], openTotal);
                Assert.Equal(byStatus.Values.Sum(), (await queries.ListAsync(filter, CancellationToken.None)).Total);
            }
        }

        var matching = await _app.WithDbAsync(db => db.Incidents.CountAsync(i => i.Title.Contains("11200") || i.DedupKey.Contains("11200")));
        var searched = new IncidentFilter(null, null, null, "11200", 1, 10);
        Assert.Equal(matching, (await queries.ListAsync(searched, CancellationToken.None)).Total);
        Assert.Equal(matching, (await queries.CountByStatusAsync(searched, CancellationToken.None)).Values.Sum());
    }

    public void Dispose() => _app.Dispose();
}
