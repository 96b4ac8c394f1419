using Itoc360.Domain.Incidents;

namespace Itoc360.Web.Realtime;

/// <summary>
/// In-process fan-out of incident changes, published only after they are committed. Subscribers
/// get an <see cref="IDisposable"/>; handlers must be quick and must not throw (they are isolated anyway).
/// </summary>
public sealed class IncidentNotifier(ILogger<IncidentNotifier> logger)
{
    private readonly Lock _gate = new();
    private Action<IReadOnlyList<IncidentChanged>>[] _subscribers = [];

    public int SubscriberCount => Volatile.Read(ref _subscribers).Length;

    public IDisposable Subscribe(Action<IReadOnlyList<IncidentChanged>> handler)
    {
        lock (_gate)
        {
            _subscribers = [.. _subscribers, handler];
        }

        return new Subscription(this, handler);
    }

    public void Publish(IReadOnlyList<IncidentChanged> changes)
    {
        if (changes.Count == 0)
        {
            return;
        }

        foreach (var subscriber in Volatile.Read(ref _subscribers))
        {
            try
            {
                subscriber(changes);
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "An incident change subscriber failed.");
            }
        }
    }

    private void Unsubscribe(Action<IReadOnlyList<IncidentChanged>> handler)
    {
        lock (_gate)
        {
            _subscribers = _subscribers.Where(s => s != handler).ToArray();
        }
    }

    private sealed class Subscription(IncidentNotifier owner, Action<IReadOnlyList<IncidentChanged>> handler) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Unsubscribe(handler);
            }
        }
    }
}
