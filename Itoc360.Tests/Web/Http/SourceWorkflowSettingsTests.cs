using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Itoc360.Domain;
using Itoc360.Tests.TestSupport;
using Itoc360.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Itoc360.Tests.Web.Http;

/// <summary>PATCH /api/v1/sources/{id} with the workflow settings: acknowledgement timeout, auto-resolve, delivery retention.</summary>
public sealed class SourceWorkflowSettingsTests
{
    private static async Task<JsonElement> PatchAsync(HttpClient client, Guid id, object body, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var response = await client.PatchAsJsonAsync($"/api/v1/sources/{id}", body);
        Assert.Equal(expected, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static (int? Ack, int? Resolve, int? Retention) Settings(JsonElement source) =>
        (Number(source, "acknowledgementTimeoutHours"), Number(source, "autoResolveHours"), Number(source, "deliveryRetentionDays"));

    private static int? Number(JsonElement source, string name) =>
        source.GetProperty(name).ValueKind == JsonValueKind.Null ? null : source.GetProperty(name).GetInt32();

    [Fact]
    public async Task Settings_round_trip_zero_turns_them_off_and_every_change_is_audited()
    {
        await using var app = new AppFactory();
        var source = await app.CreateSourceAsync("twilio-alarms");
        using var admin = app.AdminClient();

        // A new source has every workflow off and the default retention.
        Assert.Equal((null, null, null), Settings(await admin.GetFromJsonAsync<JsonElement>($"/api/v1/sources/{source.Id}")));

        var set = await PatchAsync(admin, source.Id, new { acknowledgementTimeoutHours = 4, autoResolveHours = 24, deliveryRetentionDays = 90 });
        Assert.Equal((4, 24, 90), Settings(set));
        Assert.Equal((4, 24, 90), Settings(await admin.GetFromJsonAsync<JsonElement>($"/api/v1/sources/{source.Id}")));

        // Fields left out stay as they are.
        var renamed = await PatchAsync(admin, source.Id, new { name = "Alarms" });
        Assert.Equal("Alarms", renamed.GetProperty("name").GetString());
        Assert.Equal((4, 24, 90), Settings(renamed));

        // 0: no timeout, no auto-resolve (null, as for a new source); retention 0 is "keep forever" and kept as 0.
        var off = await PatchAsync(admin, source.Id, new { acknowledgementTimeoutHours = 0, autoResolveHours = 0, deliveryRetentionDays = 0 });
        Assert.Equal((null, null, 0), Settings(off));
        var stored = await app.WithDbAsync(db => db.Sources.AsNoTracking().SingleAsync(s => s.Id == new SourceId(source.Id)));
        Assert.Equal((null, null, 0), (stored.AcknowledgementTimeoutHours, stored.AutoResolveHours, stored.DeliveryRetentionDays));

        // The limits themselves are allowed.
        Assert.Equal((720, 720, 3650), Settings(await PatchAsync(admin, source.Id,
            new { acknowledgementTimeoutHours = 720, autoResolveHours = 720, deliveryRetentionDays = 3650 })));

        var target = $"source:{new SourceId(source.Id)}";
        var audit = await app.WithDbAsync(db => db.Audit.AsNoTracking()
            .Where(a => a.Target == target && a.Action == "source.update").OrderBy(a => a.Id).Select(a => a.Details).ToListAsync());
        Assert.Equal(4, audit.Count);
        Assert.Equal("acknowledgement timeout 4 h, auto-resolve after 24 h without alerts, delivery retention 90 days", audit[0]);
        Assert.Equal("acknowledgement timeout off, auto-resolve off, delivery retention forever", audit[2]);

        // Saving the same values again changes nothing and writes no audit entry.
        await PatchAsync(admin, source.Id, new { acknowledgementTimeoutHours = 720, autoResolveHours = 720, deliveryRetentionDays = 3650 });
        Assert.Equal(5, await app.WithDbAsync(db => db.Audit.CountAsync(a => a.Target == target)));
    }

    [Theory]
    [InlineData("acknowledgementTimeoutHours", -1)]
    [InlineData("acknowledgementTimeoutHours", 721)]
    [InlineData("autoResolveHours", -1)]
    [InlineData("autoResolveHours", 721)]
    [InlineData("deliveryRetentionDays", -1)]
    [InlineData("deliveryRetentionDays", 3651)]
    public async Task Out_of_range_values_are_a_400_naming_the_field_and_change_nothing(string field, int value)
    {
        await using var app = new AppFactory();
        var source = await app.CreateSourceAsync("twilio-errors");
        using var admin = app.AdminClient();
        await PatchAsync(admin, source.Id, new { acknowledgementTimeoutHours = 2, autoResolveHours = 12, deliveryRetentionDays = 7 });

        var body = new Dictionary<string, object> { ["name"] = "renamed", [field] = value };
        var response = await admin.PatchAsJsonAsync($"/api/v1/sources/{source.Id}", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        var after = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/sources/{source.Id}");
        Assert.Equal((2, 12, 7), Settings(after));
        Assert.NotEqual("renamed", after.GetProperty("name").GetString());
    }

    [Theory]
    [InlineData("""{"autoResolveHours": "a day"}""")]
    [InlineData("""{"autoResolveHours": 1.5}""")]
    [InlineData("""{"deliveryRetentionDays": 99999999999999}""")]
    [InlineData("""{"acknowledgementTimeoutHours": [4]}""")]
    public async Task Malformed_values_are_a_400_not_a_500(string json)
    {
        await using var app = new AppFactory();
        var source = await app.CreateSourceAsync("twilio-errors");
        using var admin = app.AdminClient();

        var response = await admin.PatchAsync($"/api/v1/sources/{source.Id}", new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal((null, null, null), Settings(await admin.GetFromJsonAsync<JsonElement>($"/api/v1/sources/{source.Id}")));
    }

    [Theory]
    [InlineData(Roles.Viewer)]
    [InlineData(Roles.Responder)]
    public async Task Only_admins_may_change_the_settings(string role)
    {
        await using var app = new AppFactory();
        var source = await app.CreateSourceAsync("twilio-errors");
        using var client = await app.ClientWithRoleAsync(role);

        var response = await client.PatchAsJsonAsync($"/api/v1/sources/{source.Id}", new { autoResolveHours = 24 });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var stored = await app.WithDbAsync(db => db.Sources.AsNoTracking().SingleAsync(s => s.Id == new SourceId(source.Id)));
        Assert.Null(stored.AutoResolveHours);
    }
}
