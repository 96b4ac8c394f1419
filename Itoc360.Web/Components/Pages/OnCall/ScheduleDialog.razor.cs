using Itoc360.Web.Components.Controls;
using Itoc360.Web.Features.Paging;
using Itoc360.Web.Features.People;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using MudBlazor;

namespace Itoc360.Web.Components.Pages.OnCall;

/// <summary>The form behind "New schedule" and "Edit": it collects a <see cref="ScheduleRequest"/>; the page saves it.</summary>
public sealed partial class ScheduleDialog
{
    private string _name = "";
    private string _timeZone = "UTC";
    private string _kind = "Weekly";
    private string _handoff = "09:00";
    private List<string> _userIds = [];
    private bool _busy;
    private FieldErrors _errors = FieldErrors.None;

    [CascadingParameter]
    private IMudDialogInstance MudDialog { get; set; } = default!;

    [Inject]
    public required IJSRuntime JS { get; init; }

    /// <summary>The people to pick from.</summary>
    [Parameter, EditorRequired]
    public IReadOnlyList<UserDto> Users { get; set; } = [];

    /// <summary>The schedule to edit; null for a new one.</summary>
    [Parameter]
    public ScheduleDto? Existing { get; set; }

    /// <summary>Saves (with the page's admin check); the saved schedule, or the service's validation errors.</summary>
    [Parameter, EditorRequired]
    public Func<ScheduleRequest, Task<(ScheduleDto? Saved, Invalid? Invalid)>> Save { get; set; } = default!;

    private IReadOnlyList<UserDto> Available => Users.Where(u => !_userIds.Contains(u.Id)).ToList();

    protected override void OnInitialized()
    {
        if (Existing is { } schedule)
        {
            _name = schedule.Name;
            _timeZone = schedule.TimeZone;
            _kind = schedule.Rotation.Kind ?? "Weekly";
            _handoff = schedule.Rotation.Handoff ?? "09:00";
            _userIds = [.. schedule.Rotation.UserIds ?? []];
        }
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender && Existing is null)
        {
            // A new schedule starts in the browser's time zone; UTC when the browser does not say.
            try
            {
                if (await JS.InvokeAsync<string?>("itoc360.timeZone") is { Length: > 0 } zone && _timeZone == "UTC")
                {
                    _timeZone = zone;
                    StateHasChanged();
                }
            }
            catch (JSException)
            {
                // Keep UTC.
            }
        }
    }

    private string NameOf(string userId) => Users.FirstOrDefault(u => u.Id == userId) is { } user ? Label(user) : userId;

    private static string Label(UserDto user) => string.IsNullOrWhiteSpace(user.Name) ? user.Email : $"{user.Name} ({user.Email})";

    private static bool Shown(string key) =>
        key is "name" or "timeZone" or "rotation.kind" or "rotation.handoff" or "rotation.userIds" || key.StartsWith("rotation.userIds[", StringComparison.Ordinal);

    private void AddUser(string? userId)
    {
        if (userId is not null && !_userIds.Contains(userId))
        {
            _userIds.Add(userId);
        }
    }

    private void Move(int index, int by)
    {
        var target = index + by;
        if (target < 0 || target >= _userIds.Count)
        {
            return;
        }

        (_userIds[index], _userIds[target]) = (_userIds[target], _userIds[index]);
    }

    private void Cancel() => MudDialog.Cancel();

    private async Task SaveAsync()
    {
        _busy = true;
        try
        {
            var request = new ScheduleRequest(_name.Trim(), _timeZone.Trim(), new RotationDto(_kind, _handoff.Trim(), _userIds.ToArray()));
            var (saved, invalid) = await Save(request);
            if (saved is not null)
            {
                MudDialog.Close(DialogResult.Ok(saved));
                return;
            }

            _errors = new FieldErrors(invalid?.Errors ?? new Dictionary<string, string[]> { [""] = ["The schedule no longer exists."] });
        }
        finally
        {
            _busy = false;
        }
    }
}
