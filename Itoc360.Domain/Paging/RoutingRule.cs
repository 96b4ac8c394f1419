using System.Diagnostics.CodeAnalysis;

namespace Itoc360.Domain.Paging;

/// <summary>How a rule combines its conditions (API <c>"match": "all" | "any"</c>).</summary>
public enum RoutingMatch
{
    /// <summary>Every condition must hold (AND).</summary>
    All,
    /// <summary>At least one condition must hold (OR).</summary>
    Any,
}

/// <summary>How a condition compares the alert field with its value. API tokens: see <see cref="RoutingOperators"/>.</summary>
public enum RoutingOperator
{
    /// <summary><c>equals</c>: the same text, ignoring case and surrounding spaces (as the priority mapping does).</summary>
    EqualTo,
    /// <summary><c>contains</c>: the value occurs in the field, ignoring case.</summary>
    Contains,
    /// <summary><c>regex</c>: the pattern matches somewhere in the field, ignoring case (<c>(?-i)</c> turns that off).</summary>
    Regex,
    /// <summary><c>gt</c>: both are numbers and the field is greater.</summary>
    GreaterThan,
    /// <summary><c>lt</c>: both are numbers and the field is smaller.</summary>
    LessThan,
}

/// <summary>The API's words for <see cref="RoutingOperator"/>.</summary>
public static class RoutingOperators
{
    public static bool TryParse(string? token, out RoutingOperator op)
    {
        switch (token?.Trim().ToLowerInvariant())
        {
            case "equals": op = RoutingOperator.EqualTo; return true;
            case "contains": op = RoutingOperator.Contains; return true;
            case "regex": op = RoutingOperator.Regex; return true;
            case "gt": op = RoutingOperator.GreaterThan; return true;
            case "lt": op = RoutingOperator.LessThan; return true;
            default: op = default; return false;
        }
    }

    public static string ToToken(this RoutingOperator op) => op switch
    {
        RoutingOperator.EqualTo => "equals",
        RoutingOperator.Contains => "contains",
        RoutingOperator.Regex => "regex",
        RoutingOperator.GreaterThan => "gt",
        RoutingOperator.LessThan => "lt",
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
    };
}

/// <summary>One test on an alert field. A field the alert does not have never matches, whatever the operator.</summary>
public sealed record RoutingCondition(string Field, RoutingOperator Op, string Value)
{
    /// <summary>How the condition reads in an explanation: "Level equals ERROR", "Latency &gt; 500".</summary>
    public override string ToString() => Op switch
    {
        RoutingOperator.GreaterThan => $"{Field} > {Value}",
        RoutingOperator.LessThan => $"{Field} < {Value}",
        RoutingOperator.Regex => $"{Field} matches {Value}",
        _ => $"{Field} {Op.ToToken()} {Value}",
    };
}

/// <summary>
/// One routing rule: when its conditions hold (all or any), alerts of this source page
/// <see cref="EscalationPolicyId"/>; a null policy means page nobody.
/// </summary>
public sealed record RoutingRule(RoutingMatch Match, IReadOnlyList<RoutingCondition> Conditions, EscalationPolicyId? EscalationPolicyId);

/// <summary>Which policy to page and which rule chose it (null: no rule matched, the source's default applies).</summary>
public readonly record struct RoutingDecision(EscalationPolicyId? PolicyId, int? MatchedRuleIndex)
{
    [MemberNotNullWhen(true, nameof(PolicyId))]
    public bool PagesSomeone => PolicyId is not null;
}

/// <summary>How one condition fared on a preview: the field's value (null when the alert lacks it) and the result.</summary>
public sealed record RoutingConditionTrace(RoutingCondition Condition, string? ActualValue, bool Matched);

/// <summary>How one rule fared on a preview. Rules after the one that matched are not evaluated.</summary>
public sealed record RoutingRuleTrace(int Index, bool Evaluated, bool Matched, IReadOnlyList<RoutingConditionTrace> Conditions);

/// <summary>The decision plus a sentence for the preview UI and the per-rule details behind it.</summary>
public sealed record RoutingExplanation(RoutingDecision Decision, string Summary, IReadOnlyList<RoutingRuleTrace> Rules);
