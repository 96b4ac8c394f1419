using Itoc360.Domain.Incidents;
using Itoc360.Domain.Priorities;
using Itoc360.Domain.Sources;

namespace Itoc360.Web.Features.Sources;

/// <summary>One parsed alert of a previewed delivery: the priority the mapping gives it and the rule that matched (null: the default).</summary>
public sealed record PreviewAlert(string Title, AlertAction Action, Priority Priority, int? RuleIndex, IReadOnlyDictionary<string, string> Fields);

/// <summary>What the preview made of a delivery: alerts, or why there are none.</summary>
public sealed record PreviewResult(IReadOnlyList<PreviewAlert> Alerts, string? Problem)
{
    public bool HasAlerts => Alerts.Count > 0;
}

/// <summary>
/// Runs a stored request through a parser and a (possibly unsaved) mapping, the same steps ingestion
/// takes, without storing anything. Pure.
/// </summary>
public static class MappingPreview
{
    public static PreviewResult Run(ISourceParser parser, InboundRequest request, PriorityMapping mapping) =>
        parser.Parse(request) switch
        {
            ParseResult.Parsed parsed => new PreviewResult(
                parsed.Alerts.Select(alert =>
                {
                    var evaluation = mapping.Evaluate(alert.Fields);
                    return new PreviewAlert(alert.Title, alert.Action, evaluation.Priority, evaluation.RuleIndex, alert.Fields);
                }).ToArray(),
                null),
            ParseResult.Ignored ignored => new PreviewResult([], $"Ignored by the parser: {ignored.Reason}"),
            ParseResult.Invalid invalid => new PreviewResult([], $"Not readable by this parser: {invalid.Problem}"),
            _ => new PreviewResult([], "Unknown parse result."),
        };

    /// <summary>"rule 2" (1-based, as the editor numbers rules) or "default".</summary>
    public static string Describe(int? ruleIndex) => ruleIndex is { } i ? $"rule {i + 1}" : "default";
}
