using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Itoc360.Tests.TestSupport;

namespace Itoc360.Tests.Web.Http;

/// <summary>Every shared fixture posted over HTTP, folder by folder in order, does what its .expected.json says.</summary>
public class FixtureIngestTests
{
    public static TheoryData<string> Kinds => new(HttpFixture.KindFolders());

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Posting_a_folder_in_order_does_what_each_fixture_expects(string kind)
    {
        await using var app = new AppFactory();
        var source = await app.CreateSourceAsync(kind);
        using var client = app.AdminClient();

        foreach (var fixture in HttpFixture.InFolder(kind))
        {
            var action = fixture.ExpectedString("action");
            var response = await Webhooks.SendAsync(client, fixture, source.PathAndQuery);
            var expectedStatus = fixture.Expected.TryGetProperty("status", out var s) ? s.GetInt32() : (int?)null;
            if (expectedStatus is { } status)
            {
                Assert.Equal(status, (int)response.StatusCode);
            }

            Assert.True(response.IsSuccessStatusCode, $"{fixture}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            var incidentId = body.GetProperty("incidentId");

            switch (action)
            {
                case "open":
                {
                    Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
                    Assert.Equal("accepted", body.GetProperty("outcome").GetString());
                    var incident = await client.GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{incidentId.GetGuid()}");
                    Assert.NotEqual("Resolved", incident.GetProperty("status").GetString());
                    Assert.Equal(fixture.ExpectedString("priority"), incident.GetProperty("priority").GetString());
                    if (fixture.ExpectedString("dedup_key") is { } dedupKey)
                    {
                        Assert.Equal(dedupKey, incident.GetProperty("dedupKey").GetString());
                    }

                    break;
                }
                case "resolve":
                {
                    Assert.Equal("accepted", body.GetProperty("outcome").GetString());
                    var incident = await client.GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{incidentId.GetGuid()}");
                    Assert.Equal("Resolved", incident.GetProperty("status").GetString());
                    Assert.Equal("source", incident.GetProperty("resolvedBy").GetString());
                    break;
                }
                case "none":
                    Assert.Equal(JsonValueKind.Null, incidentId.ValueKind);
                    Assert.Equal("ignored", body.GetProperty("outcome").GetString());
                    break;
                default:
                    Assert.Fail($"{fixture}: unknown expected action '{action}'.");
                    break;
            }
        }

        // Fixtures that the notes say join an earlier incident must not have opened a second one.
        var parser = Itoc360.Domain.Sources.SourceCatalog.Get(kind);
        var distinctKeys = HttpFixture.InFolder(kind)
            .Where(f => f.ExpectedString("action") == "open")
            .Select(f => Assert.IsType<Itoc360.Domain.Sources.ParseResult.Parsed>(parser.Parse(f.ToRequest())).Alerts[0].DedupKey)
            .Distinct()
            .Count();
        var incidents = await client.GetFromJsonAsync<JsonElement>($"/api/v1/incidents?sourceId={source.Id}&pageSize=100");
        var deliveries = await client.GetFromJsonAsync<JsonElement>($"/api/v1/sources/{source.Id}/deliveries?pageSize=100");
        Assert.Equal(HttpFixture.InFolder(kind).Count(), deliveries.GetProperty("total").GetInt32());
        Assert.Equal(distinctKeys, incidents.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Alarm_firing_again_joins_the_open_incident_and_counts_the_alert()
    {
        await using var app = new AppFactory();
        var source = await app.CreateSourceAsync("twilio-alarms");
        using var client = app.AdminClient();

        var first = await (await Webhooks.SendAsync(client, HttpFixture.Get("twilio-alarms/01-alarm-five-mins"), source.PathAndQuery))
            .Content.ReadFromJsonAsync<JsonElement>();
        var second = await (await Webhooks.SendAsync(client, HttpFixture.Get("twilio-alarms/02-alarm-five-mins-fires-again"), source.PathAndQuery))
            .Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(first.GetProperty("incidentId").GetGuid(), second.GetProperty("incidentId").GetGuid());
        var incident = await client.GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{first.GetProperty("incidentId").GetGuid()}");
        Assert.Equal(2, incident.GetProperty("alertCount").GetInt32());
        Assert.Equal(2, incident.GetProperty("alerts").GetArrayLength());
    }

    [Fact]
    public async Task CloudMonitor_recovery_resolves_and_the_next_alert_opens_a_new_incident()
    {
        await using var app = new AppFactory();
        var source = await app.CreateSourceAsync("alibaba-cloudmonitor");
        using var client = app.AdminClient();

        async Task<JsonElement> Post(string id) =>
            await (await Webhooks.SendAsync(client, HttpFixture.Get(id), source.PathAndQuery)).Content.ReadFromJsonAsync<JsonElement>();

        var opened = await Post("alibaba-cloudmonitor/01-threshold-warn-alert");
        var raised = await Post("alibaba-cloudmonitor/02-threshold-critical-alert");
        var resolved = await Post("alibaba-cloudmonitor/03-threshold-ok-recovery");
        var okAgain = await Post("alibaba-cloudmonitor/03-threshold-ok-recovery");
        // A later firing of the same rule (a new timestamp) after the recovery.
        var later = HttpFixture.Get("alibaba-cloudmonitor/01-threshold-warn-alert");
        var body = System.Text.Encoding.UTF8.GetString(later.Body);
        var laterBody = System.Text.RegularExpressions.Regex.Replace(body, "timestamp=\\d+", "timestamp=1763639999");
        Assert.NotEqual(body, laterBody);
        var reopened = await (await Webhooks.PostAsync(client, source.PathAndQuery, later.ContentType,
            System.Text.Encoding.UTF8.GetBytes(laterBody))).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("accepted", reopened.GetProperty("outcome").GetString());

        var first = opened.GetProperty("incidentId").GetGuid();
        Assert.Equal(first, raised.GetProperty("incidentId").GetGuid());
        Assert.Equal(first, resolved.GetProperty("incidentId").GetGuid());
        // The same OK again is the vendor retrying: recorded, changes nothing.
        Assert.NotEqual("accepted", okAgain.GetProperty("outcome").GetString());
        Assert.NotEqual(first, reopened.GetProperty("incidentId").GetGuid());

        var incident = await client.GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{first}");
        Assert.Equal("Critical", incident.GetProperty("priority").GetString());
        Assert.Contains(incident.GetProperty("timeline").EnumerateArray(), e => e.GetProperty("kind").GetString() == "priority-raised");
    }
}
