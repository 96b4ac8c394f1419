using Hangfire;
using Hangfire.InMemory;
using Itoc360.Web.Features.Auth;
using Itoc360.Web.Features.Incidents;
using Itoc360.Web.Hosting;

namespace Itoc360.Web.Jobs;

/// <summary>
/// Hangfire in this process. The job storage is a seam: in-memory for the embedded SQLite set-up (the
/// database, not the job storage, holds what is due), PostgreSQL storage once that database mode exists.
/// </summary>
public static class JobsHosting
{
    public const string DashboardPath = "/ops/jobs";

    public static IServiceCollection AddItoc360Jobs(this IServiceCollection services, Itoc360Options options)
    {
        if (options.Jobs.SweepSeconds is < 1 or > 60 || 60 % options.Jobs.SweepSeconds != 0)
        {
            throw new InvalidOperationException("Itoc360:Jobs:SweepSeconds must divide 60 (e.g. 5, 10, 15, 30).");
        }

        // Our own storage instance in the container (not Hangfire's static JobStorage.Current), so that
        // every host in one process — the tests start many — has its own.
        services.AddSingleton<JobStorage>(_ => CreateStorage(options));
        services.AddHangfire((sp, config) => config
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            // Hangfire's log provider is process-wide: one that outlives a stopped host (tests start many) must not throw.
            .UseLogProvider(new HostSafeLogProvider(sp.GetRequiredService<ILoggerFactory>())));
        if (options.Jobs.RunServer)
        {
            services.AddHangfireServer((sp, o) =>
            {
                // This container's activator, never Hangfire's process-wide one (another host in the same process would win).
                o.Activator = new ContainerJobActivator(sp.GetRequiredService<IServiceScopeFactory>());
                o.WorkerCount = Math.Max(1, options.Jobs.WorkerCount);
                // Precise due jobs (a snooze of one minute) should not wait long for the scheduler's poll.
                o.SchedulePollingInterval = TimeSpan.FromSeconds(1);
                o.ServerName = $"itoc360:{Environment.MachineName}:{Environment.ProcessId}";
            });
        }

        services.AddSingleton<IDueWorkScheduler, HangfireDueWorkScheduler>();
        services.AddSingleton<IncidentWorkflow>();
        services.AddSingleton<BulkActions>();
        services.AddTransient<IncidentDueJobs>();
        services.AddTransient<DueWorkSweeper>();
        services.AddTransient<RetentionJob>();
        services.AddTransient<BulkActionJob>();
        services.AddHostedService<JobRegistrar>();
        return services;
    }

    public static IEndpointConventionBuilder MapJobsDashboard(this IEndpointRouteBuilder app) =>
        // Authorised by our Admin policy (cookie or admin API key); Hangfire's local-requests-only default is replaced.
        app.MapHangfireDashboardWithAuthorizationPolicy(Policies.Admin, DashboardPath, new DashboardOptions
        {
            DashboardTitle = "Itoc360 jobs",
            AppPath = "/",
            DisplayStorageConnectionString = false,
        });

    internal static bool IsInMemory(Itoc360Options options) =>
        string.Equals(options.Database.Provider, "Sqlite", StringComparison.OrdinalIgnoreCase);

    private static JobStorage CreateStorage(Itoc360Options options) =>
        IsInMemory(options)
            ? new InMemoryStorage(new InMemoryStorageOptions { MaxExpirationTime = TimeSpan.FromHours(1) })
            : throw new NotSupportedException("Job storage for the PostgreSQL mode (Hangfire.PostgreSql) comes with that database mode.");
}

/// <summary>Creates each job in its own scope of this host's container.</summary>
internal sealed class ContainerJobActivator(IServiceScopeFactory scopes) : JobActivator
{
    public override JobActivatorScope BeginScope(JobActivatorContext context) => new Scope(scopes.CreateAsyncScope());

    private sealed class Scope(AsyncServiceScope scope) : JobActivatorScope
    {
        public override object Resolve(Type type) => ActivatorUtilities.GetServiceOrCreateInstance(scope.ServiceProvider, type);

        public override void DisposeScope() => scope.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }
}

/// <summary>Registers the recurring jobs under constant ids, and at start picks up what a restart left behind.</summary>
internal sealed class JobRegistrar(
    IRecurringJobManager recurring,
    IBackgroundJobClient jobs,
    BulkActions bulk,
    Microsoft.Extensions.Options.IOptions<Itoc360Options> options,
    ILogger<JobRegistrar> logger) : IHostedService
{
    public const string SweepJobId = "sweep-due-work";
    public const string RetentionJobId = "purge-deliveries";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var jobsOptions = options.Value.Jobs;
        var utc = new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc };
        recurring.AddOrUpdate<DueWorkSweeper>(SweepJobId, j => j.SweepAsync(CancellationToken.None),
            jobsOptions.SweepSeconds == 60 ? "* * * * *" : $"*/{jobsOptions.SweepSeconds} * * * * *", utc);
        recurring.AddOrUpdate<RetentionJob>(RetentionJobId, j => j.PurgeDeliveriesAsync(CancellationToken.None), "7 * * * *", utc);
        if (!jobsOptions.RunServer)
        {
            return;
        }

        // In-memory job storage starts empty: what was due while the process was down is found by one sweep
        // now, and bulk jobs that were queued or running are queued again (their rows say where they stopped).
        var restarted = await bulk.RestartStalledAsync(cancellationToken, afterStart: JobsHosting.IsInMemory(options.Value));
        if (restarted > 0)
        {
            logger.LogInformation("Queued {Count} unfinished bulk jobs again.", restarted);
        }

        jobs.Enqueue<DueWorkSweeper>(j => j.SweepAsync(CancellationToken.None));
        jobs.Enqueue<RetentionJob>(j => j.PurgeDeliveriesAsync(CancellationToken.None));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>
/// Hangfire's logging through ASP.NET Core's, except that a logger factory already disposed (its host
/// stopped while another host in the same process still creates jobs) logs nothing instead of throwing.
/// </summary>
internal sealed class HostSafeLogProvider(ILoggerFactory factory) : Hangfire.Logging.ILogProvider
{
    private readonly Hangfire.AspNetCore.AspNetCoreLogProvider _inner = new(factory);

    public Hangfire.Logging.ILog GetLogger(string name)
    {
        try
        {
            return new SafeLog(_inner.GetLogger(name));
        }
        catch (ObjectDisposedException)
        {
            return new SafeLog(null);
        }
    }

    private sealed class SafeLog(Hangfire.Logging.ILog? inner) : Hangfire.Logging.ILog
    {
        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string> messageFunc, Exception exception)
        {
            try
            {
                return inner?.Log(logLevel, messageFunc, exception) ?? false;
            }
            catch (ObjectDisposedException)
            {
                return false;
            }
        }
    }
}
