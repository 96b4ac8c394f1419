using Hangfire;
using Itoc360.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Itoc360.Tests.Web.Jobs;

/// <summary>Hangfire keeps one log provider for the whole process; a stopped host's must not break the hosts still running.</summary>
public sealed class HangfireLoggingTests
{
    [Fact]
    public async Task After_the_host_that_configured_hangfire_last_stops_creating_loggers_does_not_throw()
    {
        await using var running = new AppFactory();
        _ = running.Services.GetRequiredService<IGlobalConfiguration>();
        var stopped = new AppFactory();
        _ = stopped.Services.GetRequiredService<IGlobalConfiguration>();
        await stopped.DisposeAsync();

        var logger = Hangfire.Logging.LogProvider.GetLogger("after-stop");
        logger.Log(Hangfire.Logging.LogLevel.Info, () => "still fine", null);
        // What failed before: a job attribute whose constructor asks for a logger.
        _ = new AutomaticRetryAttribute();
    }
}
