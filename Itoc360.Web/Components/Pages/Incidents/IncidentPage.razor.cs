using Itoc360.Domain;
using Itoc360.Domain.Incidents;
using Itoc360.Web.Components.Controls;
using Itoc360.Web.Components.Dialogs;
using Itoc360.Web.Data;
using Itoc360.Web.Features.Auth;
using Itoc360.Web.Features.Incidents;
using Itoc360.Web.Features.Paging;
using Itoc360.Web.Realtime;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace Itoc360.Web.Components.Pages.Incidents;

/// <summary>One incident: details, action bar, timeline, alerts and the raw requests; live.</summary>
public sealed partial class IncidentPage : IDisposable
{
    private const int MaxDeliveries = 50;

    /// <summary>The quiet periods the menu offers, in minutes; "Custom…" asks for any other.</summary>
    private static readonly int[] QuietChoices = [15, 30, 60, 240];

    private IncidentDetail? _detail;
    private IReadOnlyList<RawDelivery> _deliveries = [];
    private IReadOnlyList<NotificationItem> _notifications = [];
    private IReadOnlyList<VendorLink> _links = [];
    private List<BreadcrumbItem> _crumbs = [];
    private string _sourceName = "";
    private string _sourceKind = "";
    private Guid? _sourceId;
    private bool _notFound;
    private bool _busy;
    private IDisposable? _subscription;
    private RefreshCoalescer? _coalescer;
    private bool _disposed;

    /// <summary>The incident's number (<c>/incidents/42</c>) or, for links that only know it, its id.</summary>
    [Parameter]
    public string Key { get; set; } = "";

    private long Number { get; set; }

    [Inject] public required IncidentQueries Queries { get; init; }
    [Inject] public required IncidentActions Actions { get; init; }
    [Inject] public required IncidentNotifier Notifier { get; init; }
    [Inject] public required PagingQueries Paging { get; init; }
    [Inject] public required IDbContextFactory<AppDbContext> DbFactory { get; init; }
    [Inject] public required IAuthorizationService Authorization { get; init; }
    [Inject] public required TimeProvider Time { get; init; }
    [Inject] public required IDialogService Dialogs { get; init; }
    [Inject] public required ISnackbar Snackbar { get; init; }

    [CascadingParameter]
    public required Task<AuthenticationState> AuthenticationState { get; init; }

    private bool Snoozed => _detail?.Incident.IsSnoozedAt(Time.GetUtcNow().UtcDateTime) == true;

