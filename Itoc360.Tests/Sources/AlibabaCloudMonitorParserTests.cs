using System.Text.Json;
using Itoc360.Domain.Incidents;
using Itoc360.Domain.Sources;
using Itoc360.Domain.Sources.Parsers;
using static Itoc360.Tests.TestSupport.Requests;

namespace Itoc360.Tests.Sources;

public class AlibabaCloudMonitorParserTests
{
    private const string RuleId = "rule-7c1d";
    private const string Dimensions = "{userId=42, instanceId=i-web7}";
    private const string CanonicalKey = "rule-7c1d|cpu_total|instanceId=i-web7,userId=42";

    private readonly AlibabaCloudMonitorParser _parser = new();

    private static (string, string)[] Threshold(
        string alertState = "ALERT", string triggerLevel = "WARN", string dimensions = Dimensions,
        string timestamp = "1772000000", string instanceName = "web-7", string transId = "t-1") =>
    [
        ("alertName", "CPU high"), ("alertState", alertState), ("curValue", "91.5"), ("dimensions", dimensions),
        ("expression", "$Average>=90"), ("instanceName", instanceName), ("lastTime", "2分钟"),
        ("metricName", "cpu_total"), ("metricProject", "acs_ecs"), ("preTriggerLevel", "null"), ("regionId", "null"),
        ("ruleId", RuleId), ("timestamp", timestamp), ("transId", transId), ("triggerLevel", triggerLevel), ("unit", "%"),
        ("userId", "42"),
    ];

    private static (string, string)[] Without(string name, (string, string)[] fields) => fields.Where(f => f.Item1 != name).ToArray();

    private static (string, string)[] With(string name, string value, (string, string)[] fields) =>
        fields.Select(f => f.Item1 == name ? (name, value) : f).ToArray();

    private NormalizedAlert ParseOne(InboundRequest request) => SingleAlert(_parser.Parse(request));

    private Priority PriorityOf(NormalizedAlert alert) => _parser.DefaultMapping.Evaluate(alert.Fields).Priority;

    [Fact]
    public void Reads_a_threshold_alert()
    {
        var alert = ParseOne(Form(Threshold()));

        Assert.Equal(AlertAction.Trigger, alert.Action);
        Assert.Equal(CanonicalKey, alert.DedupKey);
        Assert.StartsWith("cms:", alert.EventId);
        Assert.Equal("CPU high: cpu_total $Average>=90, now 91.5% on web-7", alert.Title);
        Assert.Equal(new DateTime(2026, 2, 25, 6, 13, 20, DateTimeKind.Utc), alert.OccurredAt);
        Assert.Equal("instanceId=i-web7,userId=42", alert.Fields["dimensions"]);
        Assert.Equal("i-web7", alert.Fields["dimensions.instanceId"]);
        Assert.Equal("2分钟", alert.Fields["lastTime"]);
        Assert.Equal("t-1", alert.Fields["transId"]);
        Assert.Equal(Priority.Medium, PriorityOf(alert));
        Assert.Null(alert.ReferenceUrl);
    }

    [Fact]
    public void The_word_null_means_absent()
    {
        var alert = ParseOne(Form(Threshold(instanceName: "null")));
        Assert.False(alert.Fields.ContainsKey("instanceName"));
        Assert.False(alert.Fields.ContainsKey("preTriggerLevel"));
        Assert.False(alert.Fields.ContainsKey("regionId"));
        Assert.Equal("CPU high: cpu_total $Average>=90, now 91.5%", alert.Title);
    }

    [Theory]
    [InlineData("{userId=42, instanceId=i-web7}")]
    [InlineData("{instanceId=i-web7,userId=42}")]
    [InlineData(" { userId = 42 ,  instanceId = i-web7 } ")]
    [InlineData("""[{"userId":"42","instanceId":"i-web7"}]""")]
    [InlineData("""[{"instanceId":"i-web7"},{"userId":42}]""")]
    [InlineData("""[{"name":"userId","value":"42"},{"name":"instanceId","value":"i-web7"}]""")]
    [InlineData("""{"userId":"42","instanceId":"i-web7"}""")]
    public void Every_dimensions_shape_gives_the_same_dedup_key(string dimensions) =>
        Assert.Equal(CanonicalKey, ParseOne(Form(Threshold(dimensions: dimensions))).DedupKey);

