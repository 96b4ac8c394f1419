using System.Net;
using Bunit;
using Itoc360.Domain;
using Itoc360.Domain.Incidents;
using Itoc360.Tests.TestSupport;
using Itoc360.Web.Components.Controls;
using Itoc360.Web.Components.Pages.Incidents;
using Itoc360.Web.Data;
using Itoc360.Web.Features.Incidents;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace Itoc360.Tests.Web.Components;

/// <summary>"Resolve when quiet for…" on the incident page, over the real use case and database.</summary>
public sealed class ResolveWhenQuietTests : IDisposable
{
    private readonly AppFactory _app = new();

    private CreatedSource? _source;

    private async Task<Incident> OpenIncidentAsync(string fixture = "twilio-alarms/01-alarm-five-mins")
    {
        _source = await _app.CreateSourceAsync(fixture.Split('/')[0]);
        using var client = _app.CreateClient();
        Assert.Equal(HttpStatusCode.Accepted, (await Webhooks.SendAsync(client, HttpFixture.Get(fixture), _source.PathAndQuery)).StatusCode);
        return await _app.WithDbAsync(db => db.Incidents.AsNoTracking().SingleAsync());
    }

    private Task<Incident> StoredAsync(IncidentId id) => _app.WithDbAsync(db => db.Incidents.AsNoTracking().SingleAsync(i => i.Id == id));

    private DateTime Now => _app.Time.GetUtcNow().UtcDateTime;

