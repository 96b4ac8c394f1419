using System.Net;
using Bunit;
using Itoc360.Domain;
using Itoc360.Domain.Incidents;
using Itoc360.Domain.Paging;
using Itoc360.Tests.TestSupport;
using Itoc360.Web.Components.Pages.Incidents;
using Itoc360.Web.Components.Pages.Overview;
using Itoc360.Web.Data;
using Itoc360.Web.Realtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Itoc360.Tests.Web.Components;

/// <summary>The incident page's notifications (live) and the Overview page, over rows written straight into the outbox.</summary>
public sealed class PagingViewsTests : IDisposable
{
    private readonly AppFactory _app = new();

    private async Task<Incident> OpenIncidentAsync()
    {
        var source = await _app.CreateSourceAsync("twilio-errors", "Debugger");
        using var client = _app.CreateClient();
        Assert.Equal(HttpStatusCode.Accepted, (await Webhooks.SendAsync(client, HttpFixture.Get("twilio-errors/01-error-11200"), source.PathAndQuery)).StatusCode);
        return await _app.WithDbAsync(db => db.Incidents.AsNoTracking().SingleAsync());
    }

    private Task<string> AdminIdAsync() =>
        _app.WithDbAsync(db => db.Users.Where(u => u.Email == AppFactory.AdminEmail).Select(u => u.Id).SingleAsync());

    private async Task<long> AddNotificationAsync(Action<Notification> set)
    {
        var now = _app.Time.GetUtcNow().UtcDateTime;
        var row = new Notification
        {
            UserId = await AdminIdAsync(), Channel = ContactChannel.Sms, Purpose = NotificationPurposes.Page, To = "+4915112345678",
            Status = NotificationStatus.Pending, CreatedAt = now, SendAfter = now, Version = 1,
        };
        set(row);
        return await _app.WithDbAsync(async db =>
        {
            db.Notifications.Add(row);
            await db.SaveChangesAsync();
            return row.Id;
        });
    }

    [Fact]
    public async Task The_incident_page_lists_its_notifications_and_follows_paging_changes()
    {
        var incident = await OpenIncidentAsync();
        var now = _app.Time.GetUtcNow().UtcDateTime;
        var id = await AddNotificationAsync(n =>
        {
            n.IncidentId = incident.Id;
            n.Status = NotificationStatus.Sent;
            n.SendingAt = n.SentAt = now;
        });
        await AddNotificationAsync(n =>
        {
            n.IncidentId = incident.Id;
            n.Channel = ContactChannel.Voice;
            n.Status = NotificationStatus.Failed;
            n.ErrorCode = 30003;
            n.Error = "Unreachable destination handset";
        });

        await using var ctx = ConsoleComponents.Create(_app, Roles.Viewer);
        var cut = ctx.Render<IncidentPage>(p => p.Add(x => x.Key, incident.Number.ToString()));
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=notification-status]").Count));
        var table = cut.Find("[data-testid=notifications]");
        Assert.Contains("+49…5678", table.TextContent);
        Assert.DoesNotContain("+4915112345678", table.TextContent);
        Assert.Equal(["Sent", "Failed"], cut.FindAll("[data-testid=notification-status]").Select(c => c.GetAttribute("data-status")));
        Assert.Contains("https://www.twilio.com/docs/api/errors/30003", cut.Markup);
        Assert.Contains("mud-chip-color-error", cut.FindAll("[data-testid=notification-status]")[1].ClassName);

        // Twilio's status callback moves the row on; paging publishes a change for the incident, and the page follows.
        await _app.WithDbAsync(db => db.Notifications.Where(n => n.Id == id).ExecuteUpdateAsync(s => s
            .SetProperty(n => n.Status, NotificationStatus.Delivered).SetProperty(n => n.DeliveredAt, now.AddSeconds(4))
            .SetProperty(n => n.Price, 0.0079m).SetProperty(n => n.PriceUnit, "USD")));
        _app.Services.GetRequiredService<IncidentNotifier>().Publish(
            [new IncidentChanged(incident.Id, incident.Number, incident.Status, incident.Priority, incident.Version, "paging", incident.SourceId)]);
        _app.Time.Advance(IncidentsPage.RefreshInterval);

