using Itoc360.Web.Components.Controls;
using Itoc360.Web.Components.Dialogs;
using Itoc360.Web.Features.Auth;
using Itoc360.Web.Features.Sources;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace Itoc360.Web.Components.Pages.Sources;

public sealed partial class SourcesPage
{
    private IReadOnlyList<SourceSummary>? _sources;
    private bool _isAdmin;

    [Inject]
    public required SourceQueries Queries { get; init; }

    [Inject]
    public required IAuthorizationService Authorization { get; init; }

    [Inject]
    public required IDialogService Dialogs { get; init; }

    [Inject]
    public required NavigationManager Navigation { get; init; }

    [Inject]
    public required TimeProvider Time { get; init; }

    [CascadingParameter]
    public required Task<AuthenticationState> AuthenticationState { get; init; }

    protected override async Task OnInitializedAsync()
    {
        var user = (await AuthenticationState).User;
        _isAdmin = (await Authorization.AuthorizeAsync(user, Policies.Admin)).Succeeded;
        _sources = await Queries.ListAsync(CancellationToken.None);
    }

    private async Task CreateAsync()
    {
        var dialog = await Dialogs.ShowAsync<CreateSourceDialog>("New source",
            new DialogOptions { MaxWidth = MaxWidth.Medium, FullWidth = true, CloseOnEscapeKey = true });
        var result = await dialog.Result;
        if (result is { Canceled: false, Data: Guid id })
        {
            Navigation.NavigateTo($"sources/{id}");
        }
    }

    private void OpenRow(TableRowClickEventArgs<SourceSummary> row)
    {
        if (row.Item is { } item)
        {
            Navigation.NavigateTo($"sources/{item.Id}");
        }
    }

    private string Ago(DateTime at) => TimeText.Ago(at, Time.GetUtcNow().UtcDateTime);
}
