using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Itoc360.Domain.Paging;

/// <summary>
/// A source's routing: ordered rules (the first that matches picks its policy, which may be none) and
/// the source's default policy for alerts no rule matches. Pure.
/// </summary>
/// <remarks>
/// Field names are matched ignoring case (like the priority mapping). <c>equals</c> and
/// <c>contains</c> ignore case; <c>regex</c> uses .NET syntax without backtracking (linear time, so
/// no pattern can stall ingestion; backreferences and lookarounds are refused at validation), ignores
/// case and also has a match timeout. <c>gt</c>/<c>lt</c> read both sides as invariant-culture numbers
/// (<c>1.5</c>, <c>-3</c>, <c>1e3</c>; no thousands separators); a field that is not a finite number never matches.
/// </remarks>
public sealed class RoutingRules
{
    public const int MaxRules = 50;
    public const int MaxConditionsPerRule = 20;
    public const int MaxFieldLength = 100;
    public const int MaxValueLength = 1000;

    /// <summary>A backstop only: non-backtracking matching is linear in the input.</summary>
    public static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(100);

    private const RegexOptions PatternOptions =
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking;

    private readonly Compiled[][] _compiled;

    private RoutingRules(IReadOnlyList<RoutingRule> rules, EscalationPolicyId? defaultPolicyId, Compiled[][] compiled)
    {
        Rules = rules;
        DefaultPolicyId = defaultPolicyId;
        _compiled = compiled;
    }

    public IReadOnlyList<RoutingRule> Rules { get; }

    /// <summary>The source's default policy; null when the source pages nobody by default.</summary>
    public EscalationPolicyId? DefaultPolicyId { get; }

    /// <summary>
    /// Validates user input; never throws on it. Error keys follow the API's JSON names
    /// (<c>rules[1].conditions[0].value</c>).
    /// </summary>
    public static bool TryCreate(IReadOnlyList<RoutingRule?>? rules, EscalationPolicyId? defaultPolicyId,
        [NotNullWhen(true)] out RoutingRules? routing, out IReadOnlyDictionary<string, string[]> errors,
        Func<EscalationPolicyId, bool>? policyExists = null)
    {
        var found = new Dictionary<string, string[]>();
        void Add(string key, string message) =>
            found[key] = found.TryGetValue(key, out var list) ? [.. list, message] : [message];

        rules ??= [];
        if (rules.Count > MaxRules)
        {
            Add("rules", $"A source can have at most {MaxRules} routing rules.");
        }

        var compiled = new Compiled[rules.Count][];
        for (var r = 0; r < rules.Count; r++)
        {
            var key = $"rules[{r}]";
            var rule = rules[r];
            if (rule is null)
            {
                Add(key, "A rule cannot be empty.");
                continue;
            }

            if (!Enum.IsDefined(rule.Match))
            {
                Add($"{key}.match", "Match is \"all\" or \"any\".");
            }

            if (rule.EscalationPolicyId is { } policyId && policyExists is not null && !policyExists(policyId))
            {
                Add($"{key}.escalationPolicyId", $"There is no escalation policy '{policyId}'.");
            }

            var conditions = rule.Conditions ?? [];
            if (conditions.Count == 0)
            {
                Add($"{key}.conditions", "A rule needs at least one condition (the default policy covers everything else).");
            }
            else if (conditions.Count > MaxConditionsPerRule)
            {
                Add($"{key}.conditions", $"A rule can have at most {MaxConditionsPerRule} conditions.");
            }

            compiled[r] = new Compiled[conditions.Count];
            for (var c = 0; c < conditions.Count; c++)
            {
                var conditionKey = $"{key}.conditions[{c}]";
                var condition = conditions[c];
                if (condition is null)
                {
                    Add(conditionKey, "A condition cannot be empty.");
                    continue;
                }

                if (string.IsNullOrWhiteSpace(condition.Field))
                {
                    Add($"{conditionKey}.field", "A condition needs a field name.");
                }
                else if (condition.Field.Trim().Length > MaxFieldLength)
                {
                    Add($"{conditionKey}.field", $"A field name can have at most {MaxFieldLength} characters.");
                }

                if (condition.Value is null)
                {
                    Add($"{conditionKey}.value", "A condition needs a value.");
                    continue;
                }

                if (condition.Value.Length > MaxValueLength)
                {
                    Add($"{conditionKey}.value", $"A value can have at most {MaxValueLength} characters.");
                    continue;
                }

                Regex? regex = null;
                var number = 0.0;
                switch (condition.Op)
                {
                    case RoutingOperator.EqualTo:
                        break;
                    case RoutingOperator.Contains when condition.Value.Length == 0:
                        Add($"{conditionKey}.value", "\"contains\" needs some text to look for.");
                        break;
                    case RoutingOperator.Contains:
                        break;
                    case RoutingOperator.Regex when condition.Value.Length == 0:
                        Add($"{conditionKey}.value", "\"regex\" needs a pattern.");
                        break;
                    case RoutingOperator.Regex:
                        if (!TryCompile(condition.Value, out regex, out var problem))
                        {
                            Add($"{conditionKey}.value", problem);
                        }

                        break;
                    case RoutingOperator.GreaterThan or RoutingOperator.LessThan:
                        if (!TryNumber(condition.Value, out number))
                        {
                            Add($"{conditionKey}.value", $"\"{condition.Op.ToToken()}\" compares numbers; '{condition.Value}' is not one (use digits and a '.' for decimals).");
                        }

                        break;
                    default:
                        Add($"{conditionKey}.op", "The operator is equals, contains, regex, gt or lt.");
                        break;
                }

                compiled[r][c] = new Compiled(condition with { Field = condition.Field?.Trim() ?? "" }, regex, number);
            }
        }

        errors = found;
        if (found.Count > 0)
        {
            routing = null;
            return false;
        }

        var normalized = rules.Select((rule, r) => rule! with { Conditions = compiled[r].Select(c => c.Condition).ToArray() }).ToArray();
        routing = new RoutingRules(normalized, defaultPolicyId, compiled);
        return true;
    }

