using System.Text.RegularExpressions;
using Itoc360.Tests.TestSupport;
using Itoc360.Web.Data;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Itoc360.Tests.E2E;

/// <summary>The incidents grid and page follow changes live, and what a role may do shows in the UI and holds on the server.</summary>
[Collection(BrowserCollection.Name)]
public sealed class IncidentsLiveTests(BrowserFixture browser)
{
    private const string Fixture = "twilio-errors/01-error-11200";
    private const string Password = "Test-Password-789";

    [BrowserFact]
    public async Task A_webhook_incident_appears_in_the_open_grid_without_a_reload()
    {
        await using var app = LiveApp.Start();
        await using var context = await browser.NewContextAsync(app);
        var page = await context.NewPageAsync();
        await ConsolePages.SignInAsync(page, AppFactory.AdminEmail, AppFactory.AdminPassword);
        await Expect(page.GetByText("No incidents match.")).ToBeVisibleAsync();
        // Survives only as long as this document does: a reload would drop it.
        await page.EvaluateAsync("() => { window.itoc360TestMarker = 'same document'; }");

        var incident = await app.OpenIncidentAsync(Fixture);

        var row = ConsolePages.IncidentRow(page, incident);
        await Expect(row).ToBeVisibleAsync();
        await Expect(row).ToContainTextAsync($"#{incident.Number}");
        await Expect(ConsolePages.StatusChip(row)).ToHaveAttributeAsync("data-status", "Triggered");
        await Expect(row.Locator(".priority-chip[data-priority]")).ToHaveAttributeAsync("data-priority", HttpFixture.Get(Fixture).ExpectedString("priority")!);
        Assert.Equal("same document", await page.EvaluateAsync<string>("() => window.itoc360TestMarker"));
    }

    [BrowserFact]
    public async Task Acknowledging_on_the_incident_page_changes_the_status_in_another_browser_live()
    {
        const string responder = "responder@example.com";
        await using var app = LiveApp.Start();
        await app.CreateUserAsync(responder, Password, Roles.Responder);
        var incident = await app.OpenIncidentAsync(Fixture);

        await using var watching = await browser.NewContextAsync(app);
        var grid = await watching.NewPageAsync();
        await ConsolePages.SignInAsync(grid, responder, Password);
        var row = ConsolePages.IncidentRow(grid, incident);
        await Expect(ConsolePages.StatusChip(row)).ToHaveAttributeAsync("data-status", "Triggered");
        await Expect(row.GetByRole(AriaRole.Button, new() { Name = $"Acknowledge incident {incident.Number}" })).ToBeVisibleAsync();

        await using var acting = await browser.NewContextAsync(app);
        var detail = await acting.NewPageAsync();
        await ConsolePages.SignInAsync(detail, AppFactory.AdminEmail, AppFactory.AdminPassword);
        await detail.GotoAsync($"incidents/{incident.Number}");
        await ConsolePages.WaitForInteractiveAsync(detail);
        await Expect(detail.GetByRole(AriaRole.Heading, new() { Name = incident.Title })).ToBeVisibleAsync();
        await detail.GetByRole(AriaRole.Button, new() { Name = "Acknowledge", Exact = true }).ClickAsync();
        await Expect(detail.GetByTestId("incident-status")).ToHaveAttributeAsync("data-status", "Acknowledged");

        await Expect(ConsolePages.StatusChip(row)).ToHaveAttributeAsync("data-status", "Acknowledged");
        await Expect(row.GetByRole(AriaRole.Button, new() { Name = $"Acknowledge incident {incident.Number}" })).ToHaveCountAsync(0);
        Assert.Equal("Acknowledged", (await app.IncidentAsync(incident.Id)).Status);

        // The grid's own row buttons act too; the detail page hears of it live.
        await row.GetByRole(AriaRole.Button, new() { Name = $"Resolve incident {incident.Number}" }).ClickAsync();
        await Expect(detail.GetByTestId("incident-status")).ToHaveAttributeAsync("data-status", "Resolved");
        await Expect(row).ToHaveCountAsync(0); // Resolved incidents leave the default "Open" view.
        Assert.Equal("Resolved", (await app.IncidentAsync(incident.Id)).Status);
    }

    [BrowserFact]
    public async Task A_viewer_sees_no_actions_and_the_api_refuses_the_viewers_cookie()
    {
        const string viewer = "viewer@example.com";
        await using var app = LiveApp.Start();
        await app.CreateUserAsync(viewer, Password, Roles.Viewer);
        var incident = await app.OpenIncidentAsync(Fixture);
        await using var context = await browser.NewContextAsync(app);
        var page = await context.NewPageAsync();
        await ConsolePages.SignInAsync(page, viewer, Password);

        // "Acknowledge", "Acknowledge incident 1", "Resolve selected"…; not the "Acknowledged"/"Resolved" status views.
        var actions = new Regex(@"^(Acknowledge|Resolve)\b");
        var row = ConsolePages.IncidentRow(page, incident);
        await Expect(ConsolePages.StatusChip(row)).ToHaveAttributeAsync("data-status", "Triggered");
        await Expect(page.GetByRole(AriaRole.Button, new() { NameRegex = actions })).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Checkbox, new() { Name = $"Select incident {incident.Number}" })).ToHaveCountAsync(0);

        await row.GetByRole(AriaRole.Link, new() { Name = incident.Title }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/incidents/{incident.Number}$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = incident.Title })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("incident-status")).ToHaveAttributeAsync("data-status", "Triggered");
        await Expect(page.GetByRole(AriaRole.Button, new() { NameRegex = actions })).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Snooze" })).ToHaveCountAsync(0);

        // The browser context's request API sends the viewer's sign-in cookie.
        var refused = await context.APIRequest.PostAsync($"api/v1/incidents/{incident.Id}/acknowledge");
        Assert.Equal(403, refused.Status);
        var allowed = await context.APIRequest.GetAsync($"api/v1/incidents/{incident.Id}");
        Assert.Equal(200, allowed.Status);
        Assert.Equal("Triggered", (await app.IncidentAsync(incident.Id)).Status);
    }
}
