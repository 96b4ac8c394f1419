using Itoc360.Web.Hosting;
using Microsoft.Extensions.Options;

namespace Itoc360.Web.Features.Paging;

/// <summary>
/// Runs the <see cref="Pager"/> the moment something changes (an incident opens or is acknowledged, a
/// status callback says a page failed, a code is to be sent) and again when the next due time comes, so
/// the first page never waits for a polling cycle. Due times live in the database; the sweeper calls the
/// pager too, so a missed wake-up only delays, never loses, a page.
/// </summary>
public sealed class PagerPump(Pager pager, IOptions<Itoc360Options> options, TimeProvider time, ILogger<PagerPump> logger)
    : BackgroundService
{
    /// <summary>The longest the pump sleeps without a reason (other instances may have added work).</summary>
    private static readonly TimeSpan MaxIdle = TimeSpan.FromSeconds(30);

    /// <summary>Work left over after a run (a busy moment) is picked up again after this, never in a tight loop.</summary>
    private static readonly TimeSpan MinWait = TimeSpan.FromMilliseconds(50);

    private readonly SemaphoreSlim _wake = new(0, 1);

    /// <summary>Asks for a run as soon as possible (cheap; many signals make one run).</summary>
    public void Signal()
    {
        try
        {
            if (_wake.CurrentCount == 0)
            {
                _wake.Release();
            }
        }
        catch (SemaphoreFullException)
        {
            // Already signalled.
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Paging.RunPump)
        {
            return;
        }

        // Whoever writes paging rows signals (the ingest writer, incident actions, callbacks, verification),
        // after their commit; incident changes that start or stop no escalation cost the pager nothing.
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            DateTime? next = null;
            try
            {
                next = (await pager.RunAsync(stoppingToken)).NextDueAt;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "The pager run failed; it runs again shortly.");
                next = time.GetUtcNow().UtcDateTime.AddSeconds(5);
            }

            var wait = MaxIdle;
            if (next is { } due)
            {
                var until = due - time.GetUtcNow().UtcDateTime;
                wait = until < MinWait ? MinWait : until < MaxIdle ? until + TimeSpan.FromMilliseconds(5) : MaxIdle;
            }

            try
            {
                using var timeout = new CancellationTokenSource(wait, time);
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, timeout.Token);
                await _wake.WaitAsync(linked.Token);
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                // The due time came.
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }
}