    /// <summary>The policy for an alert with these fields, and the index of the rule that chose it.</summary>
    public RoutingDecision Evaluate(IReadOnlyDictionary<string, string> fields)
    {
        for (var r = 0; r < _compiled.Length; r++)
        {
            var rule = Rules[r];
            var conditions = _compiled[r];
            var matched = rule.Match == RoutingMatch.All
                ? conditions.All(c => c.Matches(fields, out _))
                : conditions.Any(c => c.Matches(fields, out _));
            if (matched)
            {
                return new RoutingDecision(rule.EscalationPolicyId, r);
            }
        }

        return new RoutingDecision(DefaultPolicyId, null);
    }

    /// <summary>
    /// The same decision as <see cref="Evaluate"/>, with a sentence for the preview UI (rules numbered
    /// from 1: "rule 2 matched: Level equals ERROR") and how each rule and condition fared.
    /// </summary>
    public RoutingExplanation Explain(IReadOnlyDictionary<string, string> fields)
    {
        var traces = new List<RoutingRuleTrace>(_compiled.Length);
        RoutingDecision? decision = null;
        string? summary = null;
        for (var r = 0; r < _compiled.Length; r++)
        {
            var rule = Rules[r];
            if (decision is not null)
            {
                traces.Add(new RoutingRuleTrace(r, false, false,
                    _compiled[r].Select(c => new RoutingConditionTrace(c.Condition, Lookup(fields, c.Condition.Field), false)).ToArray()));
                continue;
            }

            var conditions = _compiled[r]
                .Select(c => new RoutingConditionTrace(c.Condition, Lookup(fields, c.Condition.Field), c.Matches(fields, out _)))
                .ToArray();
            var matched = rule.Match == RoutingMatch.All ? conditions.All(c => c.Matched) : conditions.Any(c => c.Matched);
            traces.Add(new RoutingRuleTrace(r, true, matched, conditions));
            if (matched)
            {
                decision = new RoutingDecision(rule.EscalationPolicyId, r);
                var because = string.Join(rule.Match == RoutingMatch.All ? " and " : " or ",
                    conditions.Where(c => c.Matched).Select(c => c.Condition.ToString()));
                summary = $"rule {r + 1} matched: {because}" + (rule.EscalationPolicyId is null ? " (pages nobody)" : "");
            }
        }

        decision ??= new RoutingDecision(DefaultPolicyId, null);
        summary ??= DefaultPolicyId is null
            ? "no rule matched and the source has no default policy: nobody is paged"
            : "no rule matched: the source's default policy";
        return new RoutingExplanation(decision.Value, summary, traces);
    }

    private static bool TryCompile(string pattern, [NotNullWhen(true)] out Regex? regex, out string problem)
    {
        try
        {
            regex = new Regex(pattern, PatternOptions, RegexTimeout);
            problem = "";
            return true;
        }
        catch (RegexParseException e)
        {
            problem = $"Not a valid regular expression: {e.Error} at position {e.Offset}.";
        }
        catch (NotSupportedException)
        {
            problem = "Backreferences, lookarounds, atomic groups and conditionals are not supported (patterns run without backtracking).";
        }
        catch (ArgumentException e)
        {
            problem = $"Not a valid regular expression: {e.Message}";
        }

        regex = null;
        return false;
    }

    internal static bool TryNumber(string? text, out double number) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out number) && double.IsFinite(number);

    /// <summary>The field's value, name ignoring case even when the dictionary itself does not.</summary>
    private static string? Lookup(IReadOnlyDictionary<string, string> fields, string field)
    {
        if (fields.TryGetValue(field, out var value))
        {
            return value;
        }

        foreach (var (name, candidate) in fields)
        {
            if (string.Equals(name, field, StringComparison.OrdinalIgnoreCase))
            {
                return candidate;
            }
        }

        return null;
    }

    private sealed record Compiled(RoutingCondition Condition, Regex? Pattern, double Number)
    {
        public bool Matches(IReadOnlyDictionary<string, string> fields, out string? actual)
        {
            actual = Lookup(fields, Condition.Field);
            if (actual is null)
            {
                return false;
            }

            switch (Condition.Op)
            {
                case RoutingOperator.EqualTo:
                    return string.Equals(actual.Trim(), Condition.Value.Trim(), StringComparison.OrdinalIgnoreCase);
                case RoutingOperator.Contains:
                    return actual.Contains(Condition.Value, StringComparison.OrdinalIgnoreCase);
                case RoutingOperator.Regex:
                    try
                    {
                        return Pattern!.IsMatch(actual);
                    }
                    catch (RegexMatchTimeoutException)
                    {
                        return false;
                    }

                case RoutingOperator.GreaterThan:
                    return TryNumber(actual, out var above) && above > Number;
                case RoutingOperator.LessThan:
                    return TryNumber(actual, out var below) && below < Number;
                default:
                    return false;
            }
        }
    }
}
