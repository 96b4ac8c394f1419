using System.Text.RegularExpressions;
using Itoc360.Tests.TestSupport;
using Itoc360.Web.Data;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Itoc360.Tests.E2E;

[Collection(BrowserCollection.Name)]
public sealed class SignInTests(BrowserFixture browser)
{
    private static readonly Regex LoginUrl = new("/account/login");

    [BrowserFact]
    public async Task Admin_signs_in_to_the_incidents_page_and_signs_out()
    {
        await using var app = LiveApp.Start();
        await using var context = await browser.NewContextAsync(app);
        var page = await context.NewPageAsync();

        await page.GotoAsync("/");
        await Expect(page).ToHaveURLAsync(LoginUrl);
        await ConsolePages.SignInAsync(page, AppFactory.AdminEmail, AppFactory.AdminPassword);

        var appBar = page.GetByRole(AriaRole.Banner);
        await Expect(appBar).ToBeVisibleAsync();
        await Expect(appBar).ToContainTextAsync("Itoc360 Console");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Incidents" })).ToBeVisibleAsync();

        await appBar.GetByText(AppFactory.AdminEmail).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(LoginUrl);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign in" })).ToBeVisibleAsync();

        // The cookie is gone: the console sends us back to the sign-in page.
        await page.GotoAsync("/");
        await Expect(page).ToHaveURLAsync(LoginUrl);
    }

    [BrowserFact]
    public async Task Wrong_passwords_are_refused_and_the_fifth_locks_the_account()
    {
        const string email = "locked.out@example.com";
        const string password = "Right-Password-456";
        await using var app = LiveApp.Start();
        await app.CreateUserAsync(email, password, Roles.Responder);
        await using var context = await browser.NewContextAsync(app);
        var page = await context.NewPageAsync();
        var error = page.GetByRole(AriaRole.Alert);

        for (var attempt = 1; attempt <= 4; attempt++)
        {
            await ConsolePages.SubmitSignInAsync(page, email, $"Wrong-Password-{attempt:000}");
            await Expect(error).ToHaveTextAsync("Wrong e-mail or password.");
            await Expect(page).ToHaveURLAsync(LoginUrl);
        }

        await ConsolePages.SubmitSignInAsync(page, email, "Wrong-Password-005");
        await Expect(error).ToContainTextAsync("locked");

        await ConsolePages.SubmitSignInAsync(page, email, password);
        await Expect(error).ToContainTextAsync("locked");
        await Expect(page).ToHaveURLAsync(LoginUrl);
        Assert.DoesNotContain(await context.CookiesAsync(), c => c.Name == "itoc360.auth");
    }
}
