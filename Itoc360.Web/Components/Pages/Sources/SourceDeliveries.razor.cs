using Itoc360.Domain;
using Itoc360.Web.Data;
using Itoc360.Web.Features.Auth;
using Itoc360.Web.Features.Sources;
using Itoc360.Web.Features.Webhooks;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace Itoc360.Web.Components.Pages.Sources;

public sealed partial class SourceDeliveries
{
    private const string AllOutcomes = "";

    private static readonly string[] Outcomes =
        [DeliveryOutcomes.Accepted, DeliveryOutcomes.Duplicate, DeliveryOutcomes.Ignored, DeliveryOutcomes.Rejected];

    private readonly Dictionary<Guid, Delivery?> _open = [];
    private MudTable<DeliveryRow>? _table;
    private string _outcome = AllOutcomes;
    private Guid? _replaying;

    [Parameter, EditorRequired]
    public Guid SourceId { get; set; }

    /// <summary>Whether to show Replay buttons (Responder and up); the server checks again on click.</summary>
    [Parameter]
    public bool CanReplay { get; set; }

    /// <summary>Raised after a replay, so that the page can refresh what depends on deliveries.</summary>
    [Parameter]
    public EventCallback Replayed { get; set; }

    [Inject]
    public required SourceQueries Queries { get; init; }

    [Inject]
    public required AlertIngestion Ingestion { get; init; }

    [Inject]
    public required IAuthorizationService Authorization { get; init; }

    [Inject]
    public required ISnackbar Snackbar { get; init; }

    [CascadingParameter]
    public required Task<AuthenticationState> AuthenticationState { get; init; }

    public Task ReloadAsync() => _table?.ReloadServerData() ?? Task.CompletedTask;

    private async Task<TableData<DeliveryRow>> LoadAsync(TableState state, CancellationToken ct)
    {
        var page = await Queries.DeliveriesAsync(new SourceId(SourceId), _outcome, state.Page, state.PageSize, ct);
        return new TableData<DeliveryRow> { Items = page.Items, TotalItems = page.Total };
    }

    private async Task FilterAsync(string outcome)
    {
        _outcome = outcome;
        _open.Clear();
        await ReloadAsync();
    }

    private async Task ToggleAsync(DeliveryRow row)
    {
        if (!_open.Remove(row.Id))
        {
            _open[row.Id] = await Queries.GetDeliveryAsync(new SourceId(SourceId), new DeliveryId(row.Id), CancellationToken.None);
        }
    }

    private async Task ReplayAsync(DeliveryRow row)
    {
        var user = (await AuthenticationState).User;
        if (!(await Authorization.AuthorizeAsync(user, Policies.Responder)).Succeeded)
        {
            Snackbar.Add("Only responders and admins can replay deliveries.", Severity.Error);
            return;
        }

        _replaying = row.Id;
        try
        {
            var outcome = await Ingestion.ReplayAsync(new DeliveryId(row.Id), CancellationToken.None);
            if (outcome.Succeeded)
            {
                Snackbar.Add($"Replayed: {outcome.Outcome}{(outcome.IncidentId is null ? "" : " (incident linked)")}.", Severity.Success);
            }
            else
            {
                Snackbar.Add($"Replay refused ({outcome.StatusCode}): {outcome.Problem}", Severity.Warning);
            }
        }
        finally
        {
            _replaying = null;
        }

        await ReloadAsync();
        await Replayed.InvokeAsync();
    }

    private static Color OutcomeColor(string outcome) => outcome switch
    {
        DeliveryOutcomes.Accepted => Color.Success,
        DeliveryOutcomes.Duplicate => Color.Info,
        DeliveryOutcomes.Rejected => Color.Error,
        _ => Color.Default,
    };
}
