using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Itoc360.Tests.TestSupport;
using Itoc360.Web.Data;
using Itoc360.Web.Features.Incidents;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Itoc360.Tests.Web.Jobs;

public class BulkJobTests
{
    private static async Task<Guid[]> OpenManyAsync(AppFactory app, int count)
    {
        var source = await app.CreateSourceAsync("twilio-errors");
        var template = System.Text.Encoding.UTF8.GetString(HttpFixture.Get("twilio-errors/01-error-11200").Body);
        using var client = app.CreateClient();
        var ids = new List<Guid>();
        for (var i = 0; i < count; i++)
        {
            var body = System.Text.Encoding.UTF8.GetBytes(template.Replace("Sid=NO1436992f", $"Sid=NO{i:x4}992f"));
            var response = await Webhooks.PostAsync(client, source.PathAndQuery, Requests.FormType, body);
            ids.Add((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("incidentId").GetGuid());
        }

        return [.. ids];
    }

    private static async Task<JsonElement> JobAsync(HttpClient client, Guid jobId) =>
        await client.GetFromJsonAsync<JsonElement>($"/api/v1/jobs/{jobId}");

    [Fact]
    public async Task A_bulk_resolve_is_accepted_at_once_and_reports_its_progress_and_result()
    {
        await using var app = new AppFactory();
        var ids = await OpenManyAsync(app, 45);
        using var client = app.AdminClient();
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync($"/api/v1/incidents/{ids[0]}/resolve", new { })).StatusCode);

        var unknown = Guid.NewGuid();
        var response = await client.PostAsJsonAsync("/api/v1/incidents/bulk", new { action = "resolve", ids = ids.Append(unknown).Append(ids[1]), note = "maintenance" });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var jobId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobId").GetGuid();
        Assert.Equal($"/api/v1/jobs/{jobId}", response.Headers.Location?.OriginalString);
        var queued = await JobAsync(client, jobId);
        Assert.Equal("Queued", queued.GetProperty("state").GetString());
        Assert.Equal(46, queued.GetProperty("total").GetInt32()); // the repeated id counts once

        // With a fake clock the app's job server is off; run the job as Hangfire would, twice.
        var bulk = app.Services.GetRequiredService<BulkActions>();
        await bulk.RunAsync(jobId, CancellationToken.None);
        await bulk.RunAsync(jobId, CancellationToken.None);

        var done = await JobAsync(client, jobId);
        Assert.Equal("Succeeded", done.GetProperty("state").GetString());
        Assert.Equal(46, done.GetProperty("processed").GetInt32());
        Assert.Equal(44, done.GetProperty("changed").GetInt32());
        Assert.Equal(1, done.GetProperty("unchanged").GetInt32());
        Assert.Equal(1, done.GetProperty("failed").GetInt32());
        Assert.Equal(100, done.GetProperty("percent").GetInt32());
        Assert.Equal(45, await app.WithDbAsync(db => db.Incidents.CountAsync(i => i.Status == Itoc360.Domain.Incidents.IncidentStatus.Resolved)));
        var timeline = await app.WithDbAsync(db => db.Timeline.Where(t => t.Kind == "resolved").CountAsync());
        Assert.Equal(45, timeline);
        Assert.Contains("maintenance", (await client.GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{ids[5]}"))
            .GetProperty("timeline").EnumerateArray().Last().GetProperty("text").GetString());
    }

    [Fact]
    public async Task A_bulk_job_cut_short_continues_where_its_row_says_after_a_restart()
    {
        await using var app = new AppFactory();
        var ids = await OpenManyAsync(app, 5);
        var bulk = app.Services.GetRequiredService<BulkActions>();
        var actor = new Itoc360.Domain.Incidents.Actor("alice@example.com", Itoc360.Domain.Incidents.Via.Browser);
        var jobId = await bulk.SubmitAsync("acknowledge", ids, null, actor, CancellationToken.None);
        // As if a process had claimed it, done two, and died.
        await app.WithDbAsync(db => db.BulkJobs.Where(j => j.Id == jobId).ExecuteUpdateAsync(u => u
            .SetProperty(j => j.State, JobStates.Running).SetProperty(j => j.Processed, 2).SetProperty(j => j.Changed, 2)
            .SetProperty(j => j.UpdatedAt, app.Time.GetUtcNow().UtcDateTime)));

        Assert.Equal(0, await bulk.RestartStalledAsync(CancellationToken.None));
        await bulk.RunAsync(jobId, CancellationToken.None); // the lease still holds: nothing happens
        Assert.Equal(2, (await bulk.GetAsync(jobId, CancellationToken.None))!.Processed);

        app.Time.Advance(BulkActions.Lease + TimeSpan.FromSeconds(1));
        Assert.Equal(1, await bulk.RestartStalledAsync(CancellationToken.None));
        await bulk.RunAsync(jobId, CancellationToken.None);
        var status = (await bulk.GetAsync(jobId, CancellationToken.None))!;
        Assert.Equal(JobStates.Succeeded, status.State);
        Assert.Equal((5, 5), (status.Processed, status.Changed));
        // The first two were left as they were (the "dead" run is pretended): only the last three were acknowledged by this run.
        Assert.Equal(3, await app.WithDbAsync(db => db.Incidents.CountAsync(i => i.Status == Itoc360.Domain.Incidents.IncidentStatus.Acknowledged)));
    }

