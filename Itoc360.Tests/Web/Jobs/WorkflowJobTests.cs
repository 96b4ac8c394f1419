using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Itoc360.Domain;
using Itoc360.Domain.Incidents;
using Itoc360.Tests.TestSupport;
using Itoc360.Web.Data;
using Itoc360.Web.Features.Incidents;
using Itoc360.Web.Jobs;
using Itoc360.Web.Realtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Itoc360.Tests.Web.Jobs;

/// <summary>
/// The workflow jobs on a fake clock: the tests move time and run the jobs themselves (the app's Hangfire
/// server is off with a fake clock), so each due action is seen happening once, and not before its time.
/// </summary>
public class WorkflowJobTests
{
    private static async Task<(CreatedSource Source, Guid Incident)> OpenAsync(AppFactory app, string fixture = "twilio-errors/01-error-11200")
    {
        var source = await app.CreateSourceAsync(fixture.Split('/')[0]);
        return (source, await SendAsync(app, source, fixture));
    }

    private static async Task<Guid> SendAsync(AppFactory app, CreatedSource source, string fixture)
    {
        using var client = app.CreateClient();
        var response = await Webhooks.SendAsync(client, HttpFixture.Get(fixture), source.PathAndQuery);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("incidentId").GetGuid();
    }

    private static async Task<JsonElement> IncidentAsync(AppFactory app, Guid id)
    {
        using var client = app.AdminClient();
        return await client.GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{id}");
    }

    private static async Task<string[]> TimelineKindsAsync(AppFactory app, Guid id) =>
        (await IncidentAsync(app, id)).GetProperty("timeline").EnumerateArray().Select(t => t.GetProperty("kind").GetString()!).ToArray();

    private static Task<SweepResult> SweepAsync(AppFactory app) =>
        app.Services.GetRequiredService<DueWorkSweeper>().RunAsync(CancellationToken.None);

    private static async Task<HttpResponseMessage> PostAsync(AppFactory app, string path, object? body = null)
    {
        using var client = app.AdminClient();
        return await client.PostAsJsonAsync(path, body ?? new { });
    }

