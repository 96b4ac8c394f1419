using System.Globalization;
using Itoc360.Web.Components.Controls;
using Itoc360.Web.Features.Paging;
using Itoc360.Web.Features.People;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace Itoc360.Web.Components.Pages.OnCall;

/// <summary>One schedule: who is on call now and next, the coming shifts, overrides; admins edit, delete and add overrides.</summary>
public sealed partial class SchedulePage
{
    /// <summary>How far ahead the shift list looks.</summary>
    public const int Days = 14;

    private ScheduleDto? _schedule;
    private IReadOnlyList<ShiftDto> _shifts = [];
    private DateTime _from;
    private bool _notFound;
    private bool _isAdmin;
    private List<BreadcrumbItem> _crumbs = [new("On-call schedules", "schedules")];

    [Parameter]
    public Guid Id { get; set; }

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

    [Inject]
    public required TimeProvider Time { get; init; }

    [CascadingParameter]
    public required Task<AuthenticationState> AuthenticationState { get; init; }

    private string PeopleText => _schedule!.Rotation.UserIds is { Count: > 0 } ids
        ? $"{ids.Count} {(ids.Count == 1 ? "person" : "people")} in the rotation"
        : "nobody in the rotation";

    protected override async Task OnParametersSetAsync()
    {
        _isAdmin = await AdminGate.IsAdminAsync(AuthenticationState, Authorization);
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        _schedule = await OnCall.GetScheduleAsync(Id, CancellationToken.None);
        _notFound = _schedule is null;
        if (_schedule is null)
        {
            return;
        }

        _crumbs = [new("On-call schedules", "schedules"), new(_schedule.Name, null, disabled: true)];
        _from = Time.GetUtcNow().UtcDateTime;
        _shifts = await OnCall.ShiftsAsync(Id, _from, _from.AddDays(Days), CancellationToken.None) ?? [];
    }

    /// <summary>"Mon 11-23 09:00" in UTC: the day matters for shifts that end on another day.</summary>
    private static string Short(DateTime utc) => utc.ToString("ddd MM-dd HH:mm", CultureInfo.InvariantCulture);

    private Task<string?> ActorAsync() => AdminGate.ActorAsync(AuthenticationState, Authorization, Snackbar, "schedules");

    private async Task EditAsync()
    {
        var users = await People.ListAsync(CancellationToken.None);
        var parameters = new DialogParameters<ScheduleDialog>
        {
            { d => d.Users, users },
            { d => d.Existing, _schedule },
            { d => d.Save, SaveAsync },
        };
        var dialog = await Dialogs.ShowAsync<ScheduleDialog>("Edit schedule", parameters,
            new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true, CloseOnEscapeKey = true });
        if (await dialog.Result is { Canceled: false })
        {
            await LoadAsync();
        }
    }

    private async Task<(ScheduleDto?, Invalid?)> SaveAsync(ScheduleRequest request)
    {
        if (await ActorAsync() is not { } actor)
        {
            return (null, Invalid.One("", "Only admins can change schedules."));
        }

        var (saved, invalid) = await OnCall.UpdateScheduleAsync(Id, request, actor, CancellationToken.None);
        if (saved is not null)
        {
            Snackbar.Add("Schedule saved.", Severity.Success);
        }

        return (saved, invalid);
    }

    private async Task DeleteAsync()
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync("Delete schedule?",
            $"'{_schedule!.Name}' and its overrides are deleted. Escalation policy steps that page its on-call person will reach nobody through it.",
            yesText: "Delete", cancelText: "Cancel");
        if (confirmed != true || await ActorAsync() is not { } actor)
        {
            return;
        }

        if (await OnCall.DeleteScheduleAsync(Id, actor, CancellationToken.None))
        {
            Snackbar.Add($"Schedule '{_schedule.Name}' deleted.", Severity.Success);
        }

        Navigation.NavigateTo("schedules");
    }

    private async Task AddOverrideAsync()
    {
        var users = await People.ListAsync(CancellationToken.None);
        var parameters = new DialogParameters<OverrideDialog>
        {
            { d => d.Users, users },
            { d => d.NowUtc, Time.GetUtcNow().UtcDateTime },
            { d => d.Save, SaveOverrideAsync },
        };
        var dialog = await Dialogs.ShowAsync<OverrideDialog>("Add override", parameters,
            new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true, CloseOnEscapeKey = true });
        if (await dialog.Result is { Canceled: false })
        {
            await LoadAsync();
        }
    }

    private async Task<Invalid?> SaveOverrideAsync(OverrideRequest request)
    {
        if (await ActorAsync() is not { } actor)
        {
            return Invalid.One("", "Only admins can change schedules.");
        }

        var (saved, invalid) = await OnCall.AddOverrideAsync(Id, request, actor, CancellationToken.None);
        if (saved is null)
        {
            return invalid ?? Invalid.One("", "The schedule no longer exists.");
        }

        Snackbar.Add("Override added.", Severity.Success);
        return null;
    }

    private async Task RemoveOverrideAsync(OverrideDto entry)
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync("Remove override?",
            $"{entry.UserName} no longer covers {TimeText.Utc(entry.Start)} to {TimeText.Utc(entry.End)}; the rotation applies again.",
            yesText: "Remove", cancelText: "Cancel");
        if (confirmed != true || await ActorAsync() is not { } actor)
        {
            return;
        }

        if (!await OnCall.RemoveOverrideAsync(Id, entry.Id, actor, CancellationToken.None))
        {
            Snackbar.Add("That override was already removed.", Severity.Info);
        }

        await LoadAsync();
    }
}
