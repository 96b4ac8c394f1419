using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Itoc360.Tests.TestSupport;
using Itoc360.Web.Data;

namespace Itoc360.Tests.Web.Paging;

/// <summary>The on-call part of the API: schedules and overrides, escalation policies, routing; validation and roles.</summary>
public sealed class OnCallApiTests
{
    private static async Task<string> UserAsync(HttpClient admin, string email)
    {
        var created = await PagingFixture.Json(await admin.PostAsJsonAsync("/api/v1/users", new { email, role = "Responder" }));
        return created.GetProperty("user").GetProperty("id").GetString()!;
    }

    [Fact]
    public async Task A_weekly_schedule_has_its_first_user_on_call_now_and_an_override_takes_over()
    {
        await using var app = new AppFactory();
        using var admin = app.AdminClient();
        var alice = await UserAsync(admin, "alice@example.com");
        var bob = await UserAsync(admin, "bob@example.com");

        var response = await admin.PostAsJsonAsync("/api/v1/schedules",
            new { name = "Primary", timeZone = "Europe/Berlin", rotation = new { kind = "Weekly", handoff = "09:00", userIds = new[] { alice, bob } } });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var schedule = await PagingFixture.Json(response);
        Assert.Equal(alice, schedule.GetProperty("onCallNow").GetProperty("userId").GetString());
        Assert.Equal(bob, schedule.GetProperty("next").GetProperty("userId").GetString());
        var id = schedule.GetProperty("id").GetGuid();

        var now = app.Time.GetUtcNow().UtcDateTime;
        var covered = await PagingFixture.Json(await admin.PostAsJsonAsync($"/api/v1/schedules/{id}/overrides",
            new { userId = bob, start = now.AddHours(-1), end = now.AddHours(2) }));
        Assert.Equal(bob, covered.GetProperty("onCallNow").GetProperty("userId").GetString());
        Assert.True(covered.GetProperty("onCallNow").GetProperty("isOverride").GetBoolean());

        var oncall = await admin.GetFromJsonAsync<JsonElement>("/api/v1/oncall");
        Assert.Equal(bob, oncall[0].GetProperty("now").GetProperty("userId").GetString());
    }

    [Theory]
    [InlineData("""{"name":"X","timeZone":"Mars/Olympus","rotation":{"kind":"Daily","handoff":"09:00","userIds":[]}}""", "timeZone")]
    [InlineData("""{"name":"X","timeZone":"UTC","rotation":{"kind":"Hourly","handoff":"09:00","userIds":[]}}""", "rotation.kind")]
    [InlineData("""{"name":"X","timeZone":"UTC","rotation":{"kind":"Daily","handoff":"9 am","userIds":[]}}""", "rotation.handoff")]
    [InlineData("""{"name":"X","timeZone":"UTC","rotation":{"kind":"Daily","handoff":"09:00","userIds":["nobody"]}}""", "rotation.userIds[0]")]
    [InlineData("""{"name":"","timeZone":"UTC","rotation":{"kind":"Daily","handoff":"09:00","userIds":[]}}""", "name")]
    public async Task A_bad_schedule_is_refused_naming_the_field(string json, string field)
    {
        await using var app = new AppFactory();
        using var admin = app.AdminClient();
        var response = await admin.PostAsync("/api/v1/schedules", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task A_policy_with_an_unknown_target_or_a_zero_delay_before_another_step_is_refused()
    {
        await using var app = new AppFactory();
        using var admin = app.AdminClient();
        var alice = await UserAsync(admin, "alice@example.com");

        var unknown = await admin.PostAsJsonAsync("/api/v1/escalation-policies",
            new { name = "P", repeat = 0, steps = new[] { new { delayMinutes = 5, targets = new[] { new { userId = "ghost" } } } } });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("steps[0].targets", await unknown.Content.ReadAsStringAsync());

        var zero = await admin.PostAsJsonAsync("/api/v1/escalation-policies", new
        {
            name = "P", repeat = 0,
            steps = new[] { new { delayMinutes = 0, targets = new[] { new { userId = alice } } }, new { delayMinutes = 5, targets = new[] { new { userId = alice } } } },
        });
        Assert.Equal(HttpStatusCode.BadRequest, zero.StatusCode);
        Assert.Contains("steps[0].delayMinutes", await zero.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Routing_rules_pick_a_policy_by_alert_fields_and_a_policy_in_use_cannot_be_deleted()
    {
        await using var app = new AppFactory();
        using var admin = app.AdminClient();
        var alice = await UserAsync(admin, "alice@example.com");
        var policy = (await PagingFixture.Json(await admin.PostAsJsonAsync("/api/v1/escalation-policies",
            new { name = "Night", repeat = 0, steps = new[] { new { delayMinutes = 5, targets = new[] { new { userId = alice } } } } }))).GetProperty("id").GetString();
        var source = await app.CreateSourceAsync("twilio-errors");

        var bad = await admin.PutAsJsonAsync($"/api/v1/sources/{source.Id}/routing",
            new { rules = new[] { new { match = "all", conditions = new[] { new { field = "ErrorCode", op = "regex", value = "(" } }, escalationPolicyId = policy } } });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("rules[0].conditions[0].value", await bad.Content.ReadAsStringAsync());

        var saved = await PagingFixture.Json(await admin.PutAsJsonAsync($"/api/v1/sources/{source.Id}/routing",
            new { rules = new[] { new { match = "any", conditions = new[] { new { field = "priority", op = "equals", value = "High" } }, escalationPolicyId = policy } } }));
        Assert.Equal("any", saved.GetProperty("rules")[0].GetProperty("match").GetString());

        using var client = app.CreateClient();
        await Webhooks.SendAsync(client, HttpFixture.Get("twilio-errors/01-error-11200"), source.PathAndQuery);
        var escalations = await app.WithDbAsync(db => Task.FromResult(db.Escalations.ToList()));
        Assert.Equal(Guid.Parse(policy!), Assert.Single(escalations).PolicyId);

        var delete = await admin.DeleteAsync($"/api/v1/escalation-policies/{policy}");
        Assert.Equal(HttpStatusCode.Conflict, delete.StatusCode);
        Assert.Contains("twilio-errors source", await delete.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Viewers_read_schedules_and_policies_but_change_nothing()
    {
        await using var app = new AppFactory();
        using var viewer = await app.ClientWithRoleAsync(Roles.Viewer);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("/api/v1/schedules")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("/api/v1/escalation-policies")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsJsonAsync("/api/v1/schedules", new { name = "X" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsJsonAsync("/api/v1/escalation-policies", new { name = "X" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PutAsJsonAsync($"/api/v1/sources/{Guid.NewGuid()}/routing", new { rules = Array.Empty<object>() })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsync($"/api/v1/users/x/contact-methods/{Guid.NewGuid()}/verification", null)).StatusCode);
        using var anonymous = app.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/schedules")).StatusCode);
    }
}
