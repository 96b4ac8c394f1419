using Itoc360.Domain;
using Itoc360.Domain.Incidents;
using Itoc360.Web.Components.Controls;
using Itoc360.Web.Data;
using Itoc360.Web.Features.Auth;
using Itoc360.Web.Features.Incidents;
using Itoc360.Web.Realtime;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
using Microsoft.JSInterop;
using MudBlazor;

namespace Itoc360.Web.Components.Pages.Incidents;

/// <summary>
/// The incident list: server-paged, sorted and filtered; live. Changes arrive from the in-process
/// notifier after commit and are coalesced into at most one grid refresh per 100 ms.
/// </summary>
public sealed partial class IncidentsPage
{
    internal static readonly TimeSpan RefreshInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// The spacing of refreshes while changes keep coming (a storm on a source this view shows): twice a second still
    /// reads as live, and every open console re-queries, re-sends and its browser re-draws a page of rows on each
    /// (bench/live: at 250 ms two such consoles put the p95 of another console over 250 ms in two runs of three).
    /// </summary>
    internal static readonly TimeSpan StormRefreshInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>How often the bulk bar reads its job's progress row.</summary>
    internal static readonly TimeSpan BulkPollInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>The status views: "Open" (triggered or acknowledged, the default) and each status, or everything.</summary>
    private static readonly StatusView[] StatusOptions =
    [
        new("Open", null, true), new("Triggered", IncidentStatus.Triggered, false), new("Acknowledged", IncidentStatus.Acknowledged, false),
        new("Resolved", IncidentStatus.Resolved, false), new("All", null, false),
    ];

    private IncidentTable? _table;
    private StatusFilter? _statusFilter;
    private IDisposable? _subscription;
    private RefreshCoalescer? _coalescer;
    private IReadOnlyDictionary<IncidentStatus, int> _counts = new Dictionary<IncidentStatus, int>();
    private Dictionary<Guid, string> _sources = [];
    private readonly HashSet<Guid> _selected = [];
    private StatusView _view = StatusOptions[0];
    private Priority? _priority;
    // The source filter, boxed so that the notifier's thread reads it whole (a Guid? can tear); null: every source.
    private volatile object? _sourceFilter;
    private string? _text;
    private bool _canAct;
    private bool _busy;
    private bool _sound;
    private bool _notify;
    private bool _disposed;
    private BulkJobStatus? _bulk;
    private CancellationTokenSource? _bulkPolling;

    [Inject] public required IncidentQueries Queries { get; init; }
    [Inject] public required IncidentActions Actions { get; init; }
    [Inject] public required BulkActions Bulk { get; init; }
    [Inject] public required ILogger<IncidentsPage> Logger { get; init; }
    [Inject] public required IncidentNotifier Notifier { get; init; }
    [Inject] public required IDbContextFactory<AppDbContext> DbFactory { get; init; }
    [Inject] public required IAuthorizationService Authorization { get; init; }
    [Inject] public required TimeProvider Time { get; init; }
    [Inject] public required IJSRuntime JS { get; init; }
    [Inject] public required ISnackbar Snackbar { get; init; }

    [CascadingParameter]
    public required Task<AuthenticationState> AuthenticationState { get; init; }

    /// <summary>How many grid refreshes live changes caused (tests and diagnostics).</summary>
    internal int LiveRefreshes => _coalescer?.Refreshes ?? 0;

    protected override async Task OnInitializedAsync()
    {
        var user = (await AuthenticationState).User;
        _canAct = (await Authorization.AuthorizeAsync(user, Policies.Responder)).Succeeded;
        await using var db = await DbFactory.CreateDbContextAsync();
        _sources = await db.Sources.AsNoTracking().ToDictionaryAsync(s => s.Id.Value, s => s.Name);
        await LoadCountsAsync(CancellationToken.None);
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender)
        {
            return;
        }

