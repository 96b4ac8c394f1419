using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Itoc360.Tests.TestSupport;

/// <summary>
/// Signs in the way a browser without JavaScript does: GET <c>/account/login</c>, then POST the form with its
/// antiforgery token. The returned client keeps the cookies (sign-in and antiforgery) and does not follow redirects.
/// </summary>
public static partial class BrowserlessSignIn
{
    public const string LoginPath = "/account/login";

    /// <summary>A client signed in as <paramref name="email"/>; throws when the sign-in fails.</summary>
    public static async Task<HttpClient> SignedInClientAsync(this AppFactory app, string email, string password)
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var response = await PostLoginAsync(client, email, password);
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            var page = await response.Content.ReadAsStringAsync();
            client.Dispose();
            throw new InvalidOperationException($"Sign-in as {email} failed: {(int)response.StatusCode} {ErrorOf(page)}");
        }

        return client;
    }

    /// <summary>Posts the sign-in form once; a 302 means signed in, a 200 is the form again with its error.</summary>
    public static async Task<HttpResponseMessage> PostLoginAsync(HttpClient client, string email, string password, string? returnUrl = null)
    {
        var form = await client.GetStringAsync(LoginPath);
        var token = AntiforgeryToken().Match(form) is { Success: true } match
            ? WebUtility.HtmlDecode(match.Groups[1].Value)
            : throw new InvalidOperationException("The sign-in page has no antiforgery token.");
        var path = returnUrl is null ? LoginPath : $"{LoginPath}?ReturnUrl={Uri.EscapeDataString(returnUrl)}";
        return await client.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = token,
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        }));
    }

    /// <summary>The error the sign-in page shows, if any.</summary>
    public static string? ErrorOf(string page) =>
        AlertText().Match(page) is { Success: true } match ? WebUtility.HtmlDecode(match.Groups[1].Value.Trim()) : null;

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();

    [GeneratedRegex("role=\"alert\">([^<]*)<")]
    private static partial Regex AlertText();
}
