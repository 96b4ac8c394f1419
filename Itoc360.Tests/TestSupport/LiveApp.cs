using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Itoc360.Tests.TestSupport;

/// <summary>
/// The app on real Kestrel at <c>127.0.0.1:0</c> (a free port), for browsers and real WebSockets.
/// Same temporary data folder, bootstrap admin and API key as <see cref="AppFactory"/>, but on the system clock.
/// </summary>
public sealed class LiveApp : IAsyncDisposable
{
    private LiveApp(AppFactory factory, Uri baseAddress)
    {
        Factory = factory;
        BaseAddress = baseAddress;
    }

    public AppFactory Factory { get; }

    /// <summary>Where Kestrel listens, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress { get; }

    public IServiceProvider Services => Factory.Services;

    public static LiveApp Start(IDictionary<string, string?>? settings = null)
    {
        var factory = new AppFactory(settings, fakeClock: false);
        try
        {
            factory.UseKestrel(kestrel => kestrel.Listen(System.Net.IPAddress.Loopback, 0));
            factory.StartServer();
            var address = factory.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>()
                .Addresses.Single();
            var baseAddress = new Uri(address.EndsWith('/') ? address : address + "/");
            factory.ClientOptions.BaseAddress = baseAddress;
            return new LiveApp(factory, baseAddress);
        }
        catch
        {
            factory.Dispose();
            throw;
        }
    }

    /// <summary>An absolute URL on the app for a path such as <c>/account/login</c>.</summary>
    public string Url(string path) => new Uri(BaseAddress, path).ToString();

    /// <summary>A plain HTTP client to the app, carrying the bootstrap admin API key.</summary>
    public HttpClient AdminClient() => Factory.AdminClient();

    public HttpClient CreateClient() => Factory.CreateClient();

    public Task<CreatedSource> CreateSourceAsync(string kind, string? name = null) => Factory.CreateSourceAsync(kind, name);

    public Task CreateUserAsync(string email, string password, string role) => Factory.CreateUserAsync(email, password, role);

    /// <summary>
    /// Posts a shared fixture (<c>kind/name</c>) to a new source of its kind, as the vendor would over the network,
    /// and returns the incident it opened as the API shows it.
    /// </summary>
    public async Task<OpenedIncident> OpenIncidentAsync(string fixtureId)
    {
        var fixture = HttpFixture.Get(fixtureId);
        var source = await CreateSourceAsync(fixture.Kind);
        using var vendor = new HttpClient();
        var posted = await Webhooks.SendAsync(vendor, fixture, source.WebhookUrl);
        Assert.True(posted.StatusCode == System.Net.HttpStatusCode.Accepted, $"{fixtureId}: {(int)posted.StatusCode} {await posted.Content.ReadAsStringAsync()}");
        var id = (await posted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("incidentId").GetGuid();
        return await IncidentAsync(id);
    }

    /// <summary>The incident as the API shows it now.</summary>
    public async Task<OpenedIncident> IncidentAsync(Guid id)
    {
        using var admin = AdminClient();
        var incident = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{id}");
        return new OpenedIncident(
            id,
            incident.GetProperty("number").GetInt64(),
            incident.GetProperty("title").GetString()!,
            incident.GetProperty("status").GetString()!,
            incident.GetProperty("priority").GetString()!);
    }

    public ValueTask DisposeAsync() => Factory.DisposeAsync();
}

public sealed record OpenedIncident(Guid Id, long Number, string Title, string Status, string Priority);
