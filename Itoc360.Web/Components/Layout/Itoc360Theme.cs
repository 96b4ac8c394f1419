using Itoc360.Domain.Incidents;
using MudBlazor;

namespace Itoc360.Web.Components.Layout;

/// <summary>The console's theme and the one place that decides the colour of a priority or a status.</summary>
public static class Itoc360Theme
{
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#1f5fbf",
            AppbarBackground = "#16325c",
            Error = "#c62828",
            Warning = "#ef6c00",
            Info = "#1976d2",
            Success = "#2e7d32",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#6ea8ff",
            AppbarBackground = "#111a2b",
            Error = "#ef5350",
            Warning = "#ffa726",
            Info = "#42a5f5",
            Success = "#66bb6a",
        },
    };

    public static Color PriorityColor(Priority priority) => priority switch
    {
        Priority.Critical => Color.Error,
        Priority.High => Color.Warning,
        Priority.Medium => Color.Info,
        _ => Color.Default,
    };

    public static Color StatusColor(IncidentStatus status, bool snoozed = false) => snoozed
        ? Color.Secondary
        : status switch
        {
            IncidentStatus.Triggered => Color.Error,
            IncidentStatus.Acknowledged => Color.Warning,
            IncidentStatus.Resolved => Color.Success,
            _ => Color.Default,
        };
}
