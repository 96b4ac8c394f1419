namespace Itoc360.Web.Components.Controls;

/// <summary>
/// Turns a burst of change signals into at most one refresh per interval. A signal after a quiet spell
/// refreshes at once (no added latency for a single change); signals within <c>interval</c> of the last
/// refresh's start are folded into one refresh when the interval is over; a signal arriving while a
/// refresh runs schedules one more; while signals keep coming the spacing can grow to a longer storm interval
/// until a quiet spell that long. Thread-safe; the refresh runs on a timer thread, so pages marshal
/// with <c>InvokeAsync</c> inside it.
/// </summary>
public sealed class RefreshCoalescer : IDisposable
{
    private readonly Func<Task> _refresh;
    private readonly TimeProvider _time;
    private long? _lastStart;
    private readonly TimeSpan _interval;
    private readonly TimeSpan _stormInterval;
    private bool _storm;
    private readonly ITimer _timer;
    private readonly Lock _gate = new();
    private bool _scheduled;
    private bool _running;
    private bool _again;
    private bool _disposed;

    /// <param name="stormInterval">
    /// The spacing once changes keep coming (longer than <paramref name="interval"/> to refresh less often during a
    /// sustained storm); back to <paramref name="interval"/> after a quiet spell this long. Defaults to the interval.
    /// </param>
    public RefreshCoalescer(TimeProvider time, TimeSpan interval, Func<Task> refresh, TimeSpan? stormInterval = null)
    {
        _refresh = refresh;
        _interval = interval;
        _stormInterval = stormInterval is { } storm && storm > interval ? storm : interval;
        _time = time;
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
            var sinceLast = _lastStart is { } last ? _time.GetElapsedTime(last) : TimeSpan.MaxValue;
            TimeSpan delay;
            if (sinceLast >= _stormInterval || (!_storm && sinceLast >= _interval))
            {
                // After a quiet spell, at once.
                _storm = false;
                delay = TimeSpan.Zero;
            }
            else
            {
                // Changes keep coming: the first wait is the interval, the following ones the storm interval.
                delay = (_storm ? _stormInterval : _interval) - sinceLast;
                _storm = true;
            }

            _timer.Change(delay > TimeSpan.Zero ? delay : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
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
            _lastStart = _time.GetTimestamp();
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
