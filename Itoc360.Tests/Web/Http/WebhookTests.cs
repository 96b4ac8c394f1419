using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Itoc360.Domain.Sources;
using Itoc360.Tests.TestSupport;
using Itoc360.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Itoc360.Tests.Web.Http;

public class WebhookTests
{
    private static readonly HttpFixture DebuggerError = HttpFixture.Get("twilio-errors/01-error-11200");

    private static IReadOnlyList<KeyValuePair<string, string>> ParseForm(byte[] body) =>
        FormBody.TryParse(body, out var pairs, out var problem) ? pairs : throw new InvalidOperationException(problem);

    [Fact]
    public async Task Unknown_source_and_wrong_token_get_the_same_answer_and_only_the_known_source_records_it()
    {
        await using var app = new AppFactory();
        var source = await app.CreateSourceAsync("twilio-errors");
        using var client = app.CreateClient();

        var wrongToken = await Webhooks.SendAsync(client, DebuggerError, source.PathWithToken("not-the-token"));
        var noToken = await Webhooks.SendAsync(client, DebuggerError, $"/hooks/{source.Id}");
        var unknown = await Webhooks.SendAsync(client, DebuggerError, $"/hooks/{Guid.NewGuid()}?token={Uri.EscapeDataString(source.Token)}");
        var garbageId = await Webhooks.SendAsync(client, DebuggerError, "/hooks/not-a-guid?token=x");

        foreach (var response in new[] { wrongToken, noToken, unknown, garbageId })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("Unknown source or invalid token.", problem.GetProperty("detail").GetString());
            Assert.False(problem.TryGetProperty("deliveryId", out _));
        }

