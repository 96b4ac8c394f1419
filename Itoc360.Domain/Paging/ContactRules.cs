using System.Diagnostics.CodeAnalysis;

namespace Itoc360.Domain.Paging;

/// <summary>How a person is reached (API <c>"channel": "Sms" | "Voice" | "WhatsApp"</c>).</summary>
public enum ContactChannel
{
    Sms,
    Voice,
    WhatsApp,
}

/// <summary>Page on <see cref="Channel"/> this many minutes after the person was first paged for an incident, unless they acknowledged.</summary>
public sealed record ContactRule(ContactChannel Channel, int AfterMinutes);

/// <summary>One channel that is due: which rule, and since when.</summary>
public readonly record struct ContactRulesDue(int RuleIndex, ContactChannel Channel, DateTime DueAtUtc);

/// <summary>
/// What <see cref="ContactRules.Advance"/> found: the channels to use now (in rule order), when the
/// next one is due (null: none left), and the progress to store once they are sent.
/// </summary>
public sealed record ContactRulesStep(IReadOnlyList<ContactRulesDue> Due, DateTime? NextDueAtUtc, ContactRulesProgress Progress);

/// <summary>
/// A person's contact rules: ordered channels with the minutes after the first page at which each is
/// used (e.g. SMS at 0, a call at 5). Pure: the caller stores a <see cref="ContactRulesProgress"/> per
/// person and incident and asks what is due at a given instant.
/// </summary>
/// <remarks>
/// Rule <c>i</c> is due at <c>anchor + (after[i] − after[anchorIndex])</c>: at first the anchor is the
/// first page and rule 0. When a channel reports failed or undelivered,
/// <see cref="MoveToNextChannel"/> makes the next rule due at once and re-anchors there, so the rules
/// after it keep their spacing (the person still gets the configured time to react to each channel).
/// </remarks>
public sealed class ContactRules
{
    public const int MaxRules = 10;
    public const int MaxAfterMinutes = 1440;

    private ContactRules(IReadOnlyList<ContactRule> rules) => Rules = rules;

    public IReadOnlyList<ContactRule> Rules { get; }

    /// <summary>For people who set no rules: an SMS at once, a call after 5 minutes.</summary>
    public static ContactRules Default { get; } = new([new ContactRule(ContactChannel.Sms, 0), new ContactRule(ContactChannel.Voice, 5)]);

    /// <summary>Validates user input (first rule at 0 minutes, minutes never decreasing, 1..10 rules); never throws on it.</summary>
    public static bool TryCreate(IReadOnlyList<ContactRule?>? rules,
        [NotNullWhen(true)] out ContactRules? contactRules, out IReadOnlyDictionary<string, string[]> errors)
    {
        var found = new Dictionary<string, string[]>();
        void Add(string key, string message) =>
            found[key] = found.TryGetValue(key, out var list) ? [.. list, message] : [message];

        rules ??= [];
        if (rules.Count == 0)
        {
            Add("rules", "Add at least one way to reach you.");
        }
        else if (rules.Count > MaxRules)
        {
            Add("rules", $"At most {MaxRules} contact rules.");
        }

        var previous = 0;
        for (var i = 0; i < rules.Count; i++)
        {
            var key = $"rules[{i}]";
            if (rules[i] is not { } rule)
            {
                Add(key, "A rule cannot be empty.");
                continue;
            }

            if (!Enum.IsDefined(rule.Channel))
            {
                Add($"{key}.channel", "The channel is Sms, Voice or WhatsApp.");
            }

            if (rule.AfterMinutes is < 0 or > MaxAfterMinutes)
            {
                Add($"{key}.afterMinutes", $"Minutes are between 0 and {MaxAfterMinutes}.");
            }
            else if (i == 0 && rule.AfterMinutes != 0)
            {
                Add($"{key}.afterMinutes", "The first rule is used at once: 0 minutes.");
            }
            else if (rule.AfterMinutes < previous)
            {
                Add($"{key}.afterMinutes", $"Rules are in time order: this one cannot come before the previous one ({previous} minutes).");
            }
            else
            {
                previous = rule.AfterMinutes;
            }
        }

        errors = found;
        if (found.Count > 0)
        {
            contactRules = null;
            return false;
        }

        contactRules = new ContactRules(rules.Select(r => r!).ToArray());
        return true;
    }

    /// <summary>When rule <paramref name="ruleIndex"/> is due under <paramref name="progress"/>.</summary>
    public DateTime DueAt(ContactRulesProgress progress, int ruleIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(ruleIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(ruleIndex, Rules.Count);
        var anchorIndex = Math.Min(progress.AnchorIndex, Rules.Count - 1);
        var after = Math.Max(0, Rules[ruleIndex].AfterMinutes - Rules[anchorIndex].AfterMinutes);
        return progress.AnchorUtc.AddMinutes(after);
    }

    /// <summary>
    /// The channels due at <paramref name="nowUtc"/> that were not used yet, the time the next one is
    /// due, and the progress to store after sending them.
    /// </summary>
    public ContactRulesStep Advance(ContactRulesProgress progress, DateTime nowUtc)
    {
        nowUtc = nowUtc.Kind == DateTimeKind.Utc ? nowUtc : DateTime.SpecifyKind(nowUtc, DateTimeKind.Utc);
        var due = new List<ContactRulesDue>();
        var next = Math.Max(0, progress.UsedCount);
        while (next < Rules.Count && DueAt(progress, next) <= nowUtc)
        {
            due.Add(new ContactRulesDue(next, Rules[next].Channel, DueAt(progress, next)));
            next++;
        }

        return new ContactRulesStep(due, next < Rules.Count ? DueAt(progress, next) : null,
            progress with { UsedCount = Math.Max(progress.UsedCount, next) });
    }

    /// <summary>The simple question: first paged at <paramref name="firstPagedAtUtc"/>, which channels are due by <paramref name="nowUtc"/>.</summary>
    public ContactRulesStep Advance(DateTime firstPagedAtUtc, DateTime nowUtc) =>
        Advance(ContactRulesProgress.Start(firstPagedAtUtc), nowUtc);

    /// <summary>
    /// Rule <paramref name="failedRuleIndex"/>'s channel failed (or was undelivered, or the person has no
    /// verified contact for it): make the following rule due at <paramref name="nowUtc"/>. Unchanged when
    /// a later rule was already used, when there is no following rule, or when it is due by now anyway.
    /// </summary>
    public ContactRulesProgress MoveToNextChannel(ContactRulesProgress progress, int failedRuleIndex, DateTime nowUtc)
    {
        nowUtc = nowUtc.Kind == DateTimeKind.Utc ? nowUtc : DateTime.SpecifyKind(nowUtc, DateTimeKind.Utc);
        var following = failedRuleIndex + 1;
        if (failedRuleIndex < 0 || following >= Rules.Count || progress.UsedCount > following || DueAt(progress, following) <= nowUtc)
        {
            return progress;
        }

        return progress with { AnchorUtc = nowUtc, AnchorIndex = following };
    }
}
