using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Itoc360.Web.Data;
using Itoc360.Web.Features.Auth;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Itoc360.Tests.TestSupport;

/// <summary>
/// The whole app on its own temporary SQLite data folder, with captured logs and, by default, a fake clock.
/// In memory unless a test calls <c>UseKestrel</c> (see <see cref="LiveApp"/>).
/// </summary>
public sealed class AppFactory : WebApplicationFactory<Program>
{
    public const string AdminKey = "test-admin-key-0123456789abcdef";
    public const string AdminEmail = "admin@example.com";
    public const string AdminPassword = "Admin-Password-123";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly Dictionary<string, string?> _settings = new();

    private readonly bool _ownsDataDirectory;

    private readonly bool _fakeClock;

    private readonly Action<IServiceCollection>? _testServices;

    /// <param name="settings">Extra configuration.</param>
    /// <param name="dataDirectory">An existing data folder to start on (a restart); by default a new temporary one, removed afterwards.</param>
    /// <param name="fakeClock">
    /// Replace <see cref="TimeProvider"/> with <see cref="Time"/>. Browser tests pass false: a clock that never moves
    /// breaks cookie expiry, circuit and SignalR timing in a real browser.
    /// </param>
    /// <param name="testServices">Replaces or adds services after the app's own (test doubles, probes).</param>
    public AppFactory(IDictionary<string, string?>? settings = null, string? dataDirectory = null, bool fakeClock = true,
        Action<IServiceCollection>? testServices = null)
    {
        _fakeClock = fakeClock;
        _testServices = testServices;
        _ownsDataDirectory = dataDirectory is null;
        DataDirectory = dataDirectory ?? Directory.CreateTempSubdirectory("itoc360-test-").FullName;
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }
    }

    public string DataDirectory { get; }

    /// <summary>The app's clock, unless the factory was made with <c>fakeClock: false</c>.</summary>
    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 20, 8, 0, 0, TimeSpan.Zero));

    public ConcurrentQueue<string> Logs { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Itoc360:DataDirectory", DataDirectory);
        builder.UseSetting("Itoc360:Bootstrap:ApiKey", AdminKey);
        builder.UseSetting("Itoc360:Bootstrap:AdminEmail", AdminEmail);
        builder.UseSetting("Itoc360:Bootstrap:AdminPassword", AdminPassword);
        // With a fake clock the tests drive the jobs themselves (a sweep at a moment of the test's choosing);
        // on a real clock (browser tests) Hangfire's server runs them as in production. A setting overrides either.
        builder.UseSetting("Itoc360:Jobs:RunServer", _fakeClock ? "false" : "true");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging =>
        {
            logging.SetMinimumLevel(LogLevel.Trace);
            logging.AddProvider(new CapturingLoggerProvider(Logs));
        });
        if (_fakeClock)
        {
            builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Time));
        }

        if (_testServices is not null)
        {
            builder.ConfigureTestServices(_testServices);
        }
    }

    public HttpClient AdminClient() => ClientWithKey(AdminKey);

    public HttpClient ClientWithKey(string key)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = ClientOptions.BaseAddress });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    /// <summary>A client holding a fresh API key of <paramref name="role"/>.</summary>
    public async Task<HttpClient> ClientWithRoleAsync(string role)
    {
        var store = Services.GetRequiredService<ApiKeyStore>();
        var key = ApiKeyStore.NewKey();
        await store.CreateAsync($"test {role}", role, "test", key, CancellationToken.None);
        return ClientWithKey(key);
    }

    public async Task<T> WithDbAsync<T>(Func<AppDbContext, Task<T>> query)
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        return await query(db);
    }

    /// <summary>Creates a console user with a password and one role, as an admin would.</summary>
    public async Task CreateUserAsync(string email, string password, string role)
    {
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = new AppUser
        {
            UserName = email,
            Email = email,
            EmailConfirmed = true,
            DisplayName = email.Split('@')[0],
            CreatedAt = scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime,
        };
        var created = await users.CreateAsync(user, password);
        Assert.True(created.Succeeded, string.Join("; ", created.Errors.Select(e => e.Description)));
        var added = await users.AddToRoleAsync(user, role);
        Assert.True(added.Succeeded, string.Join("; ", added.Errors.Select(e => e.Description)));
    }

    /// <summary>Creates a source through the API and returns its id and webhook URL.</summary>
    public async Task<CreatedSource> CreateSourceAsync(string kind, string? name = null, string? twilioAuthToken = null)
    {
        using var client = AdminClient();
        var response = await client.PostAsJsonAsync("/api/v1/sources", new { name = name ?? $"{kind} source", kind, twilioAuthToken });
        response.EnsureSuccessStatusCode();
        var source = await response.Content.ReadFromJsonAsync<JsonElement>(Json);
        return new CreatedSource(source.GetProperty("id").GetGuid(), source.GetProperty("webhookUrl").GetString()!);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && _ownsDataDirectory)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // A file still held open is removed with the temp folder later.
            }
        }
    }
}

public sealed record CreatedSource(Guid Id, string WebhookUrl)
{
    /// <summary>The path and query of the webhook URL, for the in-memory test client.</summary>
    public string PathAndQuery => new Uri(WebhookUrl).PathAndQuery;

    public string Token => Uri.UnescapeDataString(new Uri(WebhookUrl).Query.Split("token=")[1]);

    public string PathWithToken(string token) => $"/hooks/{Id}?token={Uri.EscapeDataString(token)}";
}

internal sealed class CapturingLoggerProvider(ConcurrentQueue<string> sink) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new CapturingLogger(categoryName, sink);

    public void Dispose()
    {
    }

    private sealed class CapturingLogger(string category, ConcurrentQueue<string> sink) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            sink.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");
    }
}
