namespace Itoc360.Tests.TestSupport;

/// <summary>Where the browser tests find Chromium, and whether they run under CI.</summary>
public static class Browsers
{
    /// <summary>The distribution's Chromium; Playwright's own downloads are never used.</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    public static readonly string[] LaunchArgs =
    [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
    ];

    public static bool ChromiumInstalled => File.Exists(ChromiumPath);

    /// <summary>CI sets <c>CI=true</c>: there a missing browser is a failure, not a skip.</summary>
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
}