        var recorded = await app.WithDbAsync(db => db.Deliveries.Where(d => d.StatusCode == 401).ToListAsync());
        Assert.Equal(2, recorded.Count);
        Assert.All(recorded, d => Assert.Equal(DeliveryOutcomes.Rejected, d.Outcome));
        Assert.All(recorded, d => Assert.Equal(DebuggerError.Body, d.Body));
        Assert.Equal(0, await app.WithDbAsync(db => db.Incidents.CountAsync()));
    }

    [Fact]
    public async Task The_token_is_also_accepted_as_a_bearer_header_and_is_never_stored_with_the_query()
    {
        await using var app = new AppFactory();
        var source = await app.CreateSourceAsync("twilio-errors");
        using var client = app.CreateClient();

        var response = await Webhooks.SendAsync(client, DebuggerError, $"/hooks/{source.Id}?extra=1",
            r => r.Headers.Authorization = new("Bearer", source.Token));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var queries = await app.WithDbAsync(db => db.Deliveries.Select(d => d.Query).ToListAsync());
        Assert.Equal(["?extra=1"], queries);
    }

    [Fact]
    public async Task A_redelivery_of_the_same_event_is_a_duplicate_of_the_same_incident()
    {
        await using var app = new AppFactory();
        var source = await app.CreateSourceAsync("twilio-errors");
        using var client = app.CreateClient();

        var first = await (await Webhooks.SendAsync(client, DebuggerError, source.PathAndQuery)).Content.ReadFromJsonAsync<JsonElement>();
        var again = await Webhooks.SendAsync(client, DebuggerError, source.PathAndQuery);
        var second = await again.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal("duplicate", second.GetProperty("outcome").GetString());
        Assert.Equal(first.GetProperty("incidentId").GetGuid(), second.GetProperty("incidentId").GetGuid());
        Assert.Equal(1, await app.WithDbAsync(db => db.Incidents.CountAsync()));
        Assert.Equal(2, await app.WithDbAsync(db => db.Deliveries.CountAsync()));
    }

    [Fact]
    public async Task Identical_redeliveries_sent_at_the_same_time_open_exactly_one_incident()
    {
        await using var app = new AppFactory();
        var source = await app.CreateSourceAsync("twilio-errors");
        using var client = app.CreateClient();

        var responses = await Task.WhenAll(Enumerable.Range(0, 24).Select(_ => Webhooks.SendAsync(client, DebuggerError, source.PathAndQuery)));
        var bodies = await Task.WhenAll(responses.Select(r => r.Content.ReadFromJsonAsync<JsonElement>()));

        Assert.All(responses, r => Assert.True(r.IsSuccessStatusCode));
        Assert.Single(bodies, b => b.GetProperty("outcome").GetString() == "accepted");
        Assert.Equal(23, bodies.Count(b => b.GetProperty("outcome").GetString() == "duplicate"));
        Assert.Single(bodies.Select(b => b.GetProperty("incidentId").GetGuid()).Distinct());
        Assert.Equal(1, await app.WithDbAsync(db => db.Incidents.CountAsync()));
    }

    [Fact]
    public async Task Concurrent_firings_of_one_alarm_join_one_incident_with_every_alert_counted()
    {
        await using var app = new AppFactory();
        var source = await app.CreateSourceAsync("twilio-alarms");
        using var client = app.CreateClient();
        var template = Encoding.UTF8.GetString(HttpFixture.Get("twilio-alarms/01-alarm-five-mins").Body);

        var responses = await Task.WhenAll(Enumerable.Range(0, 30).Select(i =>
            Webhooks.PostAsync(client, source.PathAndQuery, "application/x-www-form-urlencoded",
                Encoding.UTF8.GetBytes(template.Replace("IdempotencyToken=", $"IdempotencyToken=n{i}-")))));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
        var incidents = await app.WithDbAsync(db => db.Incidents.ToListAsync());
        var incident = Assert.Single(incidents);
        Assert.Equal(30, incident.AlertCount);
        Assert.Equal(30, await app.WithDbAsync(db => db.Alerts.CountAsync()));
    }

    [Fact]
    public async Task A_disabled_source_answers_410_records_it_and_the_delivery_can_be_replayed_once_enabled()
    {
        await using var app = new AppFactory();
        var source = await app.CreateSourceAsync("twilio-errors");
        using var admin = app.AdminClient();
        using var client = app.CreateClient();
        (await admin.PatchAsJsonAsync($"/api/v1/sources/{source.Id}", new { enabled = false })).EnsureSuccessStatusCode();

        var refused = await Webhooks.SendAsync(client, DebuggerError, source.PathAndQuery);
        Assert.Equal(HttpStatusCode.Gone, refused.StatusCode);
        var deliveryId = (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("deliveryId").GetGuid();

        var rejected = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/sources/{source.Id}/deliveries?outcome=rejected");
        Assert.Equal(1, rejected.GetProperty("total").GetInt32());
        Assert.Equal(410, rejected.GetProperty("items")[0].GetProperty("statusCode").GetInt32());

        (await admin.PatchAsJsonAsync($"/api/v1/sources/{source.Id}", new { enabled = true })).EnsureSuccessStatusCode();
        var replay = await admin.PostAsync($"/api/v1/deliveries/{deliveryId}/replay", null);
        Assert.Equal(HttpStatusCode.Accepted, replay.StatusCode);
        var replayed = await replay.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("accepted", replayed.GetProperty("outcome").GetString());
        Assert.NotEqual(deliveryId, replayed.GetProperty("deliveryId").GetGuid());

        // Replaying it again is a duplicate of the same vendor event.
        var again = await (await admin.PostAsync($"/api/v1/deliveries/{deliveryId}/replay", null)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("duplicate", again.GetProperty("outcome").GetString());
        Assert.Equal(1, await app.WithDbAsync(db => db.Incidents.CountAsync()));
        var replayOf = await app.WithDbAsync(db => db.Deliveries.Where(d => d.ReplayOfId != null).Select(d => d.ReplayOfId!.Value.Value).Distinct().ToListAsync());
        Assert.Equal([deliveryId], replayOf);
    }

    [Fact]
    public async Task A_body_over_the_cap_gets_413_and_its_first_bytes_are_kept()
    {
        await using var app = new AppFactory();
        var source = await app.CreateSourceAsync("twilio-errors");
        using var client = app.CreateClient();
        var body = Encoding.ASCII.GetBytes("Sid=NO1&Level=ERROR&Payload=" + new string('x', 300 * 1024));

        var response = await Webhooks.PostAsync(client, source.PathAndQuery, "application/x-www-form-urlencoded", body);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var delivery = await app.WithDbAsync(db => db.Deliveries.SingleAsync());
        Assert.Equal(413, delivery.StatusCode);
        Assert.Equal(256 * 1024, delivery.Body.Length);
        Assert.Equal(body.Length, delivery.BodyLength);
        Assert.Equal(body.AsSpan(0, 1024).ToArray(), delivery.Body.AsSpan(0, 1024).ToArray());
    }

    public static TheoryData<string, string?, string, int> BadRequests => new()
    {
        // kind, content type, body, expected status
        { "twilio-errors", "application/json", "{\"Sid\":\"NO1\"}", 415 },
        { "twilio-errors", "text/xml", "<a/>", 415 },
        { "twilio-errors", "application/x-www-form-urlencoded", "Sid=NO123&Level=ERROR&Payload=%7Bnot+json", 400 },
        { "twilio-errors", "application/x-www-form-urlencoded", "Level=ERROR&Payload=%7B%7D", 422 },
        { "twilio-errors", "application/x-www-form-urlencoded", "", 422 },
        { "twilio-alarms", "application/json", "{\"AppMonitorTriggerSid\": ", 400 },
        { "twilio-alarms", "application/json", "[1,2,3]", 422 },
        { "twilio-alarms", "application/x-www-form-urlencoded", "Log=error", 422 },
        { "alibaba-cloudmonitor", "application/json", "\"just a string\"", 422 },
        { "alibaba-cloudmonitor", "application/x-www-form-urlencoded", "alertState=ALERT", 422 },
        { "alibaba-cloudmonitor", "application/x-www-form-urlencoded", "%%%%&&&==", 422 },
        { "alibaba-cloudmonitor", null, "\u0001\u0002garbage", 422 },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Unreadable_payloads_get_a_clear_4xx_problem_and_are_kept(string kind, string? contentType, string body, int status)
    {
        await using var app = new AppFactory();
        var source = await app.CreateSourceAsync(kind);
        using var client = app.CreateClient();

        var response = await Webhooks.PostAsync(client, source.PathAndQuery, contentType, Encoding.UTF8.GetBytes(body));

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
        Assert.Equal("rejected", problem.GetProperty("outcome").GetString());
        var delivery = await app.WithDbAsync(db => db.Deliveries.SingleAsync());
        Assert.Equal(Encoding.UTF8.GetBytes(body), delivery.Body);
        Assert.Equal(status, delivery.StatusCode);
        Assert.Equal(problem.GetProperty("detail").GetString(), delivery.Error);
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("HEAD")]
    public async Task A_url_check_answers_200_and_opens_nothing(string method)
    {
        await using var app = new AppFactory();
        var source = await app.CreateSourceAsync("alibaba-cloudmonitor");
        using var client = app.CreateClient();

        var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), source.PathAndQuery));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, await app.WithDbAsync(db => db.Incidents.CountAsync()));
        Assert.Equal(DeliveryOutcomes.Ignored, (await app.WithDbAsync(db => db.Deliveries.SingleAsync())).Outcome);
    }

    [Fact]
    public async Task A_rotated_token_keeps_working_until_the_overlap_ends()
    {
        await using var app = new AppFactory();
        var source = await app.CreateSourceAsync("twilio-errors");
        using var admin = app.AdminClient();
        using var client = app.CreateClient();

        var rotated = await (await admin.PostAsync($"/api/v1/sources/{source.Id}/tokens/rotate", null)).Content.ReadFromJsonAsync<JsonElement>();
        var newUrl = new Uri(rotated.GetProperty("webhookUrl").GetString()!);
        Assert.NotEqual(source.WebhookUrl, newUrl.ToString());
        Assert.Equal(app.Time.GetUtcNow().UtcDateTime.AddHours(24), rotated.GetProperty("previousTokenValidUntil").GetDateTime().ToUniversalTime());

        Assert.Equal(HttpStatusCode.Accepted, (await Webhooks.SendAsync(client, DebuggerError, source.PathAndQuery)).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await Webhooks.SendAsync(client, HttpFixture.Get("twilio-errors/02-warning-30008"), newUrl.PathAndQuery)).StatusCode);

        app.Time.Advance(TimeSpan.FromHours(24) + TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.Unauthorized, (await Webhooks.SendAsync(client, DebuggerError, source.PathAndQuery)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Webhooks.SendAsync(client, HttpFixture.Get("twilio-errors/02-warning-30008"), newUrl.PathAndQuery)).StatusCode);

        var current = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/sources/{source.Id}");
        Assert.Equal(newUrl.ToString(), current.GetProperty("webhookUrl").GetString());
        var tokens = current.GetProperty("tokens").EnumerateArray().ToList();
        Assert.Equal(2, tokens.Count);
        Assert.Equal(JsonValueKind.Null, tokens[0].GetProperty("validUntil").ValueKind);
        Assert.NotEqual(JsonValueKind.Null, tokens[0].GetProperty("lastUsedAt").ValueKind);
        Assert.NotEqual(JsonValueKind.Null, tokens[1].GetProperty("validUntil").ValueKind);
        Assert.DoesNotContain(source.Token, current.GetRawText().Replace(source.WebhookUrl, ""));
    }

    [Fact]
    public async Task With_a_twilio_auth_token_only_correctly_signed_requests_are_accepted()
    {
        const string authToken = "0123456789abcdef0123456789abcdef";
        const string alternate = "fedcba9876543210fedcba9876543210";
        await using var app = new AppFactory(new Dictionary<string, string?> { ["Itoc360:PublicBaseUrl"] = "https://console.example.com" });
        var source = await app.CreateSourceAsync("twilio-errors", twilioAuthToken: authToken);
        using var admin = app.AdminClient();
        using var client = app.CreateClient();
        Assert.StartsWith("https://console.example.com/hooks/", source.WebhookUrl);
        var form = ParseForm(DebuggerError.Body);

        string Sign(string token, string url) => TwilioSignature.Compute(token, url, form);

        var unsigned = await Webhooks.SendAsync(client, DebuggerError, source.PathAndQuery);
        var forged = await Webhooks.SendAsync(client, DebuggerError, source.PathAndQuery,
            r => r.Headers.Add("X-Twilio-Signature", Sign("wrong-token", source.WebhookUrl)));
        var internalUrl = await Webhooks.SendAsync(client, DebuggerError, source.PathAndQuery,
            r => r.Headers.Add("X-Twilio-Signature", Sign(authToken, "http://localhost" + source.PathAndQuery)));
        Assert.Equal(HttpStatusCode.Forbidden, unsigned.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, internalUrl.StatusCode);
        Assert.Equal(0, await app.WithDbAsync(db => db.Incidents.CountAsync()));
        Assert.Equal(3, await app.WithDbAsync(db => db.Deliveries.CountAsync(d => d.StatusCode == 403)));

        var signed = await Webhooks.SendAsync(client, DebuggerError, source.PathAndQuery,
            r => r.Headers.Add("X-Twilio-Signature", Sign(authToken, source.WebhookUrl)));
        Assert.Equal(HttpStatusCode.Accepted, signed.StatusCode);

        // Rotating the Twilio auth token: the alternate one is accepted as well.
        (await admin.PatchAsJsonAsync($"/api/v1/sources/{source.Id}", new { twilioAlternateAuthToken = alternate })).EnsureSuccessStatusCode();
        var withPort = source.WebhookUrl.Replace("console.example.com/", "console.example.com:443/");
        var byAlternate = await Webhooks.SendAsync(client, HttpFixture.Get("twilio-errors/02-warning-30008"), source.PathAndQuery,
            r => r.Headers.Add("X-Twilio-Signature",
                TwilioSignature.Compute(alternate, withPort, ParseForm(HttpFixture.Get("twilio-errors/02-warning-30008").Body))));
        Assert.Equal(HttpStatusCode.Accepted, byAlternate.StatusCode);

        var listed = await admin.GetStringAsync($"/api/v1/sources/{source.Id}");
        Assert.DoesNotContain(authToken, listed);
        Assert.DoesNotContain(alternate, listed);
    }

    [Fact]
    public async Task Alarms_are_checked_only_when_signed()
    {
        const string authToken = "0123456789abcdef0123456789abcdef";
        await using var app = new AppFactory();
        var source = await app.CreateSourceAsync("twilio-alarms", twilioAuthToken: authToken);
        using var client = app.CreateClient();

        var unsigned = await Webhooks.SendAsync(client, HttpFixture.Get("twilio-alarms/01-alarm-five-mins"), source.PathAndQuery);
        var badlySigned = await Webhooks.SendAsync(client, HttpFixture.Get("twilio-alarms/02-alarm-five-mins-fires-again"), source.PathAndQuery,
            r => r.Headers.Add("X-Twilio-Signature", "bm90IGEgc2lnbmF0dXJl"));

        Assert.Equal(HttpStatusCode.Accepted, unsigned.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, badlySigned.StatusCode);
    }

    [Fact]
    public async Task Webhook_tokens_and_twilio_auth_tokens_never_reach_the_logs()
    {
        const string authToken = "0123456789abcdef0123456789abcdef";
        await using var app = new AppFactory();
        var source = await app.CreateSourceAsync("twilio-errors", twilioAuthToken: authToken);
        using var client = app.CreateClient();

        await Webhooks.SendAsync(client, DebuggerError, source.PathAndQuery);
        await Webhooks.SendAsync(client, DebuggerError, source.PathWithToken(source.Token + "x"));
        await Webhooks.PostAsync(client, source.PathAndQuery, "application/json", "{"u8.ToArray());

        Assert.NotEmpty(app.Logs);
        Assert.DoesNotContain(app.Logs, line => line.Contains(source.Token) || line.Contains(authToken) || line.Contains(AppFactory.AdminKey));
    }
}
