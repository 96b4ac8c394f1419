using System.Net;
using Itoc360.Tests.TestSupport;
using Itoc360.Web.Data;

namespace Itoc360.Tests.Web.Jobs;

/// <summary>The Hangfire dashboard at /ops/jobs is for admins only, whoever asks and however.</summary>
public class DashboardAccessTests : IClassFixture<DashboardAccessTests.App>
{
    public sealed class App : IAsyncLifetime
    {
        public AppFactory Factory { get; } = new();

        public async Task InitializeAsync()
        {
            await Factory.CreateUserAsync("rita@example.com", "Responder-Password-1", Roles.Responder);
            await Factory.CreateUserAsync("vera@example.com", "Viewer-Password-12", Roles.Viewer);
        }

        public async Task DisposeAsync() => await Factory.DisposeAsync();
    }

    private readonly AppFactory _app;

    public DashboardAccessTests(App app) => _app = app.Factory;

    [Theory]
    [InlineData("/ops/jobs")]
    [InlineData("/ops/jobs/recurring")]
    [InlineData("/ops/jobs/stats")]
    public async Task Anonymous_visitors_are_sent_to_sign_in(string path)
    {
        using var client = _app.CreateClient(new() { AllowAutoRedirect = false });
        var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/login", response.Headers.Location!.AbsolutePath);
        Assert.DoesNotContain("Hangfire", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Anonymous_posts_to_the_dashboard_change_nothing()
    {
        using var client = _app.CreateClient(new() { AllowAutoRedirect = false });
        var response = await client.PostAsync("/ops/jobs/recurring/trigger", new FormUrlEncodedContent([new("jobs[]", "sweep-due-work")]));
        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEqual(HttpStatusCode.NoContent, response.StatusCode);
    }

    [Theory]
    [InlineData("rita@example.com", "Responder-Password-1")]
    [InlineData("vera@example.com", "Viewer-Password-12")]
    public async Task Signed_in_responders_and_viewers_are_refused(string email, string password)
    {
        using var client = await _app.SignedInClientAsync(email, password);
        var response = await client.GetAsync("/ops/jobs");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/denied", response.Headers.Location!.AbsolutePath);
        var stats = await client.GetAsync("/ops/jobs/stats");
        Assert.NotEqual(HttpStatusCode.OK, stats.StatusCode);
    }

    [Theory]
    [InlineData(Roles.Responder)]
    [InlineData(Roles.Viewer)]
    public async Task Api_keys_below_admin_get_403(string role)
    {
        using var client = await _app.ClientWithRoleAsync(role);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/ops/jobs")).StatusCode);
    }

    [Fact]
    public async Task A_signed_in_admin_sees_the_dashboard_and_our_recurring_jobs()
    {
        using var client = await _app.SignedInClientAsync(AppFactory.AdminEmail, AppFactory.AdminPassword);
        var response = await client.GetAsync("/ops/jobs/recurring");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains("Itoc360 jobs", page);
        Assert.Contains("sweep-due-work", page);
        Assert.Contains("purge-deliveries", page);
    }

    [Fact]
    public async Task An_admin_api_key_is_let_in_too()
    {
        using var client = _app.AdminClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/ops/jobs")).StatusCode);
    }
}