    protected override async Task OnParametersSetAsync() => await LoadAsync();

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender)
        {
            _coalescer = new RefreshCoalescer(Time, IncidentsPage.RefreshInterval, () => InvokeAsync(async () =>
            {
                if (!_disposed)
                {
                    await LoadAsync();
                    StateHasChanged();
                }
            }));
            _subscription = Notifier.Subscribe(changes =>
            {
                if (_detail is { } d && changes.Any(c => c.Id.Value == d.Incident.Id))
                {
                    _coalescer.Signal();
                }
            });
        }
    }

    private async Task LoadAsync()
    {
        var key = Key.TrimStart('#');
        var id = Guid.TryParse(key, out var guid) ? new IncidentId(guid)
            : long.TryParse(key, out var number) ? await Queries.FindByNumberAsync(number, CancellationToken.None)
            : null;
        _detail = id is null ? null : await Queries.GetDetailAsync(id.Value, CancellationToken.None);
        _notFound = _detail is null;
        if (_detail is null)
        {
            return;
        }

        _deliveries = await Queries.DeliveriesAsync(id!.Value, MaxDeliveries, CancellationToken.None);
        // Paging publishes a change (kind "paging") for the incident on every outbox move, so each refresh reads them again.
        _notifications = await Paging.ForIncidentAsync(id.Value, CancellationToken.None) ?? [];
        _links = _detail.Alerts.SelectMany(a => VendorLinks.For(a.Fields)).DistinctBy(l => l.Url).ToList();
        _crumbs = [new("Incidents", href: ""), new($"#{_detail.Incident.Number}", href: null, disabled: true)];
        Number = _detail.Incident.Number;
        if (_sourceId != _detail.Incident.SourceId)
        {
            // The source never changes for an incident: read its name once, not on every live refresh.
            await using var db = await DbFactory.CreateDbContextAsync();
            var source = await db.Sources.AsNoTracking().Where(s => s.Id == new SourceId(_detail.Incident.SourceId))
                .Select(s => new { s.Name, s.Kind }).FirstOrDefaultAsync();
            (_sourceName, _sourceKind) = (source?.Name ?? "(deleted source)", source?.Kind ?? "");
            _sourceId = _detail.Incident.SourceId;
        }
    }

    private Task AcknowledgeAsync() => ActAsync((id, actor) => Actions.AcknowledgeAsync(id, actor, CancellationToken.None), "Acknowledged.");

    private Task SnoozeAsync(TimeSpan duration) =>
        ActAsync((id, actor) => Actions.SnoozeAsync(id, actor, duration, CancellationToken.None), $"Snoozed for {Describe(duration)}.");

    private async Task SnoozeCustomAsync()
    {
        var dialog = await Dialogs.ShowAsync<DurationDialog>("Snooze for…", new DialogOptions { MaxWidth = MaxWidth.ExtraSmall, FullWidth = true });
        if (await dialog.Result is { Canceled: false, Data: TimeSpan duration })
        {
            await SnoozeAsync(duration);
        }
    }

    private Task ResolveWhenQuietAsync(int minutes) =>
        ActAsync((id, actor) => Actions.ResolveWhenQuietAsync(id, actor, minutes, CancellationToken.None),
            $"Resolves once no alert has arrived for {QuietText(minutes)}.");

    private async Task ResolveWhenQuietCustomAsync()
    {
        var parameters = new DialogParameters<DurationDialog>
        {
            { d => d.Label, "Quiet for" },
            { d => d.ActionText, "Resolve when quiet" },
            { d => d.ActionColor, Color.Success },
            { d => d.Intro, "The incident resolves once no alert has arrived for this long; every new alert restarts the wait." },
        };
        var dialog = await Dialogs.ShowAsync<DurationDialog>("Resolve when quiet for…", parameters,
            new DialogOptions { MaxWidth = MaxWidth.ExtraSmall, FullWidth = true });
        if (await dialog.Result is { Canceled: false, Data: TimeSpan duration })
        {
            await ResolveWhenQuietAsync((int)duration.TotalMinutes);
        }
    }

    private Task CancelResolveWhenQuietAsync() =>
        ActAsync((id, actor) => Actions.CancelResolveWhenQuietAsync(id, actor, CancellationToken.None), "Stopped waiting for a quiet period.");

    private async Task ResolveAsync()
    {
        var dialog = await Dialogs.ShowAsync<ResolveDialog>($"Resolve #{Number}", new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
        if (await dialog.Result is { Canceled: false, Data: string note })
        {
            await ActAsync((id, actor) => Actions.ResolveAsync(id, actor, note.Length == 0 ? null : note, CancellationToken.None), "Resolved.");
        }
    }

    private async Task ActAsync(Func<IncidentId, Actor, Task<ActionResult>> action, string done)
    {
        var user = (await AuthenticationState).User;
        if (_detail is null || !(await Authorization.AuthorizeAsync(user, Policies.Responder)).Succeeded)
        {
            Snackbar.Add("Your role cannot change incidents.", Severity.Error);
            return;
        }

        _busy = true;
        try
        {
            var result = await action(new IncidentId(_detail.Incident.Id), IncidentEndpoints.ActorOf(user));
            switch (result)
            {
                case { Status: ActionStatus.Done, Outcome: ActionOutcome.Changed }:
                    Snackbar.Add(done, Severity.Success);
                    break;
                case { Status: ActionStatus.Done }:
                    Snackbar.Add(result.Problem ?? "Nothing to change.", Severity.Info);
                    break;
                default:
                    Snackbar.Add(result.Problem ?? "The incident could not be changed.", Severity.Warning);
                    break;
            }

            await LoadAsync();
        }
        finally
        {
            _busy = false;
        }
    }

    private static string Describe(TimeSpan d) => d.TotalMinutes < 60 ? $"{d.TotalMinutes:0} minutes" : d.TotalHours == 1 ? "1 hour" : $"{d.TotalHours:0.#} hours";

    private static string Utc(DateTime at) => TimeText.Utc(at);

    private static string ErrorUrl(int code) => $"https://www.twilio.com/docs/api/errors/{code}";

    private static IReadOnlyList<KeyValuePair<string, string>> Fields(string json) => VendorLinks.ReadFields(json);

    /// <summary>"30 min", "1 h", "1 h 30 min": how the quiet period reads on the page (the timeline's own entries say it the same way).</summary>
    internal static string QuietText(int minutes) =>
        minutes < 60 ? $"{minutes} min" : minutes % 60 == 0 ? $"{minutes / 60} h" : $"{minutes / 60} h {minutes % 60} min";

    public void Dispose()
    {
        _disposed = true;
        _subscription?.Dispose();
        _coalescer?.Dispose();
    }
}