    [Fact]
    public async Task A_snooze_expires_once_at_its_time_however_often_the_sweeper_and_the_precise_job_run()
    {
        await using var app = new AppFactory();
        var (_, id) = await OpenAsync(app);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(app, $"/api/v1/incidents/{id}/snooze", new { minutes = 30 })).StatusCode);
        var dueJobs = app.Services.GetRequiredService<IncidentDueJobs>();

        app.Time.Advance(TimeSpan.FromMinutes(29));
        Assert.Equal(0, (await SweepAsync(app)).SnoozesExpired);
        await dueJobs.ExpireSnoozeAsync(id, CancellationToken.None);
        Assert.NotEqual(JsonValueKind.Null, (await IncidentAsync(app, id)).GetProperty("snoozedUntil").ValueKind);

        app.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, (await SweepAsync(app)).SnoozesExpired);
        Assert.Equal(0, (await SweepAsync(app)).SnoozesExpired);
        await dueJobs.ExpireSnoozeAsync(id, CancellationToken.None);

        var incident = await IncidentAsync(app, id);
        Assert.Equal("Triggered", incident.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, incident.GetProperty("snoozedUntil").ValueKind);
        Assert.Single(await TimelineKindsAsync(app, id), k => k == TimelineKinds.SnoozeExpired);
        var expired = incident.GetProperty("timeline").EnumerateArray().Last();
        Assert.Equal("Workflow", expired.GetProperty("via").GetString());
        Assert.Equal("Snooze expired; the incident is triggered again.", expired.GetProperty("text").GetString());
    }

    [Fact]
    public async Task Resolve_when_quiet_restarts_its_clock_on_each_new_alert_and_resolves_once()
    {
        await using var app = new AppFactory();
        var (source, id) = await OpenAsync(app, "twilio-alarms/01-alarm-five-mins");
        var armed = await PostAsync(app, $"/api/v1/incidents/{id}/resolve-when-quiet", new { minutes = 30 });
        Assert.Equal(HttpStatusCode.OK, armed.StatusCode);
        var item = await armed.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(30, item.GetProperty("resolveWhenQuietMinutes").GetInt32());
        Assert.Equal(app.Time.GetUtcNow().UtcDateTime.AddMinutes(30), item.GetProperty("resolveWhenQuietAt").GetDateTime());

        app.Time.Advance(TimeSpan.FromMinutes(20));
        Assert.Equal(id, await SendAsync(app, source, "twilio-alarms/02-alarm-five-mins-fires-again"));
        app.Time.Advance(TimeSpan.FromMinutes(15));
        Assert.Equal(0, (await SweepAsync(app)).ResolvedWhenQuiet);
        await app.Services.GetRequiredService<IncidentDueJobs>().ResolveIfQuietAsync(id, CancellationToken.None);
        Assert.Equal("Triggered", (await IncidentAsync(app, id)).GetProperty("status").GetString());

        app.Time.Advance(TimeSpan.FromMinutes(15));
        Assert.Equal(1, (await SweepAsync(app)).ResolvedWhenQuiet);
        Assert.Equal(0, (await SweepAsync(app)).ResolvedWhenQuiet);
        var resolved = await IncidentAsync(app, id);
        Assert.Equal("Resolved", resolved.GetProperty("status").GetString());
        Assert.Equal("workflow", resolved.GetProperty("resolvedBy").GetString());
        Assert.Equal("Resolved after 30 min without alerts.", resolved.GetProperty("timeline").EnumerateArray().Last().GetProperty("text").GetString());
        Assert.Equal(JsonValueKind.Null, resolved.GetProperty("resolveWhenQuietAt").ValueKind);
    }

    [Fact]
    public async Task Resolving_by_hand_cancels_the_pending_due_work_and_raises_exactly_one_resolution()
    {
        await using var app = new AppFactory();
        var (_, id) = await OpenAsync(app);
        var resolutions = new List<IncidentChanged>();
        using var subscription = app.Services.GetRequiredService<IncidentNotifier>()
            .Subscribe(changes => { lock (resolutions) { resolutions.AddRange(changes.Where(c => c.Status == IncidentStatus.Resolved)); } });
        await PostAsync(app, $"/api/v1/incidents/{id}/snooze", new { minutes = 10 });
        await PostAsync(app, $"/api/v1/incidents/{id}/resolve-when-quiet", new { minutes = 20 });
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(app, $"/api/v1/incidents/{id}/resolve", new { note = "fixed" })).StatusCode);

        var stored = await app.WithDbAsync(db => db.Incidents.AsNoTracking().SingleAsync(i => i.Id == new IncidentId(id)));
        Assert.Null(stored.SnoozedUntil);
        Assert.Null(stored.QuietMinutes);
        app.Time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, (await SweepAsync(app)).Total);
        await app.Services.GetRequiredService<IncidentDueJobs>().ResolveIfQuietAsync(id, CancellationToken.None);
        await app.Services.GetRequiredService<IncidentDueJobs>().ExpireSnoozeAsync(id, CancellationToken.None);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(app, $"/api/v1/incidents/{id}/resolve")).StatusCode);

        var incident = await IncidentAsync(app, id);
        Assert.Equal("Resolved", incident.GetProperty("status").GetString());
        Assert.Equal("api key 'bootstrap'", incident.GetProperty("resolvedBy").GetString());
        Assert.Single(await TimelineKindsAsync(app, id), TimelineKinds.IsResolution);
        lock (resolutions)
        {
            var resolution = Assert.Single(resolutions);
            Assert.Equal(TimelineKinds.Resolved, resolution.Kind);
            Assert.True(TimelineKinds.IsResolution(resolution.Kind));
        }
    }

    [Fact]
    public async Task An_acknowledgement_times_out_after_the_sources_hours_and_only_for_that_source()
    {
        await using var app = new AppFactory();
        var (source, id) = await OpenAsync(app);
        var (_, other) = await OpenAsync(app, "twilio-alarms/01-alarm-five-mins");
        await app.WithDbAsync(db => db.Sources.Where(s => s.Id == new SourceId(source.Id))
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.AcknowledgementTimeoutHours, 2)));
        await PostAsync(app, $"/api/v1/incidents/{id}/acknowledge");
        await PostAsync(app, $"/api/v1/incidents/{other}/acknowledge");

        app.Time.Advance(TimeSpan.FromMinutes(119));
        Assert.Equal(0, (await SweepAsync(app)).AcknowledgementsTimedOut);
        app.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, (await SweepAsync(app)).AcknowledgementsTimedOut);
        Assert.Equal(0, (await SweepAsync(app)).AcknowledgementsTimedOut);

        var incident = await IncidentAsync(app, id);
        Assert.Equal("Triggered", incident.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, incident.GetProperty("acknowledgedBy").ValueKind);
        Assert.Single(await TimelineKindsAsync(app, id), k => k == TimelineKinds.AcknowledgementTimedOut);
        Assert.Equal("Acknowledged", (await IncidentAsync(app, other)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Auto_resolve_waits_for_hours_without_a_new_alert()
    {
        await using var app = new AppFactory();
        var (source, id) = await OpenAsync(app, "twilio-alarms/01-alarm-five-mins");
        await app.WithDbAsync(db => db.Sources.Where(s => s.Id == new SourceId(source.Id))
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.AutoResolveHours, 24)));
        app.Time.Advance(TimeSpan.FromHours(12));
        await SendAsync(app, source, "twilio-alarms/02-alarm-five-mins-fires-again");

        app.Time.Advance(TimeSpan.FromHours(23));
        Assert.Equal(0, (await SweepAsync(app)).AutoResolved);
        app.Time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(1, (await SweepAsync(app)).AutoResolved);
        Assert.Equal(0, (await SweepAsync(app)).AutoResolved);

        var incident = await IncidentAsync(app, id);
        Assert.Equal("Resolved", incident.GetProperty("status").GetString());
        Assert.Equal("Resolved automatically: no new alert for 24 h.", incident.GetProperty("timeline").EnumerateArray().Last().GetProperty("text").GetString());
    }

    [Fact]
    public async Task A_person_and_the_job_never_apply_the_same_change_twice()
    {
        await using var app = new AppFactory();
        var (_, id) = await OpenAsync(app);
        await PostAsync(app, $"/api/v1/incidents/{id}/snooze", new { minutes = 5 });
        app.Time.Advance(TimeSpan.FromMinutes(6));

        // The job and a person's acknowledgement race for the same incident; the version decides, each applies once.
        var workflow = app.Services.GetRequiredService<IncidentWorkflow>();
        await Task.WhenAll(
            workflow.ExpireSnoozeAsync(new IncidentId(id), CancellationToken.None),
            workflow.ExpireSnoozeAsync(new IncidentId(id), CancellationToken.None),
            SweepAsync(app));
        var kinds = await TimelineKindsAsync(app, id);
        Assert.Single(kinds, k => k == TimelineKinds.SnoozeExpired);
        var version = (await IncidentAsync(app, id)).GetProperty("version").GetInt32();
        Assert.Equal(3, version); // opened, snoozed, snooze expired
    }

    [Fact]
    public async Task Retention_deletes_old_deliveries_per_source_and_keeps_incidents()
    {
        await using var app = new AppFactory();
        var (keepsDefault, oldIncident) = await OpenAsync(app);
        var (keepsForever, _) = await OpenAsync(app, "twilio-alarms/01-alarm-five-mins");
        await app.WithDbAsync(db => db.Sources.Where(s => s.Id == new SourceId(keepsForever.Id))
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.DeliveryRetentionDays, 0)));
        app.Time.Advance(TimeSpan.FromDays(31));
        await SendAsync(app, keepsDefault, "twilio-errors/02-warning-30008");

        var deleted = await app.Services.GetRequiredService<RetentionJob>().RunAsync(CancellationToken.None);
        Assert.Equal(1, deleted);
        Assert.Equal(1, await app.WithDbAsync(db => db.Deliveries.CountAsync(d => d.SourceId == new SourceId(keepsDefault.Id))));
        Assert.Equal(1, await app.WithDbAsync(db => db.Deliveries.CountAsync(d => d.SourceId == new SourceId(keepsForever.Id))));
        Assert.Equal(3, await app.WithDbAsync(db => db.Incidents.CountAsync()));
        Assert.Equal(1, (await IncidentAsync(app, oldIncident)).GetProperty("alerts").GetArrayLength());
        Assert.Equal(0, await app.Services.GetRequiredService<RetentionJob>().RunAsync(CancellationToken.None));
    }
}
