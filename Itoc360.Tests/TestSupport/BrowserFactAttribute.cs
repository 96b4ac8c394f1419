namespace Itoc360.Tests.TestSupport;

/// <summary>
/// A test that drives the system Chromium. Skipped when <see cref="Browsers.ChromiumPath"/> is missing on a
/// developer machine; with <c>CI=true</c> it always runs, so a missing browser fails the build instead of passing quietly.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (!Browsers.ChromiumInstalled && !Browsers.IsCi)
        {
            Skip = $"No browser at {Browsers.ChromiumPath} (install the 'chromium' package; with CI=true this test fails instead).";
        }
    }
}
