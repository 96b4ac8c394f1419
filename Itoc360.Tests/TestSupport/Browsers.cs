namespace Itoc360.Tests.TestSupport;

/// <summary>Where the browser tests find Chromium, and whether they run under CI.</summary>
public static class Browsers
{
    public const string DefaultChromiumPath = "/usr/bin/chromium";

    /// <summary>
    /// The distribution's Chromium (Playwright's own downloads are never used); <c>ITOC360_CHROMIUM</c> points
    /// elsewhere, e.g. on a machine that keeps it in another place, or to check how a missing browser is reported.
    /// </summary>
    public static string ChromiumPath =>
        Environment.GetEnvironmentVariable("ITOC360_CHROMIUM") is { Length: > 0 } path ? path : DefaultChromiumPath;

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
