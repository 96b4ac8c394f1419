using Itoc360.Web.Components.Controls;
using Itoc360.Tests.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace Itoc360.Tests.Web.Components;

public sealed class RefreshCoalescerTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    [Fact]
    public void Signals_within_one_interval_cause_one_refresh_after_it()
    {
        var time = new FakeTimeProvider();
        var refreshes = 0;
        using var coalescer = new RefreshCoalescer(time, Interval, () => { refreshes++; return Task.CompletedTask; });

        for (var i = 0; i < 50; i++)
        {
            coalescer.Signal();
        }

        time.Advance(Interval - TimeSpan.FromMilliseconds(1));
        Assert.Equal(0, refreshes);
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, refreshes);

        // Quiet: nothing more happens.
        time.Advance(Interval * 10);
        Assert.Equal(1, refreshes);

        // A later burst gets its own single refresh: at most ten per second however busy it gets.
        coalescer.Signal();
        coalescer.Signal();
        time.Advance(Interval);
        Assert.Equal(2, refreshes);
    }

    [Fact]
    public async Task A_signal_during_a_refresh_schedules_exactly_one_more()
    {
        var time = new FakeTimeProvider();
        var gate = new TaskCompletionSource();
        var refreshes = 0;
        using var coalescer = new RefreshCoalescer(time, Interval, async () =>
        {
            if (Interlocked.Increment(ref refreshes) == 1)
            {
                await gate.Task;
            }
        });

        coalescer.Signal();
        time.Advance(Interval);
        Assert.Equal(1, refreshes);
        coalescer.Signal();
        coalescer.Signal();
        Assert.Equal(1, refreshes);
        gate.SetResult();
        // The signals that came during the refresh are one more refresh, an interval later.
        await Wait.UntilAsync(() =>
        {
            time.Advance(TimeSpan.FromMilliseconds(10));
            return Task.FromResult(Volatile.Read(ref refreshes) == 2);
        }, TimeSpan.FromSeconds(5));
        time.Advance(Interval * 5);
        Assert.Equal(2, Volatile.Read(ref refreshes));
    }

    [Fact]
    public void Nothing_runs_after_dispose()
    {
        var time = new FakeTimeProvider();
        var refreshes = 0;
        var coalescer = new RefreshCoalescer(time, Interval, () => { refreshes++; return Task.CompletedTask; });
        coalescer.Signal();
        coalescer.Dispose();
        coalescer.Signal();
        time.Advance(Interval * 3);
        Assert.Equal(0, refreshes);
    }
}
