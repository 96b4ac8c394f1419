using Microsoft.AspNetCore.Components;

namespace Itoc360.Web.Components.Pages.Incidents;

/// <summary>A click in the incident grid, with the row action button it hit (empty when it hit none).</summary>
public sealed class RowActionEventArgs : EventArgs
{
    public string Action { get; set; } = "";

    public string Id { get; set; } = "";
}
