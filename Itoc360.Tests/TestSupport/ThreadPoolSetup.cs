using System.Runtime.CompilerServices;

namespace Itoc360.Tests.TestSupport;

/// <summary>
/// bUnit's synchronous waits (<c>WaitForAssertion</c>, <c>Click</c>) block a thread-pool thread each, and the test
/// classes run in parallel next to the in-process apps (Kestrel, Blazor circuits, Hangfire workers) they test. On a
/// small machine (2 cores: a minimum of 2 threads) the pool then grows only slowly and the apps' own work waits
/// behind blocked test threads, which showed as random timeouts. A higher minimum lets the pool grow at once.
/// </summary>
internal static class ThreadPoolSetup
{
    [ModuleInitializer]
    internal static void RaiseMinThreads()
    {
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, Math.Max(16, Environment.ProcessorCount * 4)), io);
    }
}
