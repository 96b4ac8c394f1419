using System.Net;
using System.Text.RegularExpressions;
using Itoc360.Tests.TestSupport;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Itoc360.Tests.Web.Http;

public sealed partial class AccountTests : IDisposable
{
    private readonly AppFactory _app = new();

    [Fact]
    public async Task Pages_send_anonymous_visitors_to_sign_in_and_apis_answer_401()
    {
        using var client = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var page = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/account/login", page.Headers.Location!.PathAndQuery);

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/incidents")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsync("/hubs/incidents/negotiate?negotiateVersion=1", null)).StatusCode);
    }

    [Fact]
    public async Task Signing_in_sets_a_cookie_that_opens_the_console_and_signing_out_ends_it()
    {
        using var client = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var response = await PostLoginAsync(client, AppFactory.AdminEmail, AppFactory.AdminPassword);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location!.OriginalString.Replace("http://localhost", ""));

        var console = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, console.StatusCode);
        Assert.Contains("Incidents", await console.Content.ReadAsStringAsync());
        // The cookie works for the API and the hub too.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/incidents")).StatusCode);

        var home = await (await client.GetAsync("/")).Content.ReadAsStringAsync();
        var logout = await client.PostAsync("/account/logout", new FormUrlEncodedContent([new("__RequestVerificationToken", Token(home))]));
        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task A_wrong_password_is_refused_with_a_message()
    {
        using var client = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var response = await PostLoginAsync(client, AppFactory.AdminEmail, "not-the-password");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Wrong e-mail or password.", await response.Content.ReadAsStringAsync());
        Assert.DoesNotContain(response.Headers, h => h.Key == "Set-Cookie" && h.Value.Any(v => v.StartsWith("itoc360.auth=", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Sign_in_attempts_from_one_address_are_rate_limited()
    {
        using var client = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 21; i++)
        {
            statuses.Add((await PostLoginAsync(client, $"nobody{i}@example.com", "wrong-password")).StatusCode);
        }

        Assert.All(statuses.Take(20), s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[20]);
    }

    [Fact]
    public async Task Return_urls_never_leave_the_site()
    {
        using var client = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var response = await PostLoginAsync(client, AppFactory.AdminEmail, AppFactory.AdminPassword, "//evil.example.com/x");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location!.OriginalString.Replace("http://localhost", ""));
    }

    [Fact]
    public async Task Changing_the_password_keeps_this_session_and_the_old_password_stops_working()
    {
        using var client = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        Assert.Equal(HttpStatusCode.Redirect, (await PostLoginAsync(client, AppFactory.AdminEmail, AppFactory.AdminPassword)).StatusCode);

        const string next = "New-Password-4567!";
        var form = await (await client.GetAsync("/account/password")).Content.ReadAsStringAsync();
        var mismatch = await client.PostAsync("/account/password", new FormUrlEncodedContent(
        [
            new("__RequestVerificationToken", Token(form)), new("_handler", "change-password"),
            new("Input.Current", AppFactory.AdminPassword), new("Input.New", next), new("Input.Confirm", next + "x"),
        ]));
        Assert.Contains("The two new passwords differ.", await mismatch.Content.ReadAsStringAsync());

        var changed = await client.PostAsync("/account/password", new FormUrlEncodedContent(
        [
            new("__RequestVerificationToken", Token(form)), new("_handler", "change-password"),
            new("Input.Current", AppFactory.AdminPassword), new("Input.New", next), new("Input.Confirm", next),
        ]));
        Assert.Contains("Your password was changed.", await changed.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).StatusCode);

        using var other = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        Assert.Contains("Wrong e-mail or password.", await (await PostLoginAsync(other, AppFactory.AdminEmail, AppFactory.AdminPassword)).Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await PostLoginAsync(other, AppFactory.AdminEmail, next)).StatusCode);
    }

    private static async Task<HttpResponseMessage> PostLoginAsync(HttpClient client, string email, string password, string? returnUrl = null)
    {
        var query = returnUrl is null ? "" : $"?returnUrl={Uri.EscapeDataString(returnUrl)}";
        var form = await (await client.GetAsync("/account/login" + query)).Content.ReadAsStringAsync();
        return await client.PostAsync("/account/login" + query, new FormUrlEncodedContent(
        [
            new("__RequestVerificationToken", Token(form)),
            new("_handler", "login"),
            new("Input.Email", email),
            new("Input.Password", password),
        ]));
    }

    private static string Token(string html) => WebUtility.HtmlDecode(AntiforgeryField().Match(html).Groups[1].Value);

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    public void Dispose() => _app.Dispose();
}