    [Fact]
    public void Json_dimensions_in_a_json_body_give_the_same_dedup_key()
    {
        foreach (var dimensions in (string[])["""[{"userId":"42","instanceId":"i-web7"}]""", """{"instanceId":"i-web7","userId":42}""", "\"{userId=42, instanceId=i-web7}\""])
        {
            var fields = Threshold().Where(f => f.Item1 != "dimensions").ToDictionary(f => f.Item1, f => f.Item2);
            var json = JsonSerializer.Serialize(fields).TrimEnd('}') + ",\"dimensions\":" + dimensions + "}";
            Assert.Equal(CanonicalKey, ParseOne(Json(json)).DedupKey);
        }
    }

    [Fact]
    public void A_map_value_with_a_comma_stays_whole() =>
        Assert.Equal("rule-7c1d|cpu_total|device=/dev/vda1, x,instanceId=i-1",
            ParseOne(Form(Threshold(dimensions: "{instanceId=i-1, device=/dev/vda1, x}"))).DedupKey);

    [Fact]
    public void Missing_or_null_dimensions_still_give_a_key()
    {
        Assert.Equal("rule-7c1d|cpu_total|", ParseOne(Form(Without("dimensions", Threshold()))).DedupKey);
        Assert.Equal("rule-7c1d|cpu_total|", ParseOne(Form(Threshold(dimensions: "null"))).DedupKey);
        Assert.Equal("rule-7c1d|cpu_total|", ParseOne(Form(Threshold(dimensions: "{}"))).DedupKey);
        Assert.Equal("rule-7c1d|cpu_total|", ParseOne(Form(Threshold(dimensions: "[ ]"))).DedupKey);
        Assert.Equal("rule-7c1d|cpu_total|not a map", ParseOne(Form(Threshold(dimensions: "not a map"))).DedupKey);
    }

    [Fact]
    public void Without_a_rule_id_the_alert_name_keys_the_incident() =>
        Assert.Equal("CPU high|cpu_total|instanceId=i-web7,userId=42", ParseOne(Form(Without("ruleId", Threshold()))).DedupKey);

    [Theory]
    [InlineData("1772000000")]
    [InlineData("1772000000000")]
    public void Timestamps_in_seconds_and_milliseconds_are_the_same_time(string timestamp) =>
        Assert.Equal(new DateTime(2026, 2, 25, 6, 13, 20, DateTimeKind.Utc), ParseOne(Form(Threshold(timestamp: timestamp))).OccurredAt);

    [Theory]
    [InlineData("null")]
    [InlineData("soon")]
    public void An_unreadable_timestamp_is_no_reason_to_refuse(string timestamp) =>
        Assert.Null(ParseOne(Form(Threshold(timestamp: timestamp))).OccurredAt);

    [Theory]
    [InlineData("ALERT", AlertAction.Trigger, "ALERT")]
    [InlineData("alert", AlertAction.Trigger, "ALERT")]
    [InlineData("ALARM", AlertAction.Trigger, "ALERT")]
    [InlineData("INSUFFICIENT_DATA", AlertAction.Trigger, "INSUFFICIENT_DATA")]
    [InlineData("OK", AlertAction.Resolve, "OK")]
    [InlineData("ok", AlertAction.Resolve, "OK")]
    public void The_alert_state_decides_open_or_resolve(string alertState, AlertAction action, string normalized)
    {
        var alert = ParseOne(Form(Threshold(alertState: alertState)));
        Assert.Equal(action, alert.Action);
        Assert.Equal(normalized, alert.Fields["alertState"]);
    }

    [Fact]
    public void A_recovery_keys_the_same_incident_and_says_so()
    {
        var open = ParseOne(Form(Threshold()));
        var ok = ParseOne(Form(Threshold(alertState: "OK", triggerLevel: "OK", timestamp: "1772000300")));
        Assert.Equal(open.DedupKey, ok.DedupKey);
        Assert.Contains("back to normal", ok.Title);
    }

