using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Itoc360.Domain.Incidents;
using Itoc360.Web.Components.Controls;
using Itoc360.Web.Features.Incidents;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Itoc360.Web.Components.Pages.Incidents;

/// <summary>
/// The cells of an incident row after its checkbox, as HTML (one render frame instead of a few per element and
/// attribute). Everything from the incident is HTML-encoded; the rest is fixed markup.
/// </summary>
internal static class IncidentRowMarkup
{
    private const string Cell = "<td class=\"mud-table-cell\" data-label=\"";

    [ThreadStatic]
    private static StringBuilder? _builder;

    public const string AcknowledgeAction = "ack";
    public const string ResolveAction = "resolve";

    private static readonly string AckIcon = ButtonIcon(Icons.Material.Filled.Check).Value;
    private static readonly string ResolveIcon = ButtonIcon(Icons.Material.Filled.DoneAll).Value;

    /// <summary>
    /// Every cell of a row after the selection checkbox: number, priority, status, the action buttons (when the person
    /// may act; wired by one listener on the table), title (the link, with the merged-alert count), source, last alert
    /// and opened.
    /// </summary>
    public static string Row(IncidentItem item, string sourceName, DateTime nowUtc, bool canAct, bool busy)
    {
        var html = Start();
        var number = item.Number.ToString(CultureInfo.InvariantCulture);
        html.Append(Cell).Append("#\"><span class=\"nowrap\">#").Append(number).Append("</span></td>");
        html.Append(Cell).Append("Priority\">").Append(PriorityChip.Html(item.Priority)).Append("</td>");
        html.Append(Cell).Append("Status\">").Append(StatusChip.Html(item.Status, item.IsSnoozedAt(nowUtc))).Append("</td>");
        if (canAct)
        {
            html.Append(Cell).Append("Actions\"><div class=\"row-actions\">");
            if (item.Status == IncidentStatus.Triggered)
            {
                Button(html, item, AcknowledgeAction, "Acknowledge", "mud-button-outlined-warning", AckIcon, busy);
            }

            if (item.Status != IncidentStatus.Resolved)
            {
                Button(html, item, ResolveAction, "Resolve", "mud-button-outlined-success ml-1", ResolveIcon, busy);
            }

            html.Append("</div></td>");
        }

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

    private static void Button(StringBuilder html, IncidentItem item, string action, string verb, string color, string icon, bool busy) =>
        html.Append("<button type=\"button\" class=\"mud-button-root mud-icon-button mud-button mud-button-outlined mud-button-outlined-size-small mud-ripple mud-icon-button-size-small ")
            .Append(color).Append("\" data-act=\"").Append(action).Append("\" data-id=\"").Append(item.Id.ToString()).Append("\" title=\"").Append(verb)
            .Append("\" aria-label=\"").Append(verb).Append(" incident ").Append(item.Number.ToString(CultureInfo.InvariantCulture)).Append('"')
            .Append(busy ? " disabled>" : ">").Append(icon).Append("</button>");

    /// <summary>The label of a small icon button, as MudIconButton renders it.</summary>
    public static MarkupString ButtonIcon(string icon) => new($"<span class=\"mud-icon-button-label\">{AppIcons.Svg(icon, "mud-icon-size-small")}</span>");

    private static StringBuilder Start() => (_builder ??= new StringBuilder(1024)).Clear();
}