        // Subscribe only once the page is live in a browser (not while prerendering).
        _coalescer = new RefreshCoalescer(Time, RefreshInterval, () => InvokeAsync(RefreshAsync), StormRefreshInterval);
        _subscription = Notifier.Subscribe(OnChanges);
        try
        {
            _sound = await JS.InvokeAsync<string?>("itoc360.getPreference", "sound") == "on";
            _notify = await JS.InvokeAsync<string?>("itoc360.getPreference", "notify") == "on";
            StateHasChanged();
        }
        catch (JSException)
        {
            // No preferences: both stay off.
        }
    }

    private void OnChanges(IReadOnlyList<IncidentChanged> changes)
    {
        // A view of one source (grid and counts) cannot change with another source's incidents, and an incident never
        // changes source: under a busy source's storm a console watching another one does no refresh work at all.
        if (_sourceFilter is not Guid only || changes.Any(c => c.Source.Value == only))
        {
            _coalescer?.Signal();
        }

        // A new Critical incident is announced whatever the view shows.
        if ((_sound || _notify) && changes.FirstOrDefault(c => c.Kind == TimelineKinds.Opened && c.Priority == Priority.Critical) is { } critical)
        {
            _ = InvokeAsync(() => AnnounceAsync(critical));
        }
    }

    private async Task AnnounceAsync(IncidentChanged critical)
    {
        try
        {
            await JS.InvokeVoidAsync("itoc360.announce", $"Critical incident #{critical.Number}", "A new Critical incident opened.", _sound);
        }
        catch (Exception ex) when (ex is JSException or JSDisconnectedException or TaskCanceledException)
        {
            // The browser went away; nothing to announce to.
        }
    }

    private async Task RefreshAsync()
    {
        if (_disposed || _table is null)
        {
            return;
        }

        await LoadCountsAsync(CancellationToken.None);
        // The grid re-renders itself once its data is in; of the rest of the page only the counts change. Re-rendering
        // the whole page here would render the filters and the grid a second time per refresh.
        var selected = _selected.Count;
        await _table.ReloadAsync();
        if (_selected.Count != selected)
        {
            StateHasChanged(); // Selected rows left the page: the selection bar changes too.
        }
        else
        {
            _statusFilter?.Refresh();
        }
    }

    private async Task<(IReadOnlyList<IncidentItem> Items, int Total)> LoadAsync(IncidentPageRequest request)
    {
        // The counts per status were just read with the same filters (before every refresh and filter change): the
        // view's total is one of them, which saves a query per refresh. A text search counts its own matches.
        int? known = string.IsNullOrWhiteSpace(_text) ? Count(_view) : null;
        var (items, total) = await Queries.ListAsync(Filter(request.Page, request.PageSize, request.Sort, request.Descending), CancellationToken.None, known);
        // Keep only selections that are still on screen and still actionable.
        _selected.IntersectWith(items.Where(i => i.Status != IncidentStatus.Resolved).Select(i => i.Id));
        return (items, total);
    }

    private IncidentFilter Filter(int page, int pageSize, IncidentSort sort = IncidentSort.Created, bool descending = true) =>
        new(_view.Status, _priority, _sourceFilter is Guid s ? new SourceId(s) : null, _text, page, pageSize, sort, descending, _view.Open);

    private async Task LoadCountsAsync(CancellationToken ct) => _counts = await Queries.CountByStatusAsync(Filter(1, 1), ct);

    private int Count(StatusView view) => view.Status is { } s ? _counts.GetValueOrDefault(s)
        : view.Open ? _counts.GetValueOrDefault(IncidentStatus.Triggered) + _counts.GetValueOrDefault(IncidentStatus.Acknowledged)
        : _counts.Values.Sum();

    private Task SetViewAsync(StatusView view)
    {
        _view = view;
        return ReloadAsync();
    }

    private Task SetPriorityAsync(Priority? priority)
    {
        _priority = priority;
        return ReloadAsync();
    }

    private Task SetSourceAsync(Guid? source)
    {
        _sourceFilter = source;
        return ReloadAsync();
    }

    private Task SetTextAsync(string? text)
    {
        _text = text;
        return ReloadAsync();
    }

    private async Task SetSoundAsync(bool on)
    {
        _sound = on;
        await JS.InvokeVoidAsync("itoc360.setPreference", "sound", on ? "on" : "off");
    }

    private async Task SetNotifyAsync(bool on)
    {
        if (on && await JS.InvokeAsync<string>("itoc360.enableNotifications") != "granted")
        {
            Snackbar.Add("The browser did not allow notifications for this site.", Severity.Warning);
            on = false;
        }

        _notify = on;
        await JS.InvokeVoidAsync("itoc360.setPreference", "notify", on ? "on" : "off");
    }

    private async Task ReloadAsync()
    {
        _selected.Clear();
        await LoadCountsAsync(CancellationToken.None);
        if (_table is not null)
        {
            await _table.FirstPageAsync();
        }
    }

    private void Toggle(Guid id, bool on)
    {
        DismissBulk();
        if (on)
        {
            _selected.Add(id);
        }
        else
        {
            _selected.Remove(id);
        }
    }

    private Task AcknowledgeAsync(IncidentItem item) =>
        ActAsync([item.Id], (id, actor) => Actions.AcknowledgeAsync(id, actor, CancellationToken.None), "acknowledged");

    private Task ResolveAsync(IncidentItem item) =>
        ActAsync([item.Id], (id, actor) => Actions.ResolveAsync(id, actor, null, CancellationToken.None), "resolved");

    private Task AcknowledgeSelectedAsync() => SubmitBulkAsync(BulkActions.Acknowledge);

    private Task ResolveSelectedAsync() => SubmitBulkAsync(BulkActions.Resolve);

    /// <summary>
    /// Hands the selection to a background job and follows its progress row until it finishes. The rows
    /// change through the notifier as the job goes, like anyone else's changes.
    /// </summary>
    private async Task SubmitBulkAsync(string action)
    {
        var user = (await AuthenticationState).User;
        if (!(await Authorization.AuthorizeAsync(user, Policies.Responder)).Succeeded)
        {
            Snackbar.Add("Your role cannot change incidents.", Severity.Error);
            return;
        }

        if (_bulk is { IsFinished: false } || _selected.Count == 0)
        {
            return;
        }

        _busy = true;
        try
        {
            var ids = _selected.ToArray();
            var jobId = await Bulk.SubmitAsync(action, ids, null, IncidentEndpoints.ActorOf(user), CancellationToken.None);
            _bulk = await Bulk.GetAsync(jobId, CancellationToken.None);
            _bulkPolling?.Dispose();
            _bulkPolling = new CancellationTokenSource();
            // Polls on its own; every update comes back through InvokeAsync. Disposing the page cancels it.
            _ = FollowBulkAsync(jobId, _bulkPolling.Token);
        }
        catch (Exception ex) when (ex is DbUpdateException or System.Data.Common.DbException or TimeoutException)
        {
            // A failed submission leaves the selection as it was, to try again; the circuit stays up.
            Logger.LogWarning(ex, "Could not submit a bulk {Action} of {Count} incidents.", action, _selected.Count);
            Snackbar.Add("The bulk action could not be started; try again.", Severity.Error);
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task FollowBulkAsync(Guid jobId, CancellationToken ct)
    {
        try
        {
            using var timer = new PeriodicTimer(BulkPollInterval, Time);
            var finished = false;
            while (!finished && await timer.WaitForNextTickAsync(ct))
            {
                var status = await Bulk.GetAsync(jobId, ct);
                finished = status is null or { IsFinished: true };
                await InvokeAsync(() => ShowBulk(status));
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The page went away; the job goes on without it.
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await InvokeAsync(() =>
            {
                Snackbar.Add("Lost track of the bulk job; the grid still shows what it changed.", Severity.Warning);
                ShowBulk(null, quiet: true);
            });
        }
    }

    /// <summary>Shows the job's progress; once it is finished (or gone), the summary, and clears the selection.</summary>
    private void ShowBulk(BulkJobStatus? status, bool quiet = false)
    {
        if (_disposed)
        {
            return;
        }

        // A finished job stays on the bar (100 %, its summary) until dismissed or a new selection starts.
        _bulk = status;
        if (status is not { IsFinished: false })
        {
            if (status is not null)
            {
                Snackbar.Add(BulkSummary(status), status.State == JobStates.Failed ? Severity.Error : status.Changed > 0 ? Severity.Success : Severity.Info);
            }
            else if (!quiet)
            {
                Snackbar.Add("The bulk job disappeared before it finished.", Severity.Error);
            }

            _selected.Clear();
        }

        StateHasChanged();
    }

    /// <summary>Hides the bar of a finished bulk job; one still running stays.</summary>
    private void DismissBulk()
    {
        if (_bulk is { IsFinished: true })
        {
            _bulk = null;
        }
    }

    /// <summary>"Resolved 38 incidents; 2 were already resolved", and what could not be done.</summary>
    internal static string BulkSummary(BulkJobStatus status)
    {
        var resolve = status.Action == BulkActions.Resolve;
        var done = resolve ? "Resolved" : "Acknowledged";
        var parts = new List<string> { status.Changed == 0 ? $"{done} none of {Incidents(status.Total)}" : $"{done} {Incidents(status.Changed)}" };
        if (status.Unchanged > 0)
        {
            parts.Add($"{status.Unchanged} {(status.Unchanged == 1 ? "was" : "were")} already {(resolve ? "resolved" : "acknowledged")}");
        }

        if (status.Failed > 0)
        {
            parts.Add($"{status.Failed} could not be {(resolve ? "resolved" : "acknowledged")}");
        }

        if (status.State == JobStates.Failed)
        {
            parts.Add($"the job stopped after {status.Processed} of {status.Total}: {(status.Error ?? "see the server log").TrimEnd('.')}");
        }

        return string.Join("; ", parts) + ".";

        static string Incidents(int n) => n == 1 ? "1 incident" : $"{n} incidents";
    }

    /// <summary>Runs an action as the signed-in person, checking the role on the server again.</summary>
    private async Task ActAsync(IReadOnlyList<Guid> ids, Func<IncidentId, Actor, Task<ActionResult>> action, string done)
    {
        var user = (await AuthenticationState).User;
        if (!(await Authorization.AuthorizeAsync(user, Policies.Responder)).Succeeded)
        {
            Snackbar.Add("Your role cannot change incidents.", Severity.Error);
            return;
        }

        _busy = true;
        try
        {
            var actor = IncidentEndpoints.ActorOf(user);
            var changed = 0;
            foreach (var id in ids)
            {
                var result = await action(new IncidentId(id), actor);
                if (result is { Status: ActionStatus.Done, Outcome: ActionOutcome.Changed })
                {
                    changed++;
                }
            }

            Snackbar.Add(ids.Count == 1
                ? changed == 1 ? $"Incident {done}." : "Nothing changed (someone else may have acted first)."
                : $"{changed} of {ids.Count} incidents {done}.", changed > 0 ? Severity.Success : Severity.Info);
            _selected.Clear();
        }
        finally
        {
            _busy = false;
        }

        // The notifier refreshes the grid for everyone, this page included.
    }


    public void Dispose()
    {
        _disposed = true;
        _subscription?.Dispose();
        _coalescer?.Dispose();
        _bulkPolling?.Cancel();
        _bulkPolling?.Dispose();
    }
}

/// <summary>A status view of the incident list: "Open" (triggered or acknowledged), one status, or everything.</summary>
public sealed record StatusView(string Label, IncidentStatus? Status, bool Open);
