using Itoc360.Domain.Incidents;
using Itoc360.Web.Features.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace Itoc360.Web.Realtime;

/// <summary>
/// For clients outside the console (wallboards, scripts): every committed incident change as
/// <c>IncidentChanged</c>. Authenticated by the sign-in cookie or an API key (header, or <c>access_token</c>
/// in the query for WebSockets). The console's own pages subscribe in-process instead.
/// </summary>
[Authorize(Policy = Policies.Viewer)]
public sealed class IncidentsHub : Hub
{
    public const string Path = "/hubs/incidents";
    public const string ChangedMethod = "IncidentChanged";
}

/// <summary>The event as API.md names it.</summary>
public sealed record IncidentChangedMessage(Guid Id, long Number, string Status, string Priority, int Version, string Kind)
{
    public static IncidentChangedMessage From(IncidentChanged change) =>
        new(change.Id.Value, change.Number, change.Status.ToString(), change.Priority.ToString(), change.Version, change.Kind);
}

/// <summary>Forwards the in-process notifier to the hub's connections.</summary>
public sealed class IncidentHubForwarder(IncidentNotifier notifier, IHubContext<IncidentsHub> hub, ILogger<IncidentHubForwarder> logger) : IHostedService
{
    private IDisposable? _subscription;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _subscription = notifier.Subscribe(Forward);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _subscription?.Dispose();
        return Task.CompletedTask;
    }

    private void Forward(IReadOnlyList<IncidentChanged> changes)
    {
        foreach (var change in changes)
        {
            // SendAsync only queues per connection; a slow client never holds up the notifier.
            _ = SendAsync(IncidentChangedMessage.From(change));
        }
    }

    private async Task SendAsync(IncidentChangedMessage message)
    {
        try
        {
            await hub.Clients.All.SendAsync(IncidentsHub.ChangedMethod, message);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Could not forward incident {Number} to hub clients.", message.Number);
        }
    }
}
