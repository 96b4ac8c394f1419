using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Itoc360.Tests.TestSupport;
using Itoc360.Web.Data;
using static Microsoft.Playwright.Assertions;

namespace Itoc360.Tests.E2E;

/// <summary>The whole paging loop seen from a browser: webhook → SMS at (fake) Twilio → signed ACK reply → Acknowledged live.</summary>
[Collection(BrowserCollection.Name)]
public sealed class PagingBrowserTests(BrowserFixture browser)
{
    private const string Password = "Test-Password-789";
    private const string Phone = "+4915112345678";

    [BrowserFact]
    public async Task A_webhook_pages_by_sms_and_an_ack_reply_shows_acknowledged_in_the_open_console()
    {
        await using var twilio = await FakeTwilio.StartAsync();
        await using var app = LiveApp.Start(new Dictionary<string, string?>
        {
            ["Itoc360:Twilio:ApiBaseUrl"] = twilio.BaseUrl,
            ["Itoc360:Twilio:AccountSid"] = FakeTwilio.AccountSid,
            ["Itoc360:Twilio:AuthToken"] = FakeTwilio.AuthToken,
            ["Itoc360:Twilio:FromNumber"] = "+15005550006",
            ["Itoc360:Twilio:MessagesPerSecondPerSender"] = "0",
        });
        using var admin = app.AdminClient();
        var user = (await Json(await admin.PostAsJsonAsync("/api/v1/users",
            new { email = "oncall@example.com", name = "On Call", role = "Responder", password = Password, phone = Phone }))).GetProperty("user");
        var userId = user.GetProperty("id").GetString();
        var methodId = user.GetProperty("contactMethods")[0].GetProperty("id").GetGuid();
        (await admin.PostAsync($"/api/v1/users/{userId}/contact-methods/{methodId}/verification", null)).EnsureSuccessStatusCode();
        var code = Regex.Match((await NextSmsAsync(twilio))["Body"]!, @"\b(\d{6})\b").Groups[1].Value;
        await Json(await admin.PostAsJsonAsync($"/api/v1/users/{userId}/contact-methods/{methodId}/verification/confirm", new { code }));
        var policy = await Json(await admin.PostAsJsonAsync("/api/v1/escalation-policies",
            new { name = "Primary", repeat = 0, steps = new[] { new { delayMinutes = 10, targets = new[] { new { userId } } } } }));
        var fixture = HttpFixture.Get("twilio-errors/01-error-11200");
        var source = await app.CreateSourceAsync(fixture.Kind);
        (await admin.PatchAsJsonAsync($"/api/v1/sources/{source.Id}", new { escalationPolicyId = policy.GetProperty("id").GetString() })).EnsureSuccessStatusCode();

        await using var context = await browser.NewContextAsync(app);
        var page = await context.NewPageAsync();
        await ConsolePages.SignInAsync(page, "oncall@example.com", Password);

        using var vendor = new HttpClient();
        var posted = await Webhooks.SendAsync(vendor, fixture, source.WebhookUrl);
        var incident = await app.IncidentAsync((await posted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("incidentId").GetGuid());
        var row = ConsolePages.IncidentRow(page, incident);
        await Expect(ConsolePages.StatusChip(row)).ToHaveAttributeAsync("data-status", "Triggered");

        var sms = await NextSmsAsync(twilio);
        Assert.Equal(Phone, sms["To"]);
        Assert.Contains($"#{incident.Number}", sms["Body"]);

        using var twilioClient = new HttpClient();
        var reply = await FakeTwilio.PostSignedAsync(twilioClient, app.Url("/twilio/sms/inbound"),
            [new("From", Phone), new("To", "+15005550006"), new("Body", $"ACK {incident.Number}"), new("MessageSid", "SM" + Guid.NewGuid().ToString("N"))]);
        Assert.Contains($"#{incident.Number} acknowledged.", await reply.Content.ReadAsStringAsync());

        await Expect(ConsolePages.StatusChip(row)).ToHaveAttributeAsync("data-status", "Acknowledged");
    }

    private static async Task<JsonElement> Json(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static async Task<FakeTwilioRequest> NextSmsAsync(FakeTwilio twilio)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            if (twilio.Requests.TryDequeue(out var request) && request.Path.EndsWith("/Messages.json", StringComparison.Ordinal))
            {
                return request;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException("No SMS reached the fake Twilio.");
    }
}
