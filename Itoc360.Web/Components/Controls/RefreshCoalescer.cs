namespace Itoc360.Web.Components.Controls;

/// <summary>
/// Turns a burst of change signals into at most one refresh per interval: the first signal schedules a
/// refresh after <c>interval</c>; signals arriving before it runs are folded into it; a signal arriving
/// while it runs schedules one more. Thread-safe; the refresh itself runs on a timer thread, so pages
/// marshal with <c>InvokeAsync</c> inside it.
/// </summary>
public sealed class RefreshCoalescer : IDisposable
{
    private readonly Func<Task> _refresh;
    private readonly TimeSpan _interval;
    private readonly ITimer _timer;
    private readonly Lock _gate = new();
    private bool _scheduled;
    private bool _running;
    private bool _again;
    private bool _disposed;

    public RefreshCoalescer(TimeProvider time, TimeSpan interval, Func<Task> refresh)
    {
        _refresh = refresh;
        _interval = interval;
        _timer = time.CreateTimer(_ => _ = RunAsync(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>How many refreshes have run; for tests and diagnostics.</summary>
    public int Refreshes { get; private set; }

    public void Signal()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            if (_running)
            {
                _again = true;
                return;
            }

            if (_scheduled)
            {
                return;
            }

            _scheduled = true;
            _timer.Change(_interval, Timeout.InfiniteTimeSpan);
        }
    }

    private async Task RunAsync()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _scheduled = false;
            _running = true;
        }

        try
        {
            Refreshes++;
            await _refresh();
        }
        catch (ObjectDisposedException)
        {
            // The page went away while refreshing.
        }
        finally
        {
            bool again;
            lock (_gate)
            {
                _running = false;
                again = _again;
                _again = false;
            }

            if (again)
            {
                Signal();
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
        }

        _timer.Dispose();
    }
}
