using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Itoc360.Domain.Incidents;
using Itoc360.Web.Components.Controls;
using Itoc360.Web.Features.Incidents;
using Microsoft.AspNetCore.Components;

namespace Itoc360.Web.Components.Pages.Incidents;

/// <summary>
/// The cells of an incident row that have no controls, as HTML (one render frame per run of cells instead of a few
/// per element and attribute). Everything from the incident is HTML-encoded; the rest is fixed markup.
/// </summary>
internal static class IncidentRowMarkup
{
    private const string Cell = "<td class=\"mud-table-cell\" data-label=\"";

    [ThreadStatic]
    private static StringBuilder? _builder;

    /// <summary>Number, priority and status.</summary>
    public static string Leading(IncidentItem item, DateTime nowUtc)
    {
        var html = Start();
        html.Append(Cell).Append("#\"><span class=\"nowrap\">#").Append(item.Number.ToString(CultureInfo.InvariantCulture)).Append("</span></td>");
        html.Append(Cell).Append("Priority\">").Append(PriorityChip.Html(item.Priority)).Append("</td>");
        html.Append(Cell).Append("Status\">").Append(StatusChip.Html(item.Status, item.IsSnoozedAt(nowUtc))).Append("</td>");
        return html.ToString();
    }

    /// <summary>Title (the link to the incident, with the merged-alert count), source, last alert and opened.</summary>
    public static string Trailing(IncidentItem item, string sourceName, DateTime nowUtc)
    {
        var html = Start();
        var number = item.Number.ToString(CultureInfo.InvariantCulture);
        html.Append(Cell).Append("Title\"><span class=\"grid-title\" data-testid=\"incident-row\" data-number=\"").Append(number)
            .Append("\" data-status=\"").Append(item.Status.ToString()).Append("\"><a href=\"incidents/").Append(number).Append("\">")
            .Append(HtmlEncoder.Default.Encode(item.Title)).Append("</a>");
        if (item.AlertCount > 1)
        {
            html.Append("<span class=\"mud-chip mud-chip-text mud-chip-color-default mud-chip-size-small ml-1\" title=\"Alerts merged into this incident\"><span class=\"mud-chip-content\">×")
                .Append(item.AlertCount.ToString(CultureInfo.InvariantCulture)).Append("</span></span>");
        }

        html.Append("</span></td>");
        html.Append(Cell).Append("Source\">").Append(HtmlEncoder.Default.Encode(sourceName)).Append("</td>");
        html.Append(Cell).Append("Last alert\">").Append(Ago.Html(item.LastAlertAt, nowUtc)).Append("</td>");
        html.Append(Cell).Append("Opened\">").Append(Ago.Html(item.CreatedAt, nowUtc)).Append("</td>");
        return html.ToString();
    }

    /// <summary>The label of a small icon button, as MudIconButton renders it.</summary>
    public static MarkupString ButtonIcon(string icon) => new(
        $"<span class=\"mud-icon-button-label\"><svg class=\"mud-icon-root mud-svg-icon mud-icon-size-small\" focusable=\"false\" viewBox=\"0 0 24 24\" aria-hidden=\"true\" role=\"img\">{icon}</svg></span>");

    private static StringBuilder Start() => (_builder ??= new StringBuilder(1024)).Clear();
}
