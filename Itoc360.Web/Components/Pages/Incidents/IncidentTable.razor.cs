using Itoc360.Domain.Incidents;
using Itoc360.Web.Features.Incidents;
using Microsoft.AspNetCore.Components;

namespace Itoc360.Web.Components.Pages.Incidents;

/// <summary>What the grid asks its page for: one page of incidents in an order (the page adds its filters).</summary>
public readonly record struct IncidentPageRequest(int Page, int PageSize, IncidentSort Sort, bool Descending);

public sealed partial class IncidentTable
{
    internal static readonly int[] PageSizes = [10, 25, 50, 100];

    private IReadOnlyList<IncidentItem> _items = [];
    private int _total;
    private int _page;
    private IncidentSort _sort = IncidentSort.Created;
    private bool _descending = true;
    private bool _loading = true;
    private int _loads;
    // The "rowaction" handler (the custom event of Itoc360.Web.lib.module.js), attached as an attribute: Razor does not
    // pick up an [EventHandler] declared in the project that uses it.
    private readonly Dictionary<string, object> _tableEvents;
    private Dictionary<IncidentItem, MarkupString>? _markupByItem;
    private IReadOnlyDictionary<Guid, string>? _markupSources;
    private long _markupMinute;
    private bool _markupBusy;

    /// <summary>Loads a page of incidents with the page's filters.</summary>
    [Parameter, EditorRequired]
    public required Func<IncidentPageRequest, Task<(IReadOnlyList<IncidentItem> Items, int Total)>> Load { get; set; }

    [Parameter, EditorRequired]
    public required IReadOnlyDictionary<Guid, string> Sources { get; set; }

    /// <summary>Shows the selection checkboxes and the row actions (Responder and Admin).</summary>
    [Parameter]
    public bool CanAct { get; set; }

    [Parameter]
    public bool Busy { get; set; }

    /// <summary>The selected incidents (the page's set, read at each render).</summary>
    [Parameter]
    public IReadOnlySet<Guid> Selected { get; set; } = new HashSet<Guid>();

    [Parameter]
    public EventCallback<(Guid Id, bool On)> SelectionChanged { get; set; }

    [Parameter]
    public EventCallback<IncidentItem> Acknowledge { get; set; }

    [Parameter]
    public EventCallback<IncidentItem> Resolve { get; set; }

    public IncidentTable() =>
        _tableEvents = new() { ["onrowaction"] = EventCallback.Factory.Create<RowActionEventArgs>(this, OnRowActionAsync) };

    public int PageSize { get; private set; } = 25;

    /// <summary>The incidents on screen.</summary>
    internal IReadOnlyList<IncidentItem> Items => _items;

    private int LastPage => Math.Max(0, (_total - 1) / PageSize);

    protected override Task OnInitializedAsync() => ReloadAsync(render: false);

    /// <summary>Loads the current page again (a live refresh) and re-renders the grid alone.</summary>
    public Task ReloadAsync() => ReloadAsync(render: true);

    /// <summary>Back to the first page and load (the filters changed).</summary>
    public Task FirstPageAsync()
    {
        _page = 0;
        return ReloadAsync(render: true);
    }

    private async Task ReloadAsync(bool render)
    {
        // Only the latest load shows: a slower earlier one (another filter, another page) is dropped.
        var load = ++_loads;
        var request = new IncidentPageRequest(_page + 1, PageSize, _sort, _descending);
        var (items, total) = await Load(request);
        if (load != _loads)
        {
            return;
        }

        _items = items;
        _total = total;
        _loading = false;
        if (_page > 0 && _page > LastPage)
        {
            // The page emptied under us (incidents resolved away): show the last one that has rows.
            _page = LastPage;
            await ReloadAsync(render);
            return;
        }

        if (render)
        {
            StateHasChanged();
        }
    }

    private Task SortByAsync(IncidentSort sort)
    {
        if (_sort == sort)
        {
            _descending = !_descending;
        }
        else
        {
            // Newest, highest and first-opened columns start from the top; names and levels from A / Critical.
            _sort = sort;
            _descending = sort is IncidentSort.Number or IncidentSort.LastAlert or IncidentSort.Created;
        }

        _page = 0;
        return ReloadAsync(render: false);
    }

    private Task GoToAsync(int page)
    {
        page = Math.Clamp(page, 0, LastPage);
        if (page == _page)
        {
            return Task.CompletedTask;
        }

        _page = page;
        return ReloadAsync(render: false);
    }

    private Task SetPageSizeAsync(ChangeEventArgs e)
    {
        if (!int.TryParse(e.Value as string, out var size) || !PageSizes.Contains(size) || size == PageSize)
        {
            return Task.CompletedTask;
        }

        // Keep the first row on screen in view.
        var first = _page * PageSize;
        PageSize = size;
        _page = first / size;
        return ReloadAsync(render: false);
    }

    private string RangeText() => _total == 0 ? "0-0 of 0" : $"{_page * PageSize + 1}-{Math.Min(_total, (_page + 1) * PageSize)} of {_total}";

    private string? AriaSort(IncidentSort sort) => _sort == sort ? (_descending ? "descending" : "ascending") : null;

    private string? DirectionClass(IncidentSort sort) => _sort == sort ? (_descending ? "mud-direction-desc" : "mud-direction-asc") : null;

    private string SourceName(Guid id) => Sources.TryGetValue(id, out var name) ? name : "—";

    /// <summary>
    /// The rows' markup after the checkbox, each built again only when its incident, the busy state or the minute
    /// ("5 min ago") changed: a render that changes nothing in a row holds the same string as the one before instead
    /// of a second copy.
    /// </summary>
    private MarkupString[] RowMarkup()
    {
        var now = Time.GetUtcNow().UtcDateTime;
        var minute = now.Ticks / TimeSpan.TicksPerMinute;
        var stale = _markupMinute != minute || !ReferenceEquals(_markupSources, Sources) || _markupBusy != Busy;
        var built = new MarkupString[_items.Count];
        var previous = _markupByItem;
        _markupByItem = new Dictionary<IncidentItem, MarkupString>(_items.Count, ReferenceEqualityComparer.Instance);
        for (var i = 0; i < _items.Count; i++)
        {
            var item = _items[i];
            built[i] = !stale && previous is not null && previous.TryGetValue(item, out var kept)
                ? kept
                : new MarkupString(IncidentRowMarkup.Row(item, SourceName(item.SourceId), now, CanAct, Busy));
            _markupByItem[item] = built[i];
        }

        _markupMinute = minute;
        _markupSources = Sources;
        _markupBusy = Busy;
        return built;
    }

    private Task OnRowActionAsync(RowActionEventArgs e) => e.Action.Length == 0 ? Task.CompletedTask : Act(e.Action, e.Id);

    /// <summary>A row action button was clicked: acknowledge or resolve an incident on screen.</summary>
    internal Task Act(string action, string id)
    {
        // Only incidents this grid shows; the page checks the person's role again before changing anything.
        if (!CanAct || Busy || !Guid.TryParse(id, out var incidentId) || _items.FirstOrDefault(i => i.Id == incidentId) is not { } item)
        {
            return Task.CompletedTask;
        }

        return action switch
        {
            IncidentRowMarkup.AcknowledgeAction when item.Status == IncidentStatus.Triggered => Acknowledge.InvokeAsync(item),
            IncidentRowMarkup.ResolveAction when item.Status != IncidentStatus.Resolved => Resolve.InvokeAsync(item),
            _ => Task.CompletedTask,
        };
    }
}