    [Theory]
    [InlineData("CRITICAL", Priority.Critical)]
    [InlineData("critical", Priority.Critical)]
    [InlineData("WARN", Priority.Medium)]
    [InlineData("INFO", Priority.Low)]
    [InlineData("OK", Priority.Medium)]
    public void Trigger_level_decides_the_priority(string triggerLevel, Priority expected)
    {
        var alert = ParseOne(Form(Threshold(triggerLevel: triggerLevel)));
        Assert.Equal(triggerLevel.ToUpperInvariant(), alert.Fields["triggerLevel"]);
        Assert.Equal(expected, PriorityOf(alert));
    }

    [Fact]
    public void Retries_of_one_callback_share_an_event_id_and_trans_id_is_ignored()
    {
        var first = ParseOne(Form(Threshold(transId: "t-1")));
        var retry = ParseOne(Form(Threshold(transId: "t-2")));
        var later = ParseOne(Form(Threshold(transId: "t-1", timestamp: "1772000060")));
        var worse = ParseOne(Form(Threshold(transId: "t-1", triggerLevel: "CRITICAL")));
        Assert.Equal(first.EventId, retry.EventId);
        Assert.NotEqual(first.EventId, later.EventId);
        Assert.NotEqual(first.EventId, worse.EventId);
        Assert.Matches("^cms:[0-9a-f]{32}$", first.EventId);
    }

    [Theory]
    [InlineData("alertState")]
    [InlineData("metricName")]
    public void A_missing_required_field_is_unprocessable(string field) =>
        Assert.Equal($"Field '{field}' is missing.", Invalid(_parser.Parse(Form(Without(field, Threshold()))), ProblemKind.Unprocessable).Problem);

    [Fact]
    public void A_rule_id_or_an_alert_name_is_required() =>
        Invalid(_parser.Parse(Form(Without("alertName", Without("ruleId", Threshold())))), ProblemKind.Unprocessable);

    [Fact]
    public void A_null_alert_state_is_missing() =>
        Invalid(_parser.Parse(Form(With("alertState", "null", Threshold()))), ProblemKind.Unprocessable);

    [Fact]
    public void Reads_a_threshold_alert_sent_as_json()
    {
        var json = JsonSerializer.Serialize(Threshold().ToDictionary(f => f.Item1, f => f.Item2));
        var alert = ParseOne(Json(json, "application/json; charset=UTF-8"));
        Assert.Equal(CanonicalKey, alert.DedupKey);
        Assert.Equal(ParseOne(Form(Threshold())).EventId, alert.EventId);
    }

    [Fact]
    public void Non_ascii_names_survive()
    {
        var alert = ParseOne(Form(With("alertName", "内存使用率告警", Threshold())));
        Assert.StartsWith("内存使用率告警: cpu_total", alert.Title);
    }

    private static string SystemEvent(string content = """{"state":"Stopped","resourceId":"i-9"}""", string level = "CRITICAL") => $$"""
        {"id":"evt-1","product":"ECS","resourceId":"acs:ecs:cn-hangzhou:1:instance/i-9","level":"{{level}}",
         "name":"Instance:StateChange","eventType":"StatusNotification","eventTime":"20260217T103516.475+0800",
         "regionId":"cn-hangzhou","instanceName":"gw-9","status":"Normal","ruleName":"r","userId":"1","content":{{content}}}
        """;

    [Fact]
    public void Reads_a_system_event()
    {
        var alert = ParseOne(Json(SystemEvent()));

        Assert.Equal(AlertAction.Trigger, alert.Action);
        Assert.Equal("evt-1", alert.DedupKey);
        Assert.Equal("evt-1", alert.EventId);
        Assert.Equal("ECS Instance:StateChange: gw-9", alert.Title);
        Assert.Equal(new DateTime(2026, 2, 17, 2, 35, 16, 475, DateTimeKind.Utc), alert.OccurredAt);
        Assert.Equal("Stopped", alert.Fields["content.state"]);
        Assert.Equal("CRITICAL", alert.Fields["triggerLevel"]);
        Assert.Equal(Priority.Critical, PriorityOf(alert));
    }

