using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Itoc360.Tests.TestSupport;
using Itoc360.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Itoc360.Tests.Web.Http;

public class ApiTests
{
    private static async Task<Guid> OpenIncidentAsync(AppFactory app, string fixture = "twilio-errors/01-error-11200")
    {
        var source = await app.CreateSourceAsync(fixture.Split('/')[0]);
        using var client = app.CreateClient();
        var response = await Webhooks.SendAsync(client, HttpFixture.Get(fixture), source.PathAndQuery);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("incidentId").GetGuid();
    }

    [Fact]
    public async Task Roles_are_enforced_on_the_server()
    {
        await using var app = new AppFactory();
        var incident = await OpenIncidentAsync(app);
        using var anonymous = app.CreateClient();
        using var viewer = await app.ClientWithRoleAsync(Roles.Viewer);
        using var responder = await app.ClientWithRoleAsync(Roles.Responder);
        using var admin = app.AdminClient();
        using var revokedOrWrong = app.ClientWithKey("itk_this-key-does-not-exist-at-all");

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/incidents")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await revokedOrWrong.GetAsync("/api/v1/incidents")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/sources")).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("/api/v1/incidents")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync($"/api/v1/incidents/{incident}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsync($"/api/v1/incidents/{incident}/acknowledge", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.GetAsync("/api/v1/sources")).StatusCode);

        Assert.Equal(HttpStatusCode.Forbidden, (await responder.GetAsync("/api/v1/sources")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await responder.PostAsJsonAsync("/api/v1/sources", new { name = "x", kind = "twilio-errors" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await responder.PostAsync($"/api/v1/incidents/{incident}/acknowledge", null)).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/v1/sources")).StatusCode);
        var status = (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{incident}")).GetProperty("status").GetString();
        Assert.Equal("Acknowledged", status);
    }

    [Fact]
    public async Task Acknowledge_twice_is_unchanged_and_a_resolved_incident_cannot_be_acknowledged()
    {
        await using var app = new AppFactory();
        var incident = await OpenIncidentAsync(app);
        using var client = app.AdminClient();

        var first = await (await client.PostAsync($"/api/v1/incidents/{incident}/acknowledge", null)).Content.ReadFromJsonAsync<JsonElement>();
        var second = await client.PostAsync($"/api/v1/incidents/{incident}/acknowledge", null);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var secondBody = await second.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(first.GetProperty("version").GetInt32(), secondBody.GetProperty("version").GetInt32());
        Assert.Equal("api key 'bootstrap'", first.GetProperty("acknowledgedBy").GetString());

        var resolved = await client.PostAsJsonAsync($"/api/v1/incidents/{incident}/resolve", new { note = "fixed the TwiML URL" });
        Assert.Equal("Resolved", (await resolved.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());

        var ackResolved = await client.PostAsync($"/api/v1/incidents/{incident}/acknowledge", null);
        Assert.Equal(HttpStatusCode.Conflict, ackResolved.StatusCode);
        Assert.Equal("application/problem+json", ackResolved.Content.Headers.ContentType?.MediaType);

        var detail = await client.GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{incident}");
        var timeline = detail.GetProperty("timeline").EnumerateArray().ToList();
        Assert.Equal(["opened", "acknowledged", "resolved"], timeline.Select(t => t.GetProperty("kind").GetString()));
        Assert.All(timeline.Skip(1), t => Assert.Equal("Api", t.GetProperty("via").GetString()));
        Assert.Contains("fixed the TwiML URL", timeline[2].GetProperty("text").GetString());
    }

    [Fact]
    public async Task Snooze_takes_minutes_within_bounds()
    {
        await using var app = new AppFactory();
        var incident = await OpenIncidentAsync(app);
        using var client = app.AdminClient();

        foreach (var bad in new object[] { new { }, new { minutes = 0 }, new { minutes = -5 }, new { minutes = 100_000 } })
        {
            var response = await client.PostAsJsonAsync($"/api/v1/incidents/{incident}/snooze", bad);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }

        var snoozed = await (await client.PostAsJsonAsync($"/api/v1/incidents/{incident}/snooze", new { minutes = 30 })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(app.Time.GetUtcNow().UtcDateTime.AddMinutes(30), snoozed.GetProperty("snoozedUntil").GetDateTime().ToUniversalTime());
        Assert.Equal("Triggered", snoozed.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Incidents_filter_by_status_priority_source_and_text_and_page()
    {
        await using var app = new AppFactory();
        var errors = await app.CreateSourceAsync("twilio-errors");
        var alarms = await app.CreateSourceAsync("twilio-alarms");
        using var client = app.AdminClient();
        foreach (var f in HttpFixture.InFolder("twilio-errors"))
        {
            await Webhooks.SendAsync(client, f, errors.PathAndQuery);
        }

        foreach (var f in HttpFixture.InFolder("twilio-alarms"))
        {
            await Webhooks.SendAsync(client, f, alarms.PathAndQuery);
        }

        async Task<int> Total(string query) =>
            (await client.GetFromJsonAsync<JsonElement>($"/api/v1/incidents?{query}")).GetProperty("total").GetInt32();

        Assert.Equal(5, await Total(""));
        Assert.Equal(2, await Total($"sourceId={errors.Id}"));
        Assert.Equal(1, await Total("priority=Critical"));
        Assert.Equal(1, await Total("priority=high&sourceId=" + errors.Id));
        Assert.Equal(5, await Total("status=Triggered"));
        Assert.Equal(0, await Total("status=Resolved"));
        Assert.Equal(1, await Total("q=30008"));
        Assert.Equal(1, await Total("q=%231"));
        Assert.Equal(0, await Total("q=%25"));

        var page = await client.GetFromJsonAsync<JsonElement>("/api/v1/incidents?page=2&pageSize=2");
        Assert.Equal(2, page.GetProperty("items").GetArrayLength());
        Assert.Equal(5, page.GetProperty("total").GetInt32());
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/v1/incidents?status=Bogus")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/v1/incidents?priority=Urgent")).StatusCode);
    }

    [Fact]
    public async Task A_priority_mapping_change_applies_to_new_alerts_only_and_is_audited()
    {
        await using var app = new AppFactory();
        var source = await app.CreateSourceAsync("twilio-errors");
        using var client = app.AdminClient();
        var before = await (await Webhooks.SendAsync(client, HttpFixture.Get("twilio-errors/01-error-11200"), source.PathAndQuery))
            .Content.ReadFromJsonAsync<JsonElement>();

        var put = await client.PutAsJsonAsync($"/api/v1/sources/{source.Id}/priority-mapping",
            new { rules = new[] { new { field = "error_code", equals = "30008", priority = "Critical" } }, @default = "Low" });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var mapping = (await put.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("priorityMapping");
        Assert.Equal("30008", mapping.GetProperty("rules")[0].GetProperty("equals").GetString());
        Assert.Equal("Low", mapping.GetProperty("default").GetString());

        var after = await (await Webhooks.SendAsync(client, HttpFixture.Get("twilio-errors/02-warning-30008"), source.PathAndQuery))
            .Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal("High", (await client.GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{before.GetProperty("incidentId")}")).GetProperty("priority").GetString());
        Assert.Equal("Critical", (await client.GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{after.GetProperty("incidentId")}")).GetProperty("priority").GetString());
        var audit = await app.WithDbAsync(db => db.Audit.Where(a => a.Action == "source.priority-mapping").ToListAsync());
        Assert.Equal("api key 'bootstrap'", Assert.Single(audit).Actor);
    }

    public static TheoryData<string, string, string> MalformedApiCalls => new()
    {
        { "POST", "/api/v1/sources", "{not json" },
        { "POST", "/api/v1/sources", "[]" },
        { "POST", "/api/v1/sources", "{\"name\":\"x\",\"kind\":\"nagios\"}" },
        { "POST", "/api/v1/sources", "{\"name\":\"\",\"kind\":\"twilio-errors\"}" },
        { "POST", "/api/v1/sources", "{\"name\":42,\"kind\":\"twilio-errors\"}" },
        { "PUT", "/api/v1/sources/{source}/priority-mapping", "{\"rules\":[{\"field\":\"Level\",\"equals\":\"ERROR\",\"priority\":\"Urgent\"}],\"default\":\"Low\"}" },
        { "PUT", "/api/v1/sources/{source}/priority-mapping", "{\"rules\":[{\"equals\":\"ERROR\",\"priority\":\"High\"}],\"default\":\"Low\"}" },
        { "PUT", "/api/v1/sources/{source}/priority-mapping", "{\"default\":\"Low\"}" },
        { "PATCH", "/api/v1/sources/{source}", "{\"enabled\":\"maybe\"}" },
        { "POST", "/api/v1/incidents/{incident}/snooze", "{\"minutes\":\"soon\"}" },
        { "POST", "/api/v1/incidents/{incident}/resolve", "{\"note\":" },
    };

    [Theory]
    [MemberData(nameof(MalformedApiCalls))]
    public async Task Malformed_api_calls_get_400_never_500(string method, string path, string body)
    {
        await using var app = new AppFactory();
        var source = await app.CreateSourceAsync("twilio-errors");
        var incident = await OpenIncidentAsync(app);
        using var client = app.AdminClient();
        var request = new HttpRequestMessage(new HttpMethod(method), path.Replace("{source}", source.Id.ToString()).Replace("{incident}", incident.ToString()))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Unknown_ids_get_404_problems()
    {
        await using var app = new AppFactory();
        using var client = app.AdminClient();
        var id = Guid.NewGuid();

        foreach (var response in new[]
        {
            await client.GetAsync($"/api/v1/incidents/{id}"),
            await client.PostAsync($"/api/v1/incidents/{id}/acknowledge", null),
            await client.GetAsync($"/api/v1/sources/{id}"),
            await client.GetAsync($"/api/v1/sources/{id}/deliveries"),
            await client.PostAsync($"/api/v1/sources/{id}/tokens/rotate", null),
            await client.PostAsync($"/api/v1/deliveries/{id}/replay", null),
        })
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }
}

public class OperationsTests
{
    [Fact]
    public async Task Health_readiness_and_the_openapi_document_are_served()
    {
        await using var app = new AppFactory();
        using var client = app.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/readyz")).StatusCode);
        var openApi = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var paths = openApi.GetProperty("paths");
        foreach (var path in new[] { "/api/v1/sources", "/api/v1/incidents", "/api/v1/incidents/{id}/acknowledge", "/api/v1/deliveries/{id}/replay", "/hooks/{sourceId}" })
        {
            Assert.True(paths.TryGetProperty(path, out _), $"{path} is missing from the OpenAPI document");
        }
    }
}
