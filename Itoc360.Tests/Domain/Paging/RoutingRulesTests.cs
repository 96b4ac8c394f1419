using Itoc360.Domain.Paging;

namespace Itoc360.Tests.Domain.Paging;

public class RoutingRulesTests
{
    private static readonly EscalationPolicyId Default = new(Guid.Parse("00000000-0000-0000-0000-00000000000d"));
    private static readonly EscalationPolicyId Db = new(Guid.Parse("00000000-0000-0000-0000-0000000000db"));
    private static readonly EscalationPolicyId Web = new(Guid.Parse("00000000-0000-0000-0000-0000000000eb"));

    private static RoutingCondition C(string field, string op, string value)
    {
        Assert.True(RoutingOperators.TryParse(op, out var parsed));
        return new RoutingCondition(field, parsed, value);
    }

    private static RoutingRules Rules(EscalationPolicyId? fallback, params RoutingRule[] rules)
    {
        Assert.True(RoutingRules.TryCreate(rules, fallback, out var routing, out var errors),
            string.Join("; ", errors.SelectMany(e => e.Key + ": " + string.Join(",", e.Value))));
        return routing;
    }

    private static Dictionary<string, string> Fields(params string[] pairs) =>
        pairs.Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);

    /// <summary>One condition against one field value: every operator's edge cases.</summary>
    [Theory]
    // equals: case and surrounding spaces ignored, nothing else
    [InlineData("equals", "ERROR", "ERROR", true)]
    [InlineData("equals", "ERROR", "error", true)]
    [InlineData("equals", "ERROR", " Error ", true)]
    [InlineData("equals", " error", "ERROR", true)]
    [InlineData("equals", "ERROR", "ERRORS", false)]
    [InlineData("equals", "ERROR", "WARN", false)]
    [InlineData("equals", "", "", true)]
    [InlineData("equals", "", "x", false)]
    // contains: case ignored
    [InlineData("contains", "disk", "Disk full on db-1", true)]
    [InlineData("contains", "DISK", "disk full", true)]
    [InlineData("contains", "disk full", "disk  full", false)]
    [InlineData("contains", "db", "web-1", false)]
    // regex: anywhere in the field, case ignored unless the pattern says otherwise
    [InlineData("regex", "^db-\\d+$", "db-12", true)]
    [InlineData("regex", "^db-\\d+$", "DB-12", true)]
    [InlineData("regex", "^db-\\d+$", "db-12a", false)]
    [InlineData("regex", "(?-i)^db", "DB-12", false)]
    [InlineData("regex", "timeout|refused", "connection REFUSED by peer", true)]
    [InlineData("regex", "(a+)+$", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab", false)] // catastrophic for a backtracking engine; linear here
    // gt / lt: invariant numbers; a non-number never matches
    [InlineData("gt", "500", "501", true)]
    [InlineData("gt", "500", "500", false)]
    [InlineData("gt", "500", "499.9", false)]
    [InlineData("gt", "500", "1e3", true)]
    [InlineData("gt", "-1", "0", true)]
    [InlineData("gt", "0.5", " 0.75 ", true)]
    [InlineData("gt", "500", "600ms", false)]
    [InlineData("gt", "500", "1,000", false)]
    [InlineData("gt", "500", "", false)]
    [InlineData("gt", "500", "NaN", false)]
    [InlineData("gt", "500", "Infinity", false)]
    [InlineData("lt", "10", "9", true)]
    [InlineData("lt", "10", "10", false)]
    [InlineData("lt", "10", "-20", true)]
    [InlineData("lt", "10", "0,5", false)] // a comma is not a decimal point here
    [InlineData("lt", "10", "abc", false)]
    public void A_condition_matches_as_documented(string op, string value, string actual, bool expected)
    {
        var routing = Rules(Default, new RoutingRule(RoutingMatch.All, [C("Level", op, value)], Db));

        var decision = routing.Evaluate(Fields($"Level={actual}"));

        Assert.Equal(expected ? new RoutingDecision(Db, 0) : new RoutingDecision(Default, null), decision);
    }

    [Theory]
    [InlineData("equals", "")]
    [InlineData("contains", "x")]
    [InlineData("regex", ".*")]
    [InlineData("gt", "-1000")]
    [InlineData("lt", "1000")]
    public void A_field_the_alert_lacks_never_matches(string op, string value)
    {
        var routing = Rules(Default, new RoutingRule(RoutingMatch.Any, [C("Missing", op, value)], Db));
        Assert.Equal(new RoutingDecision(Default, null), routing.Evaluate(Fields("Level=ERROR")));
    }

    [Theory]
    [InlineData("level")]
    [InlineData("LEVEL")]
    [InlineData("Level")]
    public void Field_names_are_matched_ignoring_case_even_in_a_case_sensitive_dictionary(string ruleField)
    {
        var routing = Rules(Default, new RoutingRule(RoutingMatch.All, [C(ruleField, "equals", "ERROR")], Db));

        Assert.Equal(Db, routing.Evaluate(Fields("Level=ERROR")).PolicyId);
        Assert.Equal(Db, routing.Evaluate(new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["lEvEl"] = "error" }).PolicyId);
    }

    [Theory]
    [InlineData(RoutingMatch.All, "Level=ERROR", "Host=db-1", true)]
    [InlineData(RoutingMatch.All, "Level=ERROR", "Host=web-1", false)]
    [InlineData(RoutingMatch.All, "Level=INFO", "Host=db-1", false)]
    [InlineData(RoutingMatch.All, "Level=INFO", "Host=web-1", false)]
    [InlineData(RoutingMatch.Any, "Level=ERROR", "Host=db-1", true)]
    [InlineData(RoutingMatch.Any, "Level=ERROR", "Host=web-1", true)]
    [InlineData(RoutingMatch.Any, "Level=INFO", "Host=db-1", true)]
    [InlineData(RoutingMatch.Any, "Level=INFO", "Host=web-1", false)]
    public void All_needs_every_condition_and_any_needs_one(RoutingMatch match, string level, string host, bool expected)
    {
        var routing = Rules(Default, new RoutingRule(match, [C("Level", "equals", "ERROR"), C("Host", "contains", "db")], Db));

        Assert.Equal(expected, routing.Evaluate(Fields(level, host)).MatchedRuleIndex == 0);
    }

    private static readonly RoutingRules Ordered = Rules(Default,
        new RoutingRule(RoutingMatch.All, [C("Env", "equals", "staging")], null),
        new RoutingRule(RoutingMatch.All, [C("Level", "equals", "ERROR")], Db),
        new RoutingRule(RoutingMatch.Any, [C("Service", "regex", "^web"), C("Latency", "gt", "500")], Web),
        new RoutingRule(RoutingMatch.All, [C("Level", "equals", "ERROR")], Web));

    [Theory]
    [InlineData(new[] { "Env=staging", "Level=ERROR" }, null, 0)] // the first match wins, even when it pages nobody
    [InlineData(new[] { "Env=prod", "Level=ERROR", "Service=web" }, "db", 1)]
    [InlineData(new[] { "Env=prod", "Level=WARN", "Service=web-2" }, "web", 2)]
    [InlineData(new[] { "Level=WARN", "Latency=750" }, "web", 2)]
    [InlineData(new[] { "Level=WARN", "Latency=slow" }, "default", null)]
    [InlineData(new string[0], "default", null)]
    public void The_first_matching_rule_picks_the_policy_otherwise_the_default(string[] fields, string? policy, int? rule)
    {
        var expected = policy switch { "db" => Db, "web" => Web, "default" => Default, _ => (EscalationPolicyId?)null };

        var decision = Ordered.Evaluate(Fields(fields));

        Assert.Equal(new RoutingDecision(expected, rule), decision);
        Assert.Equal(expected is not null, decision.PagesSomeone);
        Assert.Equal(decision, Ordered.Explain(Fields(fields)).Decision);
    }

    [Fact]
    public void Without_rules_or_a_default_nobody_is_paged()
    {
        var routing = Rules(null);
        Assert.Equal(new RoutingDecision(null, null), routing.Evaluate(Fields("Level=ERROR")));
        Assert.Equal("no rule matched and the source has no default policy: nobody is paged", routing.Explain(Fields()).Summary);
    }

    [Fact]
    public void The_explanation_names_the_rule_from_one_and_the_conditions_that_held()
    {
        var explanation = Ordered.Explain(Fields("Env=prod", "Level=error"));

        Assert.Equal("rule 2 matched: Level equals ERROR", explanation.Summary);
        Assert.Equal([true, true, false, false], explanation.Rules.Select(r => r.Evaluated));
        Assert.Equal([false, true, false, false], explanation.Rules.Select(r => r.Matched));
        Assert.Equal(new RoutingConditionTrace(C("Env", "equals", "staging"), "prod", false), explanation.Rules[0].Conditions[0]);
        Assert.Equal("error", explanation.Rules[1].Conditions[0].ActualValue);
    }

    [Fact]
    public void An_any_rule_explains_only_the_conditions_that_held_and_a_missing_field_shows_as_null()
    {
        var explanation = Ordered.Explain(Fields("Latency=900"));

        Assert.Equal("rule 3 matched: Latency > 500", explanation.Summary);
        Assert.Equal([null, "900"], explanation.Rules[2].Conditions.Select(c => c.ActualValue));
        Assert.Equal([false, true], explanation.Rules[2].Conditions.Select(c => c.Matched));
    }

    [Fact]
    public void The_explanation_says_when_a_rule_pages_nobody_or_the_default_applies()
    {
        Assert.Equal("rule 1 matched: Env equals staging (pages nobody)", Ordered.Explain(Fields("Env=staging")).Summary);
        Assert.Equal("no rule matched: the source's default policy", Ordered.Explain(Fields("Env=prod")).Summary);

        var all = Rules(null, new RoutingRule(RoutingMatch.All, [C("Host", "regex", "^db"), C("Load", "lt", "2")], Db));
        Assert.Equal("rule 1 matched: Host matches ^db and Load < 2", all.Explain(Fields("Host=db-1", "Load=0.5")).Summary);
    }

    [Theory]
    [InlineData("equals", RoutingOperator.EqualTo)]
    [InlineData("contains", RoutingOperator.Contains)]
    [InlineData("regex", RoutingOperator.Regex)]
    [InlineData("GT", RoutingOperator.GreaterThan)]
    [InlineData(" lt ", RoutingOperator.LessThan)]
    public void Operators_read_and_write_the_API_words(string token, RoutingOperator expected)
    {
        Assert.True(RoutingOperators.TryParse(token, out var op));
        Assert.Equal(expected, op);
        Assert.Equal(token.Trim().ToLowerInvariant(), op.ToToken());
    }

    [Theory]
    [InlineData("eq")]
    [InlineData("")]
    [InlineData(null)]
    [InlineData(">")]
    public void Unknown_operator_words_are_refused(string? token)
    {
        Assert.False(RoutingOperators.TryParse(token, out _));
    }

    public static TheoryData<RoutingRule?, string> InvalidRules => new()
    {
        { null, "rules[0]" },
        { new RoutingRule((RoutingMatch)5, [C("Level", "equals", "x")], Db), "rules[0].match" },
        { new RoutingRule(RoutingMatch.All, [], Db), "rules[0].conditions" },
        { new RoutingRule(RoutingMatch.All, Enumerable.Repeat(C("Level", "equals", "x"), 21).ToArray(), Db), "rules[0].conditions" },
        { new RoutingRule(RoutingMatch.All, [null!], Db), "rules[0].conditions[0]" },
        { new RoutingRule(RoutingMatch.All, [C(" ", "equals", "x")], Db), "rules[0].conditions[0].field" },
        { new RoutingRule(RoutingMatch.All, [C(new string('f', 101), "equals", "x")], Db), "rules[0].conditions[0].field" },
        { new RoutingRule(RoutingMatch.All, [new RoutingCondition("Level", (RoutingOperator)9, "x")], Db), "rules[0].conditions[0].op" },
        { new RoutingRule(RoutingMatch.All, [new RoutingCondition("Level", RoutingOperator.EqualTo, null!)], Db), "rules[0].conditions[0].value" },
        { new RoutingRule(RoutingMatch.All, [C("Level", "equals", new string('v', 1001))], Db), "rules[0].conditions[0].value" },
        { new RoutingRule(RoutingMatch.All, [C("Level", "contains", "")], Db), "rules[0].conditions[0].value" },
        { new RoutingRule(RoutingMatch.All, [C("Level", "regex", "")], Db), "rules[0].conditions[0].value" },
        { new RoutingRule(RoutingMatch.All, [C("Level", "regex", "(unclosed")], Db), "rules[0].conditions[0].value" },
        { new RoutingRule(RoutingMatch.All, [C("Level", "regex", "[z-a]")], Db), "rules[0].conditions[0].value" },
        { new RoutingRule(RoutingMatch.All, [C("Level", "regex", "(a)\\1")], Db), "rules[0].conditions[0].value" },
        { new RoutingRule(RoutingMatch.All, [C("Level", "regex", "foo(?=bar)")], Db), "rules[0].conditions[0].value" },
        { new RoutingRule(RoutingMatch.All, [C("Latency", "gt", "fast")], Db), "rules[0].conditions[0].value" },
        { new RoutingRule(RoutingMatch.All, [C("Latency", "lt", "1,5")], Db), "rules[0].conditions[0].value" },
        { new RoutingRule(RoutingMatch.All, [C("Latency", "lt", "NaN")], Db), "rules[0].conditions[0].value" },
        { new RoutingRule(RoutingMatch.All, [C("Latency", "gt", "")], Db), "rules[0].conditions[0].value" },
    };

    [Theory]
    [MemberData(nameof(InvalidRules))]
    public void Invalid_rules_are_reported_under_the_field_without_throwing(RoutingRule? rule, string field)
    {
        Assert.False(RoutingRules.TryCreate([rule], Default, out var routing, out var errors));
        Assert.Null(routing);
        Assert.Equal([field], errors.Keys);
        Assert.All(errors[field], message => Assert.False(string.IsNullOrWhiteSpace(message)));
    }

    [Fact]
    public void Too_many_rules_and_unknown_policies_are_refused()
    {
        var rule = new RoutingRule(RoutingMatch.All, [C("Level", "equals", "x")], Db);
        Assert.False(RoutingRules.TryCreate(Enumerable.Repeat(rule, 51).ToArray(), Default, out _, out var tooMany));
        Assert.Equal(["rules"], tooMany.Keys);

        var ghost = rule with { EscalationPolicyId = Web };
        Assert.False(RoutingRules.TryCreate([rule, ghost], Default, out _, out var unknown, policyExists: id => id == Db));
        Assert.Equal(["rules[1].escalationPolicyId"], unknown.Keys);

        Assert.True(RoutingRules.TryCreate([rule with { EscalationPolicyId = null }], null, out _, out _, policyExists: _ => false));
    }

    [Fact]
    public void Field_names_are_stored_trimmed()
    {
        var routing = Rules(Default, new RoutingRule(RoutingMatch.All, [C(" Level ", "equals", "ERROR")], Db));
        Assert.Equal("Level", routing.Rules[0].Conditions[0].Field);
        Assert.Equal(Db, routing.Evaluate(Fields("Level=ERROR")).PolicyId);
    }
}
