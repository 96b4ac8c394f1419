using Itoc360.Web.Components.Controls;
using Itoc360.Web.Features.Paging;
using Itoc360.Web.Features.People;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace Itoc360.Web.Components.Pages.OnCall;

/// <summary>The on-call schedules with who is on call now and next; admins create new ones.</summary>
public sealed partial class SchedulesPage
{
    private IReadOnlyList<ScheduleDto>? _schedules;
    private bool _isAdmin;

    [Inject]
    public required OnCallSetup OnCall { get; init; }

    [Inject]
    public required PeopleDirectory People { get; init; }

    [Inject]
    public required IAuthorizationService Authorization { get; init; }

    [Inject]
    public required IDialogService Dialogs { get; init; }

    [Inject]
    public required ISnackbar Snackbar { get; init; }

    [Inject]
    public required NavigationManager Navigation { get; init; }

    [CascadingParameter]
    public required Task<AuthenticationState> AuthenticationState { get; init; }

    protected override async Task OnInitializedAsync()
    {
        _isAdmin = await AdminGate.IsAdminAsync(AuthenticationState, Authorization);
        _schedules = await OnCall.ListSchedulesAsync(CancellationToken.None);
    }

    private async Task CreateAsync()
    {
        var users = await People.ListAsync(CancellationToken.None);
        var parameters = new DialogParameters<ScheduleDialog>
        {
            { d => d.Users, users },
            { d => d.Save, SaveAsync },
        };
        var dialog = await Dialogs.ShowAsync<ScheduleDialog>("New schedule", parameters,
            new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true, CloseOnEscapeKey = true });
        if (await dialog.Result is { Canceled: false, Data: ScheduleDto created })
        {
            Navigation.NavigateTo($"schedules/{created.Id}");
        }
    }

    private async Task<(ScheduleDto?, Invalid?)> SaveAsync(ScheduleRequest request)
    {
        if (await AdminGate.ActorAsync(AuthenticationState, Authorization, Snackbar, "schedules") is not { } actor)
        {
            return (null, Invalid.One("", "Only admins can change schedules."));
        }

        var (created, invalid) = await OnCall.CreateScheduleAsync(request, actor, CancellationToken.None);
        if (created is not null)
        {
            Snackbar.Add($"Schedule '{created.Name}' created.", Severity.Success);
        }

        return (created, invalid);
    }

    private void OpenRow(TableRowClickEventArgs<ScheduleDto> row)
    {
        if (row.Item is { } item)
        {
            Navigation.NavigateTo($"schedules/{item.Id}");
        }
    }
}
