using System.Net;
using Bunit;
using Itoc360.Tests.TestSupport;
using Itoc360.Web.Components.Pages.Incidents;
using Itoc360.Web.Data;

namespace Itoc360.Tests.Web.Components;

public sealed class IncidentPageTests : IDisposable
{
    private readonly AppFactory _app = new();

    [Fact]
    public async Task Shows_the_incident_and_follows_changes_made_elsewhere()
    {
        var source = await _app.CreateSourceAsync("twilio-errors", "Debugger");
        using var client = _app.CreateClient();
        Assert.Equal(HttpStatusCode.Accepted, (await Webhooks.SendAsync(client, HttpFixture.Get("twilio-errors/01-error-11200"), source.PathAndQuery)).StatusCode);
        var id = await _app.WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(db.Incidents));

        await using var ctx = ConsoleComponents.Create(_app, Roles.Responder);
        var cut = ctx.Render<IncidentPage>(p => p.Add(x => x.Key, id.Number.ToString()));
        cut.WaitForAssertion(() => Assert.Equal("Triggered", cut.Find("[data-testid=incident-status]").GetAttribute("data-status")));
        Assert.Contains("Debugger", cut.Markup);
        Assert.Contains("https://www.twilio.com/docs/api/errors/11200", cut.Markup);
        Assert.NotEmpty(cut.FindAll("[data-testid=payload]"));
        Assert.NotEmpty(cut.FindAll("[data-testid=action-bar]"));

        // Someone else acknowledges through the API: this page follows after one coalescing interval.
        using var api = _app.AdminClient();
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync($"/api/v1/incidents/{id.Id.Value}/acknowledge", null)).StatusCode);
        _app.Time.Advance(IncidentsPage.RefreshInterval);
        cut.WaitForAssertion(() => Assert.Equal("Acknowledged", cut.Find("[data-testid=incident-status]").GetAttribute("data-status")));
        Assert.Contains("Acknowledged by", cut.Find("[data-testid=timeline]").TextContent);
    }

    [Fact]
    public async Task A_viewer_sees_no_action_bar_and_an_unknown_number_says_so()
    {
        var source = await _app.CreateSourceAsync("twilio-errors", "Debugger");
        using var client = _app.CreateClient();
        await Webhooks.SendAsync(client, HttpFixture.Get("twilio-errors/01-error-11200"), source.PathAndQuery);

        await using var ctx = ConsoleComponents.Create(_app, Roles.Viewer);
        var cut = ctx.Render<IncidentPage>(p => p.Add(x => x.Key, "1"));
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=incident-status]")));
        Assert.Empty(cut.FindAll("[data-testid=action-bar]"));

        // Links that carry only the id (a delivery's incident) open the same page.
        var id = await _app.WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(db.Incidents));
        var byId = ctx.Render<IncidentPage>(p => p.Add(x => x.Key, id.Id.Value.ToString()));
        byId.WaitForAssertion(() => Assert.Contains($"#{id.Number}", byId.Find("h5").TextContent));

        var missing = ctx.Render<IncidentPage>(p => p.Add(x => x.Key, "999"));
        missing.WaitForAssertion(() => Assert.Contains("There is no incident 999", missing.Markup));
    }

    public void Dispose() => _app.Dispose();
}