    [Theory]
    [InlineData("{\"action\":\"delete\",\"ids\":[\"6a1c4a50-3c7c-4b47-9f5e-3f2f4b4c1d11\"]}", "action")]
    [InlineData("{\"action\":\"resolve\",\"ids\":[]}", "ids")]
    [InlineData("{\"action\":\"resolve\"}", "ids")]
    [InlineData("{\"ids\":[\"6a1c4a50-3c7c-4b47-9f5e-3f2f4b4c1d11\"]}", "action")]
    [InlineData("{\"action\":\"resolve\",\"ids\":[\"not-a-guid\"]}", null)]
    [InlineData("[]", null)]
    public async Task Bad_bulk_requests_get_a_400_problem(string body, string? field)
    {
        await using var app = new AppFactory();
        using var client = app.AdminClient();
        var response = await client.PostAsync("/api/v1/incidents/bulk", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        if (field is not null)
        {
            Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _));
        }

        Assert.Equal(0, await app.WithDbAsync(db => db.BulkJobs.CountAsync()));
    }

    [Fact]
    public async Task Roles_apply_to_bulk_jobs_and_resolve_when_quiet()
    {
        await using var app = new AppFactory();
        var ids = await OpenManyAsync(app, 1);
        using var viewer = await app.ClientWithRoleAsync(Roles.Viewer);
        using var responder = await app.ClientWithRoleAsync(Roles.Responder);
        using var anonymous = app.CreateClient();
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsJsonAsync("/api/v1/incidents/bulk", new { action = "resolve", ids })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsJsonAsync($"/api/v1/incidents/{ids[0]}/resolve-when-quiet", new { minutes = 5 })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/v1/incidents/bulk", new { action = "resolve", ids })).StatusCode);

        var accepted = await responder.PostAsJsonAsync("/api/v1/incidents/bulk", new { action = "Acknowledge", ids });
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var jobId = (await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobId").GetGuid();
        Assert.Equal("acknowledge", (await JobAsync(viewer, jobId)).GetProperty("action").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await viewer.GetAsync($"/api/v1/jobs/{Guid.NewGuid()}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/v1/jobs/{jobId}")).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await responder.PostAsJsonAsync($"/api/v1/incidents/{ids[0]}/resolve-when-quiet", new { minutes = 5 })).StatusCode);
        foreach (var minutes in new int?[] { 0, -1, 10081, null })
        {
            var bad = await responder.PostAsJsonAsync($"/api/v1/incidents/{ids[0]}/resolve-when-quiet", new { minutes });
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        }

        var cancelled = await responder.DeleteAsync($"/api/v1/incidents/{ids[0]}/resolve-when-quiet");
        Assert.Equal(JsonValueKind.Null, (await cancelled.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("resolveWhenQuietAt").ValueKind);
        await responder.PostAsJsonAsync($"/api/v1/incidents/{ids[0]}/resolve", new { });
        Assert.Equal(HttpStatusCode.Conflict, (await responder.PostAsJsonAsync($"/api/v1/incidents/{ids[0]}/resolve-when-quiet", new { minutes = 5 })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await responder.PostAsJsonAsync($"/api/v1/incidents/{Guid.NewGuid()}/resolve-when-quiet", new { minutes = 5 })).StatusCode);
    }

    [Fact]
    public async Task Hangfire_runs_a_bulk_job_to_the_end_in_process()
    {
        // The real job server (it runs when the clock is real), as in production.
        await using var app = new AppFactory(fakeClock: false);
        var ids = await OpenManyAsync(app, 30);
        using var client = app.AdminClient();
        var response = await client.PostAsJsonAsync("/api/v1/incidents/bulk", new { action = "acknowledge", ids });
        var jobId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobId").GetGuid();
        try
        {
            await Wait.UntilAsync(async () => (await JobAsync(client, jobId)).GetProperty("state").GetString() == "Succeeded",
                TimeSpan.FromSeconds(30), "the bulk job finishes");
        }
        catch (TimeoutException timeout)
        {
            // Say why: the failed Hangfire jobs of this host, with their exceptions.
            var monitor = app.Services.GetRequiredService<Hangfire.JobStorage>().GetMonitoringApi();
            var failures = monitor.FailedJobs(0, 5).Select(j => $"{j.Value.Job?.Method.Name}: {j.Value.ExceptionDetails}");
            throw new TimeoutException($"{timeout.Message} Failed jobs: {string.Join(" | ", failures)}", timeout);
        }
        Assert.Equal(30, await app.WithDbAsync(db => db.Incidents.CountAsync(i => i.Status == Itoc360.Domain.Incidents.IncidentStatus.Acknowledged)));
    }
}
