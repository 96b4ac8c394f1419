using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Itoc360.Tests.TestSupport;

/// <summary>Steps that many browser tests share: signing in, waiting for the circuit.</summary>
public static class ConsolePages
{
    /// <summary>Fills and submits the sign-in form; does not wait for where it leads.</summary>
    public static async Task SubmitSignInAsync(IPage page, string email, string password)
    {
        if (!page.Url.Contains("/account/login", StringComparison.Ordinal))
        {
            await page.GotoAsync("account/login");
        }

        await page.GetByLabel("E-mail").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }

    /// <summary>Signs in and waits until the incidents page is interactive.</summary>
    public static async Task SignInAsync(IPage page, string email, string password)
    {
        await SubmitSignInAsync(page, email, password);
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(@"^https?://[^/]+/$"));
        await WaitForInteractiveAsync(page);
    }

    /// <summary>The incidents grid's row for <paramref name="incident"/>, found by its title link.</summary>
    public static ILocator IncidentRow(IPage page, OpenedIncident incident) =>
        page.GetByRole(AriaRole.Row).Filter(new() { Has = page.GetByRole(AriaRole.Link, new() { Name = incident.Title, Exact = true }) });

    /// <summary>The status chip inside <paramref name="scope"/> (it carries <c>data-status</c>).</summary>
    public static ILocator StatusChip(ILocator scope) => scope.Locator(".status-chip[data-status]");

    /// <summary>The layout marks the body once the Blazor circuit has rendered: only then do clicks reach .NET.</summary>
    public static Task WaitForInteractiveAsync(IPage page) =>
        Expect(page.Locator("body[data-interactive=true]")).ToHaveCountAsync(1);
}
