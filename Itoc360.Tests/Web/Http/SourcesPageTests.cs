using System.Net;
using Itoc360.Tests.TestSupport;
using Itoc360.Web.Data;

namespace Itoc360.Tests.Web.Http;

/// <summary>The Sources pages as the server renders them: the webhook URL (it holds the token) reaches admins only.</summary>
public class SourcesPageTests
{
    [Fact]
    public async Task Only_an_admin_receives_the_webhook_url_with_its_token()
    {
        await using var app = new AppFactory();
        var source = await app.CreateSourceAsync("twilio-alarms", name: "Alarms of prod");
        using var viewer = await app.ClientWithRoleAsync(Roles.Viewer);
        using var responder = await app.ClientWithRoleAsync(Roles.Responder);
        using var admin = app.AdminClient();

        foreach (var client in new[] { viewer, responder })
        {
            var response = await client.GetAsync($"/sources/{source.Id}");
            var html = await response.Content.ReadAsStringAsync();

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("Alarms of prod", html);
            Assert.DoesNotContain(source.Token, html);
            Assert.DoesNotContain(Uri.EscapeDataString(source.Token), html);
            Assert.DoesNotContain($"/hooks/{source.Id}", html);
            Assert.DoesNotContain("Rotate token", html);
        }

        var adminResponse = await admin.GetAsync($"/sources/{source.Id}");
        var adminHtml = await adminResponse.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, adminResponse.StatusCode);
        Assert.Contains($"/hooks/{source.Id}?token={Uri.EscapeDataString(source.Token)}", WebUtility.HtmlDecode(adminHtml));
        Assert.Contains("Rotate token", adminHtml);
    }

    [Fact]
    public async Task The_list_shows_sources_with_their_counts_and_offers_creation_to_admins_only()
    {
        await using var app = new AppFactory();
        var source = await app.CreateSourceAsync("twilio-errors", name: "Debugger of prod");
        using (var webhook = app.CreateClient())
        {
            Assert.Equal(HttpStatusCode.Accepted, (await Webhooks.SendAsync(webhook, HttpFixture.Get("twilio-errors/01-error-11200"), source.PathAndQuery)).StatusCode);
        }

        using var viewer = await app.ClientWithRoleAsync(Roles.Viewer);
        using var admin = app.AdminClient();

        var viewerHtml = await viewer.GetStringAsync("/sources");
        var adminHtml = await admin.GetStringAsync("/sources");

        Assert.Contains("Debugger of prod", viewerHtml);
        Assert.Contains("Twilio Debugger (errors and warnings)", viewerHtml);
        Assert.DoesNotContain("New source", viewerHtml);
        Assert.DoesNotContain(source.Token, viewerHtml);
        Assert.Contains("New source", adminHtml);
    }

    [Fact]
    public async Task Signed_out_visitors_are_sent_to_sign_in()
    {
        await using var app = new AppFactory();
        var source = await app.CreateSourceAsync("twilio-errors");
        using var anonymous = app.CreateClient(new() { AllowAutoRedirect = false });

        var response = await anonymous.GetAsync($"/sources/{source.Id}");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/login", response.Headers.Location!.PathAndQuery);
        Assert.DoesNotContain(source.Token, await response.Content.ReadAsStringAsync());
    }
}
