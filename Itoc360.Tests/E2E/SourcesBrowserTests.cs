using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Itoc360.Tests.TestSupport;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Itoc360.Tests.E2E;

/// <summary>An admin's source page in a real browser: the copy button and the priority-mapping editor.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SourcesBrowserTests(BrowserFixture browser)
{
    [BrowserFact]
    public async Task The_copy_button_puts_the_webhook_url_on_the_clipboard()
    {
        await using var app = LiveApp.Start();
        var source = await app.CreateSourceAsync("twilio-errors", "Debugger");
        await using var context = await browser.NewContextAsync(app);
        await context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"], new() { Origin = app.BaseAddress.GetLeftPart(UriPartial.Authority) });
        var page = await context.NewPageAsync();
        await ConsolePages.SignInAsync(page, AppFactory.AdminEmail, AppFactory.AdminPassword);

        await page.GotoAsync($"sources/{source.Id}");
        await ConsolePages.WaitForInteractiveAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Copy webhook URL" }).ClickAsync();
        await Expect(page.GetByText("Copied")).ToBeVisibleAsync();

        Assert.Equal(source.WebhookUrl, await page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));
    }

    [BrowserFact]
    public async Task A_mapping_edit_changes_the_priority_of_the_next_alert()
    {
        const string fixtureId = "twilio-errors/01-error-11200";
        await using var app = LiveApp.Start();
        var source = await app.CreateSourceAsync("twilio-errors", "Debugger");
        await using var context = await browser.NewContextAsync(app);
        var page = await context.NewPageAsync();
        await ConsolePages.SignInAsync(page, AppFactory.AdminEmail, AppFactory.AdminPassword);
        await page.GotoAsync($"sources/{source.Id}");
        await ConsolePages.WaitForInteractiveAsync(page);

        // The default mapping sends Level=ERROR (this fixture) to High: make that rule Critical.
        await Expect(page.GetByRole(AriaRole.Textbox, new() { Name = "Rule 1 value" })).ToHaveValueAsync("ERROR");
        await page.GetByTestId("rule-priority-0").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasText = "Critical" }).ClickAsync();
        await page.GetByTestId("save-mapping").ClickAsync();
        await Expect(page.GetByTestId("save-mapping")).ToBeDisabledAsync();

        using var vendor = new HttpClient();
        var posted = await Webhooks.SendAsync(vendor, HttpFixture.Get(fixtureId), source.WebhookUrl);
        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        var id = (await posted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("incidentId").GetGuid();
        Assert.Equal("Critical", (await app.IncidentAsync(id)).Priority);
    }
}
