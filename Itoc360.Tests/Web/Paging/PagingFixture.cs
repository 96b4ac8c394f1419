using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Itoc360.Tests.TestSupport;
using Itoc360.Web.Features.Paging;
using Microsoft.Extensions.DependencyInjection;

namespace Itoc360.Tests.Web.Paging;

/// <summary>
/// The app on a fake clock with a fake Twilio on loopback: a responder with a verified phone, an escalation
/// policy paging them, and a source using it. Helpers post webhooks and Twilio's signed callbacks.
/// </summary>
public sealed class PagingFixture : IAsyncDisposable
{
    public const string Phone = "+4915112345678";
    public const string PublicBase = "http://localhost";

    private PagingFixture(AppFactory app, FakeTwilio twilio)
    {
        App = app;
        Twilio = twilio;
    }

    public AppFactory App { get; }
    public FakeTwilio Twilio { get; }
    public string UserId { get; private set; } = "";
    public Guid MethodId { get; private set; }
    public Guid PolicyId { get; private set; }
    public CreatedSource Source { get; private set; } = null!;

    public static async Task<PagingFixture> StartAsync(bool pump = false, object? policy = null, object? contactRules = null, Dictionary<string, string?>? settings = null)
    {
        var twilio = await FakeTwilio.StartAsync();
        var all = new Dictionary<string, string?>
        {
            ["Itoc360:PublicBaseUrl"] = PublicBase,
            ["Itoc360:Twilio:ApiBaseUrl"] = twilio.BaseUrl,
            ["Itoc360:Twilio:AccountSid"] = FakeTwilio.AccountSid,
            ["Itoc360:Twilio:AuthToken"] = FakeTwilio.AuthToken,
            ["Itoc360:Twilio:FromNumber"] = "+15005550006",
            ["Itoc360:Twilio:MessagesPerSecondPerSender"] = "0",
            ["Itoc360:Twilio:RetryBaseDelay"] = "00:00:00.010",
            ["Itoc360:Paging:RunPump"] = pump ? "true" : "false",
        };
        foreach (var (k, v) in settings ?? [])
        {
            all[k] = v;
        }

        var fixture = new PagingFixture(new AppFactory(all), twilio);
        await fixture.SetUpAsync(policy, contactRules);
        return fixture;
    }

    private async Task SetUpAsync(object? policy, object? contactRules)
    {
        using var admin = App.AdminClient();
        var created = await Json(await admin.PostAsJsonAsync("/api/v1/users",
            new { email = "alice@example.com", name = "Alice", role = "Responder", phone = Phone, timeZone = "Europe/Berlin" }));
        var user = created.GetProperty("user");
        UserId = user.GetProperty("id").GetString()!;
        MethodId = user.GetProperty("contactMethods")[0].GetProperty("id").GetGuid();
        if (contactRules is not null)
        {
            (await admin.PutAsJsonAsync($"/api/v1/users/{UserId}/contact-rules", contactRules)).EnsureSuccessStatusCode();
        }

        await VerifyAsync();
        var body = policy ?? new { name = "Primary", repeat = 0, steps = new[] { new { delayMinutes = 10, targets = new[] { new { userId = UserId } } } } };
        PolicyId = (await Json(await admin.PostAsJsonAsync("/api/v1/escalation-policies", body))).GetProperty("id").GetGuid();
        Source = await App.CreateSourceAsync("twilio-errors");
        (await admin.PatchAsJsonAsync($"/api/v1/sources/{Source.Id}", new { escalationPolicyId = PolicyId.ToString() })).EnsureSuccessStatusCode();
    }

    /// <summary>Verifies the phone as a person would: ask for a code, read it off the SMS, type it in.</summary>
    public async Task VerifyAsync()
    {
        using var admin = App.AdminClient();
        (await admin.PostAsync($"/api/v1/users/{UserId}/contact-methods/{MethodId}/verification", null)).EnsureSuccessStatusCode();
        await RunAsync();
        var sms = await NextRequestAsync();
        var code = Regex.Match(sms["Body"]!, @"\b(\d{6})\b").Groups[1].Value;
        (await admin.PostAsJsonAsync($"/api/v1/users/{UserId}/contact-methods/{MethodId}/verification/confirm", new { code })).EnsureSuccessStatusCode();
    }

    public Task<PagerRun> RunAsync() => App.Services.GetRequiredService<Pager>().RunAsync(CancellationToken.None);

    /// <summary>Moves the fake clock and runs the pager, as its loop would at that time.</summary>
    public async Task<PagerRun> AdvanceAsync(TimeSpan by)
    {
        App.Time.Advance(by);
        return await RunAsync();
    }

    /// <summary>Posts a webhook fixture to the source; returns the incident id.</summary>
    public async Task<Guid> SendAlertAsync(string fixture = "twilio-errors/01-error-11200")
    {
        using var client = App.CreateClient();
        var response = await Webhooks.SendAsync(client, HttpFixture.Get(fixture), Source.PathAndQuery);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("incidentId").GetGuid();
    }

    /// <summary>The next create request the fake received, waiting up to a deadline.</summary>
    public async Task<FakeTwilioRequest> NextRequestAsync(TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(10));
        while (DateTime.UtcNow < deadline)
        {
            if (Twilio.Requests.TryDequeue(out var request))
            {
                return request;
            }

            await Task.Delay(10);
        }

        throw new TimeoutException("Twilio received nothing.");
    }

    /// <summary>Posts a form to one of our Twilio endpoints, signed as Twilio signs (or with another token).</summary>
    public async Task<HttpResponseMessage> PostTwilioAsync(string pathAndQuery, IReadOnlyList<KeyValuePair<string, string>> form, string? authToken = null)
    {
        using var client = App.CreateClient();
        return await FakeTwilio.PostSignedAsync(client, PublicBase + pathAndQuery, form, authToken ?? FakeTwilio.AuthToken);
    }

    public Task<HttpResponseMessage> ReplyAsync(string body, string from = Phone) =>
        PostTwilioAsync("/twilio/sms/inbound", [new("From", from), new("To", "+15005550006"), new("Body", body), new("MessageSid", "SM" + Guid.NewGuid().ToString("N"))]);

    public async Task<JsonElement> IncidentAsync(Guid id)
    {
        using var admin = App.AdminClient();
        return await admin.GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{id}");
    }

    public async Task<JsonElement[]> NotificationsAsync(Guid id)
    {
        using var admin = App.AdminClient();
        return (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{id}/notifications")).EnumerateArray().ToArray();
    }

    public static async Task<JsonElement> Json(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        await Twilio.DisposeAsync();
    }
}