    [Fact]
    public void Event_content_may_be_a_json_string()
    {
        var alert = ParseOne(Json(SystemEvent(content: JsonSerializer.Serialize("""{"state":"Stopped","nested":{"a":1}}"""))));
        Assert.Equal("Stopped", alert.Fields["content.state"]);
        Assert.Equal("1", alert.Fields["content.nested.a"]);
        Assert.False(alert.Fields.ContainsKey("content"));
    }

    [Fact]
    public void Event_content_that_is_plain_text_is_kept_as_text() =>
        Assert.Equal("{half", ParseOne(Json(SystemEvent(content: "\"{half\""))).Fields["content"]);

    [Theory]
    [InlineData("warn", "WARN", Priority.Medium)]
    [InlineData("INFO", "INFO", Priority.Low)]
    public void Event_level_maps_like_trigger_level(string level, string normalized, Priority expected)
    {
        var alert = ParseOne(Json(SystemEvent(level: level)));
        Assert.Equal(normalized, alert.Fields["level"]);
        Assert.Equal(expected, PriorityOf(alert));
    }

    [Fact]
    public void An_event_title_degrades_when_parts_are_missing()
    {
        Assert.Equal("Alibaba Cloud StatusNotification", ParseOne(Json("""{"id":"e","eventType":"StatusNotification"}""")).Title);
        Assert.Equal("Alibaba Cloud event: r-1", ParseOne(Json("""{"id":"e","level":"INFO","resourceId":"r-1"}""")).Title);
    }

    [Fact]
    public void An_id_with_an_alert_state_is_a_threshold_alert() =>
        Assert.Equal(CanonicalKey, ParseOne(Form([.. Threshold(), ("id", "x"), ("level", "CRITICAL")])).DedupKey);

    [Theory]
    [InlineData("application/json", "{\"alertState\":", ProblemKind.Malformed)]
    [InlineData("application/json", "[]", ProblemKind.Unprocessable)]
    [InlineData("application/json", "{}", ProblemKind.Unprocessable)]
    [InlineData("application/xml", "<alert/>", ProblemKind.UnsupportedMediaType)]
    [InlineData(FormType, "", ProblemKind.Unprocessable)]
    [InlineData(null, "", ProblemKind.Unprocessable)]
    [InlineData(FormType, "alertState=%E4%BD", ProblemKind.Malformed)]
    [InlineData(FormType, "just some text", ProblemKind.Unprocessable)]
    public void Bad_bodies_are_refused_with_the_right_kind(string? contentType, string body, ProblemKind kind) =>
        Invalid(_parser.Parse(Raw(contentType, body)), kind);

    [Theory]
    [InlineData("GET")]
    [InlineData("HEAD")]
    public void Url_checks_are_ignored(string method) =>
        Assert.IsType<ParseResult.Ignored>(_parser.Parse(new InboundRequest(method, null, [new("token", "t")], ReadOnlyMemory<byte>.Empty)));

    [Fact]
    public void Huge_values_parse_and_the_title_stays_short()
    {
        var alert = ParseOne(Form(With("alertName", new string('名', 300_000), Threshold())));
        Assert.True(alert.Title.Length <= Incident.MaxTitleLength);
    }

    [Fact]
    public void Dimensions_that_are_deeply_nested_json_do_not_throw()
    {
        var deep = new string('[', 5_000) + new string(']', 5_000);
        Assert.IsType<ParseResult.Parsed>(_parser.Parse(Form(Threshold(dimensions: deep))));
    }

    [Fact]
    public void Describes_itself_for_the_editor()
    {
        Assert.Equal("alibaba-cloudmonitor", _parser.Kind);
        Assert.Equal(SignaturePolicy.None, _parser.Signatures);
        Assert.True(_parser.SendsRecoveries);
        Assert.Contains("triggerLevel", _parser.Fields);
        Assert.Contains("alertState", _parser.Fields);
    }
}
