using Itoc360.Web.Components.Controls;
using Itoc360.Web.Features.Paging;
using Itoc360.Web.Features.People;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Itoc360.Web.Components.Pages.OnCall;

/// <summary>Collects an <see cref="OverrideRequest"/> (UTC date and time pickers); the page saves it.</summary>
public sealed partial class OverrideDialog
{
    private string? _userId;
    private DateTime? _startDate;
    private TimeSpan? _startTime;
    private DateTime? _endDate;
    private TimeSpan? _endTime;
    private bool _busy;
    private FieldErrors _errors = FieldErrors.None;

    [CascadingParameter]
    private IMudDialogInstance MudDialog { get; set; } = default!;

    [Parameter, EditorRequired]
    public IReadOnlyList<UserDto> Users { get; set; } = [];

    [Parameter]
    public DateTime NowUtc { get; set; }

    /// <summary>Saves (with the page's admin check); null when saved, otherwise the service's errors.</summary>
    [Parameter, EditorRequired]
    public Func<OverrideRequest, Task<Invalid?>> Save { get; set; } = default!;

    protected override void OnInitialized()
    {
        // The next full hour, for a day: the common "I take tonight" case needs only the user.
        var start = new DateTime(NowUtc.Year, NowUtc.Month, NowUtc.Day, NowUtc.Hour, 0, 0, DateTimeKind.Utc).AddHours(1);
        var end = start.AddDays(1);
        (_startDate, _startTime) = (start.Date, start.TimeOfDay);
        (_endDate, _endTime) = (end.Date, end.TimeOfDay);
    }

    private static DateTime? Utc(DateTime? date, TimeSpan? time) =>
        date is { } d ? DateTime.SpecifyKind(d.Date + (time ?? TimeSpan.Zero), DateTimeKind.Utc) : null;

    private async Task SaveAsync()
    {
        _busy = true;
        try
        {
            var invalid = await Save(new OverrideRequest(_userId, Utc(_startDate, _startTime), Utc(_endDate, _endTime)));
            if (invalid is null)
            {
                MudDialog.Close(DialogResult.Ok(true));
                return;
            }

            _errors = new FieldErrors(invalid.Errors);
        }
        finally
        {
            _busy = false;
        }
    }
}
