using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using Itoc360.Tests.TestSupport;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Itoc360.Tests.Web.Http;

/// <summary>What the middleware pipeline runs for which requests.</summary>
public class PipelineTests
{
    private static readonly HttpFixture DebuggerError = HttpFixture.Get("twilio-errors/01-error-11200");

    [Fact]
    public async Task Console_pages_refuse_to_be_framed_by_other_sites()
    {
        // The console's WebSocket is not compressed, so Blazor adds no frame-ancestors policy of its own: ours is sent.
        await using var app = new AppFactory();
        using var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        foreach (var path in new[] { "/account/login", "/" })
        {
            var response = await client.GetAsync(path);
            Assert.Equal("SAMEORIGIN", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
            Assert.Equal("frame-ancestors 'self'", Assert.Single(response.Headers.GetValues("Content-Security-Policy")));
        }
    }

    [Fact]
    public async Task Webhooks_skip_sign_in_handling_and_other_requests_authenticate_once()
    {
        var calls = new AuthenticationCalls();
        await using var app = new AppFactory(testServices: services =>
        {
            services.AddSingleton(calls);
            services.AddScoped<AuthenticationService>();
            services.AddScoped<IAuthenticationService>(sp => new CountingAuthenticationService(sp.GetRequiredService<AuthenticationService>(), calls));
        });
        var source = await app.CreateSourceAsync("twilio-errors");
        using var client = app.CreateClient();

        calls.Reset();
        var webhook = await Webhooks.SendAsync(client, DebuggerError, source.PathAndQuery);
        Assert.Equal(HttpStatusCode.Accepted, webhook.StatusCode);
        Assert.Equal(0, calls.Count); // webhooks carry their own token; cookies and API keys are not looked at

        calls.Reset();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/sources");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AppFactory.AdminKey);
        var api = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, api.StatusCode);
        // Once through the default scheme, which forwards to the API-key scheme once.
        Assert.Equal(["Itoc360", "ApiKey"], calls.Schemes);
    }

    private sealed class AuthenticationCalls
    {
        private readonly List<string> _schemes = [];

        public int Count
        {
            get { lock (_schemes) { return _schemes.Count; } }
        }

        public string[] Schemes
        {
            get { lock (_schemes) { return [.. _schemes]; } }
        }

        public void Add(string? scheme)
        {
            lock (_schemes) { _schemes.Add(scheme ?? "(default)"); }
        }

        public void Reset()
        {
            lock (_schemes) { _schemes.Clear(); }
        }
    }

    private sealed class CountingAuthenticationService(IAuthenticationService inner, AuthenticationCalls calls) : IAuthenticationService
    {
        public Task<AuthenticateResult> AuthenticateAsync(HttpContext context, string? scheme)
        {
            calls.Add(scheme);
            return inner.AuthenticateAsync(context, scheme);
        }

        public Task ChallengeAsync(HttpContext context, string? scheme, AuthenticationProperties? properties) => inner.ChallengeAsync(context, scheme, properties);

        public Task ForbidAsync(HttpContext context, string? scheme, AuthenticationProperties? properties) => inner.ForbidAsync(context, scheme, properties);

        public Task SignInAsync(HttpContext context, string? scheme, ClaimsPrincipal principal, AuthenticationProperties? properties) =>
            inner.SignInAsync(context, scheme, principal, properties);

        public Task SignOutAsync(HttpContext context, string? scheme, AuthenticationProperties? properties) => inner.SignOutAsync(context, scheme, properties);
    }
}
