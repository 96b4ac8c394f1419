using Microsoft.Playwright;

namespace Itoc360.Tests.TestSupport;

/// <summary>
/// One Chromium for the whole browser collection; each test opens its own context (cookies, storage) with
/// <see cref="NewContextAsync"/>. The app itself is per test (<see cref="LiveApp"/>).
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    /// <summary>How long locators and <c>Expect</c> assertions wait before failing.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    private static string MissingBrowser =>
        $"CI=true but there is no browser at {Browsers.ChromiumPath}: install the 'chromium' package (.ci/run does). " +
        "Browser tests fail rather than skip under CI.";

    public IBrowser Browser => _browser ?? throw new InvalidOperationException(MissingBrowser);

    public async Task InitializeAsync()
    {
        if (!Browsers.ChromiumInstalled)
        {
            // Outside CI [BrowserFact] has skipped every test; under CI each of them fails with this message.
            if (Browsers.IsCi)
            {
                throw new InvalidOperationException(MissingBrowser);
            }

            return;
        }

        Assertions.SetDefaultExpectTimeout((float)Timeout.TotalMilliseconds);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Browsers.ChromiumPath,
            Headless = true,
            Args = Browsers.LaunchArgs,
            Timeout = (float)TimeSpan.FromSeconds(60).TotalMilliseconds,
        });
    }

    /// <summary>A fresh context on <paramref name="app"/>: relative URLs resolve against it; no shared cookies.</summary>
    public async Task<IBrowserContext> NewContextAsync(LiveApp app)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = app.BaseAddress.ToString(),
            Locale = "en-US",
            TimezoneId = "UTC",
        });
        context.SetDefaultTimeout((float)Timeout.TotalMilliseconds);
        context.SetDefaultNavigationTimeout((float)Timeout.TotalMilliseconds);
        return context;
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
    }
}

/// <summary>All browser test classes share one Chromium and run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "Browser";
}
