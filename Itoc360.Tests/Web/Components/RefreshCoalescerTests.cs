using Itoc360.Web.Components.Controls;
using Itoc360.Tests.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace Itoc360.Tests.Web.Components;

public sealed class RefreshCoalescerTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    [Fact]
    public void A_first_signal_refreshes_at_once_and_a_burst_after_it_is_one_more_refresh_an_interval_later()
    {
        var time = new FakeTimeProvider();
        var refreshes = 0;
        using var coalescer = new RefreshCoalescer(time, Interval, () => { refreshes++; return Task.CompletedTask; });

        coalescer.Signal();
        Assert.Equal(1, refreshes);

        for (var i = 0; i < 50; i++)
        {
            coalescer.Signal();
        }

        time.Advance(Interval - TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, refreshes);
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(2, refreshes);

        // Quiet: nothing more happens.
        time.Advance(Interval * 10);
        Assert.Equal(2, refreshes);

        // After a quiet spell the next change shows at once again: at most ten refreshes a second, never a wait when idle.
        coalescer.Signal();
        coalescer.Signal();
        Assert.Equal(3, refreshes);
        time.Advance(Interval);
        Assert.Equal(4, refreshes);
    }

    [Fact]
    public void A_sustained_storm_spaces_refreshes_by_the_storm_interval_until_a_quiet_spell()
    {
        var time = new FakeTimeProvider();
        var storm = TimeSpan.FromMilliseconds(250);
        var refreshes = 0;
        using var coalescer = new RefreshCoalescer(time, Interval, () => { refreshes++; return Task.CompletedTask; }, storm);

        coalescer.Signal();
        Assert.Equal(1, refreshes);

        // Changes every 10 ms for two seconds: the first burst waits the interval, the rest the storm interval
        // (100 ms, then every 250 ms over the remaining 1.9 s: 7 or 8 more, where the interval alone would give 19).
        for (var ms = 10; ms <= 2000; ms += 10)
        {
            time.Advance(TimeSpan.FromMilliseconds(10));
            coalescer.Signal();
        }

        Assert.InRange(refreshes, 1 + 7, 1 + 9);

        // A quiet spell as long as the storm interval: the next change shows at once, and a burst after it waits only the interval.
        for (var ms = 0; ms < 2 * storm.TotalMilliseconds; ms += 10)
        {
            time.Advance(TimeSpan.FromMilliseconds(10));
        }

        var quiet = refreshes;
        coalescer.Signal();
        Assert.Equal(quiet + 1, refreshes);
        coalescer.Signal();
        time.Advance(Interval);
        Assert.Equal(quiet + 2, refreshes);
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
        coalescer.Signal();
        Assert.Equal(1, refreshes);
        coalescer.Dispose();
        coalescer.Signal();
        time.Advance(Interval * 3);
        Assert.Equal(1, refreshes);
    }
}