        cut.WaitForAssertion(() => Assert.Equal("Delivered", cut.FindAll("[data-testid=notification-status]")[0].GetAttribute("data-status")));
        Assert.Contains("0.0079 USD", cut.Find("[data-testid=notifications]").TextContent);
        Assert.Contains("mud-chip-color-success", cut.FindAll("[data-testid=notification-status]")[0].ClassName);
    }

    [Fact]
    public async Task The_incident_page_says_when_nobody_was_paged()
    {
        var incident = await OpenIncidentAsync();
        await using var ctx = ConsoleComponents.Create(_app, Roles.Viewer);
        var cut = ctx.Render<IncidentPage>(p => p.Add(x => x.Key, incident.Number.ToString()));
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=no-notifications]")));
        Assert.Empty(cut.FindAll("[data-testid=notifications]"));
    }

    [Fact]
    public async Task The_overview_shows_response_times_delivery_acknowledgement_and_spend()
    {
        var incident = await OpenIncidentAsync();
        var opened = _app.Time.GetUtcNow().UtcDateTime;
        await AddNotificationAsync(n =>
        {
            n.IncidentId = incident.Id;
            n.Status = NotificationStatus.Delivered;
            n.SendingAt = n.SentAt = opened;
            n.DeliveredAt = opened.AddSeconds(6);
            n.Price = 0.0079m;
            n.PriceUnit = "USD";
        });
        await AddNotificationAsync(n =>
        {
            n.IncidentId = incident.Id;
            n.Channel = ContactChannel.Voice;
            n.Status = NotificationStatus.NoAnswer;
            n.SendingAt = opened.AddMinutes(1);
            n.Price = 0.014m;
            n.PriceUnit = "USD";
        });

        // Acknowledged three minutes after it opened.
        _app.Time.Advance(TimeSpan.FromMinutes(3));
        using (var api = _app.AdminClient())
        {
            Assert.Equal(HttpStatusCode.OK, (await api.PostAsync($"/api/v1/incidents/{incident.Id.Value}/acknowledge", null)).StatusCode);
        }

        await using var ctx = ConsoleComponents.Create(_app, Roles.Viewer);
        var cut = ctx.Render<OverviewPage>();
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=response-times-table]")));

        var times = cut.Find("[data-testid=response-times-table]").TextContent;
        Assert.Contains("Debugger", times);
        Assert.Contains("3 min", times);
        var sms = cut.Find("[data-testid=channels-table] tr[data-channel=Sms]").TextContent;
        Assert.Contains("100%", sms);
        Assert.Contains("6 s", sms);
        var voice = cut.Find("[data-testid=channels-table] tr[data-channel=Voice]").TextContent;
        Assert.Contains("0%", voice);
        Assert.Contains("0.0219 USD", cut.Find("[data-testid=spend-total]").TextContent);
        var admin = await _app.WithDbAsync(db => db.Users.Where(u => u.Email == AppFactory.AdminEmail).Select(u => u.DisplayName).SingleAsync());
        var person = cut.Find("[data-testid=people-table] tbody tr");
        Assert.Contains(admin, person.TextContent);
        Assert.Equal(["1", "0", "0%"], person.QuerySelectorAll("td.num").Select(td => td.TextContent.Trim()));
    }

    [Fact]
    public async Task The_overview_says_what_will_appear_when_nothing_happened()
    {
        await using var ctx = ConsoleComponents.Create(_app, Roles.Viewer);
        var cut = ctx.Render<OverviewPage>();
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=channels-empty]")));
        Assert.Contains("Once pages go out", cut.Find("[data-testid=channels-empty]").TextContent);
        Assert.NotEmpty(cut.FindAll("[data-testid=response-times-empty]"));
        Assert.NotEmpty(cut.FindAll("[data-testid=people-empty]"));
    }

    public void Dispose() => _app.Dispose();
}
