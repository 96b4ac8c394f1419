using Itoc360.Domain.Incidents;

namespace Itoc360.Domain.Priorities;

/// <summary>One rule: when the alert field <see cref="Field"/> equals <see cref="Value"/> (ignoring case), use <see cref="Priority"/>.</summary>
public sealed record PriorityRule(string Field, string Value, Priority Priority);

/// <summary>The result of running a mapping: the priority and which rule gave it (null: the default).</summary>
public readonly record struct PriorityEvaluation(Priority Priority, int? RuleIndex);

/// <summary>An ordered list of rules (first match wins) plus a default. Pure.</summary>
public sealed record PriorityMapping(IReadOnlyList<PriorityRule> Rules, Priority Default)
{
    public PriorityEvaluation Evaluate(IReadOnlyDictionary<string, string> fields)
    {
        for (var i = 0; i < Rules.Count; i++)
        {
            var rule = Rules[i];
            if (fields.TryGetValue(rule.Field, out var value) &&
                string.Equals(value.Trim(), rule.Value.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                return new PriorityEvaluation(rule.Priority, i);
            }
        }

        return new PriorityEvaluation(Default, null);
    }

    public bool Equals(PriorityMapping? other) =>
        other is not null && Default == other.Default && Rules.SequenceEqual(other.Rules);

    public override int GetHashCode() => HashCode.Combine(Default, Rules.Count);
}
