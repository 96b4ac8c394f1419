using System.Text.RegularExpressions;
using Itoc360.Tests.TestSupport;
using Itoc360.Web.Data;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Itoc360.Tests.E2E;

/// <summary>Bulk actions as a background job, and the admins' way to the Hangfire dashboard.</summary>
[Collection(BrowserCollection.Name)]
public sealed class WorkflowsBrowserTests(BrowserFixture browser)
{
    private const string Password = "Test-Password-789";

    /// <summary>Fixtures with distinct titles, one source each.</summary>
    private static readonly string[] Fixtures =
    [
        "twilio-errors/01-error-11200", "twilio-errors/02-warning-30008", "twilio-alarms/01-alarm-five-mins", "twilio-alarms/03-alarm-one-hour-json",
    ];

    [BrowserFact]
    public async Task A_responder_bulk_resolves_selected_incidents_and_follows_the_job_to_the_end()
    {
        const string responder = "responder@example.com";
        await using var app = LiveApp.Start();
        await app.CreateUserAsync(responder, Password, Roles.Responder);
        var incidents = new List<OpenedIncident>();
        foreach (var fixture in Fixtures)
        {
            incidents.Add(await app.OpenIncidentAsync(fixture));
        }

        Assert.Equal(incidents.Count, incidents.Select(i => i.Title).Distinct().Count());
        var chosen = incidents.Take(3).ToList();
        var left = incidents[3];

        await using var context = await browser.NewContextAsync(app);
        var page = await context.NewPageAsync();
        await ConsolePages.SignInAsync(page, responder, Password);
        // "All" keeps resolved incidents on screen, so the rows can be seen to change.
        await page.Locator("[data-status-filter=All]").ClickAsync();
        foreach (var incident in incidents)
        {
            await Expect(ConsolePages.StatusChip(ConsolePages.IncidentRow(page, incident))).ToHaveAttributeAsync("data-status", "Triggered");
        }

        foreach (var incident in chosen)
        {
            await page.GetByRole(AriaRole.Checkbox, new() { Name = $"Select incident {incident.Number}" }).CheckAsync();
        }

        await Expect(page.GetByTestId("bulk-bar")).ToContainTextAsync("3 selected");
        await page.GetByRole(AriaRole.Button, new() { Name = "Resolve selected" }).ClickAsync();

        // The bar follows the job's progress row until it is finished, then sums up.
        var progress = page.GetByTestId("bulk-progress");
        try
        {
            await Expect(progress).ToBeVisibleAsync();
            await Expect(progress).ToHaveAttributeAsync("data-state", "Succeeded");
        }
        catch (PlaywrightException e)
        {
            // What the server said meanwhile, to tell a job that never ran from a bar that never showed.
            var problems = app.Factory.Logs.Where(l => l.StartsWith("Warning", StringComparison.Ordinal) || l.StartsWith("Error", StringComparison.Ordinal)
                || l.Contains("Bulk", StringComparison.Ordinal));
            throw new Xunit.Sdk.XunitException($"{e.Message}\nServer log:\n{string.Join("\n", problems.TakeLast(30))}");
        }

        await Expect(progress.GetByTestId("bulk-count")).ToHaveTextAsync("3 / 3");
        await Expect(progress.GetByTestId("bulk-text")).ToHaveTextAsync("Resolved 3 incidents.");
        await Expect(page.Locator(".mud-snackbar").GetByText("Resolved 3 incidents.")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("bulk-bar")).ToHaveCountAsync(0);

        foreach (var incident in chosen)
        {
            await Expect(ConsolePages.StatusChip(ConsolePages.IncidentRow(page, incident))).ToHaveAttributeAsync("data-status", "Resolved");
            Assert.Equal("Resolved", (await app.IncidentAsync(incident.Id)).Status);
        }

        await Expect(ConsolePages.StatusChip(ConsolePages.IncidentRow(page, left))).ToHaveAttributeAsync("data-status", "Triggered");
        Assert.Equal("Triggered", (await app.IncidentAsync(left.Id)).Status);

        // A new selection replaces the finished job's bar.
        await page.GetByRole(AriaRole.Checkbox, new() { Name = $"Select incident {left.Number}" }).CheckAsync();
        await Expect(page.GetByTestId("bulk-bar")).ToContainTextAsync("1 selected");
        await Expect(progress).ToHaveCountAsync(0);
    }

    [BrowserFact]
    public async Task Admins_reach_the_jobs_dashboard_from_the_menu_and_responders_see_no_link()
    {
        const string responder = "responder@example.com";
        await using var app = LiveApp.Start();
        await app.CreateUserAsync(responder, Password, Roles.Responder);

        await using (var adminContext = await browser.NewContextAsync(app))
        {
            var page = await adminContext.NewPageAsync();
            await ConsolePages.SignInAsync(page, AppFactory.AdminEmail, AppFactory.AdminPassword);
            await page.GetByRole(AriaRole.Link, new() { Name = "Jobs" }).ClickAsync();

            // Not a Blazor route: the browser loads Hangfire's own page.
            await Expect(page).ToHaveURLAsync(new Regex("/ops/jobs/?$"));
            await Expect(page).ToHaveTitleAsync(new Regex("Itoc360 jobs"));
            await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Recurring Jobs" })).ToBeVisibleAsync();
        }

        await using var responderContext = await browser.NewContextAsync(app);
        var responderPage = await responderContext.NewPageAsync();
        await ConsolePages.SignInAsync(responderPage, responder, Password);
        await Expect(responderPage.GetByRole(AriaRole.Link, new() { Name = "Sources" })).ToBeVisibleAsync();
        await Expect(responderPage.GetByRole(AriaRole.Link, new() { Name = "Jobs" })).ToHaveCountAsync(0);
        var refused = await responderContext.APIRequest.GetAsync("ops/jobs", new() { MaxRedirects = 0 });
        Assert.True(refused.Status is 302 or 403, $"{refused.Status} {string.Join(", ", refused.Headers.Select(h => $"{h.Key}={h.Value}"))}");
        Assert.DoesNotContain("Recurring Jobs", await refused.TextAsync());
    }
}