    private static IRenderedComponent<IncidentPage> RenderPage(BunitContext ctx, Incident incident)
    {
        var cut = ctx.Render<IncidentPage>(p => p.Add(x => x.Key, incident.Number.ToString()));
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=incident-status]")));
        return cut;
    }

    /// <summary>Opens the action bar's menu and clicks one of its items (they render in the popover provider).</summary>
    private static void PickQuiet(IRenderedComponent<IncidentPage> cut, IRenderedComponent<MudPopoverProvider> popovers, string item)
    {
        cut.Find("[data-testid=resolve-when-quiet-menu] button").Click();
        popovers.WaitForAssertion(() => Assert.Contains(popovers.FindAll(".mud-menu-item"), i => i.TextContent.Trim() == item));
        popovers.FindAll(".mud-menu-item").Single(i => i.TextContent.Trim() == item).Click();
    }

    [Fact]
    public async Task A_responder_sets_it_sees_the_due_time_and_stops_waiting()
    {
        var incident = await OpenIncidentAsync();
        await using var ctx = ConsoleComponents.Create(_app, Roles.Responder);
        var popovers = ctx.Render<MudPopoverProvider>();
        var cut = RenderPage(ctx, incident);
        Assert.Empty(cut.FindAll("[data-testid=resolve-when-quiet]"));
        var setAt = Now;

        PickQuiet(cut, popovers, "30 min");

        cut.WaitForAssertion(() => Assert.Equal(TimeText.Utc(setAt.AddMinutes(30)), cut.Find("[data-testid=resolve-when-quiet-at]").TextContent.Trim()));
        Assert.Contains("30 min quiet", cut.Find("[data-testid=resolve-when-quiet]").TextContent);
        var stored = await StoredAsync(incident.Id);
        Assert.Equal(30, stored.QuietMinutes);
        Assert.Equal(setAt.AddMinutes(30), stored.QuietDueAt);
        Assert.Contains(cut.FindAll("[data-testid=timeline-entry]"), e => e.GetAttribute("data-kind") == TimelineKinds.ResolveWhenQuiet);

        // A new alert restarts the clock: the page follows and shows the later time.
        _app.Time.Advance(TimeSpan.FromMinutes(10));
        using (var client = _app.CreateClient())
        {
            var again = await Webhooks.SendAsync(client, HttpFixture.Get("twilio-alarms/02-alarm-five-mins-fires-again"), _source!.PathAndQuery);
            Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        }

        _app.Time.Advance(IncidentsPage.RefreshInterval);
        var alertAt = Now - IncidentsPage.RefreshInterval;
        cut.WaitForAssertion(() => Assert.Equal(TimeText.Utc(alertAt.AddMinutes(30)), cut.Find("[data-testid=resolve-when-quiet-at]").TextContent.Trim()));
        Assert.Equal(2, (await StoredAsync(incident.Id)).AlertCount);

        cut.FindAll("button").Single(b => b.TextContent.Contains("Stop waiting")).Click();

        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=resolve-when-quiet]")));
        Assert.Null((await StoredAsync(incident.Id)).QuietMinutes);
        Assert.Contains(cut.FindAll("[data-testid=timeline-entry]"), e => e.GetAttribute("data-kind") == TimelineKinds.ResolveWhenQuietCancelled
            && e.TextContent.Contains("Stopped waiting for quiet"));
        Assert.Equal("Triggered", cut.Find("[data-testid=incident-status]").GetAttribute("data-status"));
    }

    [Fact]
    public async Task Custom_asks_for_a_duration_in_a_dialog()
    {
        var incident = await OpenIncidentAsync();
        await using var ctx = ConsoleComponents.Create(_app, Roles.Responder);
        var popovers = ctx.Render<MudPopoverProvider>();
        var dialogs = ctx.Render<MudDialogProvider>();
        var cut = RenderPage(ctx, incident);

        PickQuiet(cut, popovers, "Custom…");
        dialogs.WaitForAssertion(() => Assert.Contains("Quiet for", dialogs.Markup));
        var fields = dialogs.FindComponents<MudNumericField<int>>().Single();
        fields.Find("input").Change("90");
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Resolve when quiet").Click();

        cut.WaitForAssertion(() => Assert.Equal(TimeText.Utc(Now.AddMinutes(90)), cut.Find("[data-testid=resolve-when-quiet-at]").TextContent.Trim()));
        Assert.Contains("1 h 30 min quiet", cut.Find("[data-testid=resolve-when-quiet]").TextContent);
        Assert.Equal(90, (await StoredAsync(incident.Id)).QuietMinutes);
    }

    [Fact]
    public async Task When_the_quiet_period_passes_the_workflow_resolves_it_and_the_timeline_says_so()
    {
        var incident = await OpenIncidentAsync();
        await using var ctx = ConsoleComponents.Create(_app, Roles.Responder);
        var popovers = ctx.Render<MudPopoverProvider>();
        var cut = RenderPage(ctx, incident);
        PickQuiet(cut, popovers, "15 min");
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=resolve-when-quiet]")));

        // What the sweeper does once the time has come (the job itself is tested with the workflow). The app's own
        // Hangfire server may get there first on the advanced clock: either way it happens once.
        _app.Time.Advance(TimeSpan.FromMinutes(15));
        var actions = _app.Services.GetRequiredService<IncidentActions>();
        await actions.ChangeAsync(incident.Id, (i, now) => i.ResolveIfQuiet(now), "not open", CancellationToken.None);
        Assert.Equal(IncidentStatus.Resolved, (await StoredAsync(incident.Id)).Status);
        _app.Time.Advance(IncidentsPage.RefreshInterval);

        cut.WaitForAssertion(() => Assert.Equal("Resolved", cut.Find("[data-testid=incident-status]").GetAttribute("data-status")));
        Assert.Empty(cut.FindAll("[data-testid=resolve-when-quiet]"));
        Assert.Empty(cut.FindAll("[data-testid=resolve-when-quiet-menu]"));
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=timeline-entry]"), e => e.GetAttribute("data-kind") == TimelineKinds.ResolvedWhenQuiet));
        var entry = cut.FindAll("[data-testid=timeline-entry]").Single(e => e.GetAttribute("data-kind") == TimelineKinds.ResolvedWhenQuiet);
        Assert.Equal("Workflow", entry.GetAttribute("data-via"));
        Assert.Contains("Resolved when quiet", entry.TextContent);
        Assert.Contains("Resolved after 15 min without alerts.", entry.TextContent);
        Assert.NotNull(entry.QuerySelector(".timeline-workflow"));
        // A person's entry names the person and channel instead.
        var opened = cut.FindAll("[data-testid=timeline-entry]").Single(e => e.GetAttribute("data-kind") == TimelineKinds.ResolveWhenQuiet);
        Assert.Null(opened.QuerySelector(".timeline-workflow"));
        Assert.Contains("tester@example.com · via browser", opened.TextContent);
    }

    [Fact]
    public async Task A_viewer_sees_when_it_resolves_but_cannot_set_or_stop_it()
    {
        var incident = await OpenIncidentAsync();
        var actions = _app.Services.GetRequiredService<IncidentActions>();
        await actions.ResolveWhenQuietAsync(incident.Id, new Actor("someone", Via.Api), 60, CancellationToken.None);

        await using var ctx = ConsoleComponents.Create(_app, Roles.Viewer);
        var cut = RenderPage(ctx, incident);

        Assert.Equal(TimeText.Utc(Now.AddMinutes(60)), cut.Find("[data-testid=resolve-when-quiet-at]").TextContent.Trim());
        Assert.Empty(cut.FindAll("[data-testid=resolve-when-quiet-menu]"));
        Assert.DoesNotContain(cut.FindAll("button"), b => b.TextContent.Contains("Stop waiting"));
    }

    public void Dispose() => _app.Dispose();
}
