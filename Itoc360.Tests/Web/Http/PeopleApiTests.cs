using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Itoc360.Tests.TestSupport;
using Itoc360.Web.Data;
using Itoc360.Web.Features.People;

namespace Itoc360.Tests.Web.Http;

public class PeopleApiTests : IClassFixture<PeopleApiTests.App>
{
    public sealed class App : IAsyncLifetime
    {
        public AppFactory Factory { get; } = new();

        public Task InitializeAsync() => Task.CompletedTask;

        public async Task DisposeAsync() => await Factory.DisposeAsync();
    }

    private readonly AppFactory _app;

    public PeopleApiTests(App app) => _app = app.Factory;

    [Fact]
    public async Task An_admin_creates_a_person_with_numbers_in_e164_a_time_zone_and_default_rules()
    {
        using var client = _app.AdminClient();
        var response = await client.PostAsJsonAsync("/api/v1/users", new
        {
            email = "oncall.one@example.com", name = "On Call One", role = "Responder",
            phone = "+49 151 2345 6789", whatsApp = "whatsapp:+1 (415) 555-2671", timeZone = "Europe/Berlin",
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var user = body.GetProperty("user");
        Assert.Equal($"/api/v1/users/{user.GetProperty("id").GetString()}", response.Headers.Location?.OriginalString);
        Assert.Equal("Responder", user.GetProperty("role").GetString());
        Assert.Equal("Europe/Berlin", user.GetProperty("timeZone").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("generatedPassword").GetString()));
        var methods = user.GetProperty("contactMethods").EnumerateArray().ToDictionary(m => m.GetProperty("kind").GetString()!, m => m);
        Assert.Equal("+4915123456789", methods[ContactKinds.Phone].GetProperty("value").GetString());
        Assert.Equal("+14155552671", methods[ContactKinds.WhatsApp].GetProperty("value").GetString());
        Assert.False(methods[ContactKinds.Phone].GetProperty("verified").GetBoolean());
        // Nothing set: SMS at once, a call after five minutes.
        Assert.Equal(["Sms:0", "Voice:5"], user.GetProperty("contactRules").EnumerateArray()
            .Select(r => $"{r.GetProperty("channel").GetString()}:{r.GetProperty("afterMinutes").GetInt32()}"));

        var listed = await client.GetFromJsonAsync<JsonElement>("/api/v1/users");
        Assert.Contains(listed.EnumerateArray(), u => u.GetProperty("email").GetString() == "oncall.one@example.com");
    }

    [Theory]
    [InlineData("{\"email\":\"a1@example.com\",\"role\":\"Responder\",\"phone\":\"0151 2345678\"}", "phone")]
    [InlineData("{\"email\":\"a2@example.com\",\"role\":\"Responder\",\"phone\":\"+49 12\"}", "phone")]
    [InlineData("{\"email\":\"a3@example.com\",\"role\":\"Responder\",\"phone\":\"call me maybe\"}", "phone")]
    [InlineData("{\"email\":\"a4@example.com\",\"role\":\"Responder\",\"whatsApp\":\"+1 000\"}", "whatsApp")]
    [InlineData("{\"email\":\"a5@example.com\",\"role\":\"Responder\",\"timeZone\":\"Mars/Olympus\"}", "timeZone")]
    [InlineData("{\"email\":\"a6@example.com\",\"role\":\"Boss\"}", "role")]
    [InlineData("{\"role\":\"Viewer\"}", "email")]
    public async Task Bad_people_get_a_400_naming_the_field_and_nothing_is_created(string json, string field)
    {
        using var client = _app.AdminClient();
        var response = await client.PostAsync("/api/v1/users", new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        var listed = await client.GetFromJsonAsync<JsonElement>("/api/v1/users");
        Assert.DoesNotContain(listed.EnumerateArray(), u => json.Contains(u.GetProperty("email").GetString()!, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_same_email_twice_is_a_conflict()
    {
        using var client = _app.AdminClient();
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/v1/users", new { email = "twice@example.com", role = "Viewer" })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await client.PostAsJsonAsync("/api/v1/users", new { email = "twice@example.com", role = "Viewer" })).StatusCode);
    }

    [Fact]
    public async Task Contact_rules_and_quiet_hours_are_replaced_and_validated()
    {
        using var client = _app.AdminClient();
        var created = await (await client.PostAsJsonAsync("/api/v1/users", new { email = "rules@example.com", role = "Responder", phone = "+14155550123" }))
            .Content.ReadFromJsonAsync<JsonElement>();
        var id = created.GetProperty("user").GetProperty("id").GetString();

        var ok = await client.PutAsJsonAsync($"/api/v1/users/{id}/contact-rules", new
        {
            rules = new object[] { new { channel = "Voice", afterMinutes = 5 }, new { channel = "Sms", afterMinutes = 0 } },
            quietHours = new { start = "22:00", end = "7:00" },
        });
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var user = await ok.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(["Sms", "Voice"], user.GetProperty("contactRules").EnumerateArray().Select(r => r.GetProperty("channel").GetString()));
        Assert.Equal("07:00", user.GetProperty("quietHours").GetProperty("end").GetString());

        foreach (var bad in new object[]
        {
            new { rules = Array.Empty<object>() },
            new { rules = new object[] { new { channel = "Voice", afterMinutes = 5 } } },
            new { rules = new object[] { new { channel = "Sms", afterMinutes = -1 } } },
            new { rules = new object[] { new { channel = "Sms", afterMinutes = 0 } }, quietHours = new { start = "25:00", end = "07:00" } },
            new { rules = new object[] { new { channel = "Sms", afterMinutes = 0 } }, quietHours = new { start = "07:00", end = "07:00" } },
        })
        {
            Assert.Equal(HttpStatusCode.BadRequest, (await client.PutAsJsonAsync($"/api/v1/users/{id}/contact-rules", bad)).StatusCode);
        }

        var pigeon = await client.PutAsync($"/api/v1/users/{id}/contact-rules",
            new StringContent("{\"rules\":[{\"channel\":\"Pigeon\",\"afterMinutes\":0}]}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, pigeon.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PutAsJsonAsync("/api/v1/users/nobody/contact-rules",
            new { rules = new object[] { new { channel = "Sms", afterMinutes = 0 } } })).StatusCode);
        var after = await client.GetFromJsonAsync<JsonElement>($"/api/v1/users/{id}");
        Assert.Equal(2, after.GetProperty("contactRules").GetArrayLength());
    }

    [Theory]
    [InlineData(Roles.Responder)]
    [InlineData(Roles.Viewer)]
    public async Task Only_admins_manage_people(string role)
    {
        using var client = await _app.ClientWithRoleAsync(role);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/v1/users")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsJsonAsync("/api/v1/users", new { email = $"x-{role}@example.com", role = "Admin" })).StatusCode);
    }

    [Theory]
    [InlineData("+49 151 23456789", "+4915123456789")]
    [InlineData("0049 151 23456789", "+4915123456789")]
    [InlineData("+44 20 7946 0958", "+442079460958")]
    [InlineData("whatsapp:+14155552671", "+14155552671")]
    public void Numbers_normalise_to_e164(string input, string expected)
    {
        Assert.True(Phones.TryNormalize(input, out var e164, out var error), error);
        Assert.Equal(expected, e164);
    }
}
