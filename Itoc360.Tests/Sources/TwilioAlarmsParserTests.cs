using Itoc360.Domain.Incidents;
using Itoc360.Domain.Sources;
using Itoc360.Domain.Sources.Parsers;
using static Itoc360.Tests.TestSupport.Requests;

namespace Itoc360.Tests.Sources;

public class TwilioAlarmsParserTests
{
    private const string AlarmSid = "AK11112222333344445555666677778888";

    private readonly TwilioAlarmsParser _parser = new();

    private static (string, string)[] Alarm(string timePeriod = "FIFTEEN_MINS", string log = "error", string dateFired = "Mon, 02 Mar 2026 10:20:30 +0000") =>
    [
        ("AccountSid", "ACbbbb"), ("AppMonitorTriggerSid", AlarmSid), ("CurrentValue", "12"),
        ("DateFired", dateFired), ("Description", "Calls failing"), ("ErrorCode", "13225"),
        ("IdempotencyToken", "ACbbbb-FIRES-" + AlarmSid + "-7"), ("Log", log), ("TimePeriod", timePeriod),
        ("TriggerValue", "5.000000"),
    ];

    private NormalizedAlert ParseOne(InboundRequest request) => SingleAlert(_parser.Parse(request));

    [Fact]
    public void Reads_a_form_alarm()
    {
        var alert = ParseOne(Form(Alarm()));

        Assert.Equal(AlertAction.Trigger, alert.Action);
        Assert.Equal(AlarmSid, alert.DedupKey);
        Assert.Equal("ACbbbb-FIRES-" + AlarmSid + "-7", alert.EventId);
        Assert.Equal("Calls failing (error 13225): 12 in 15 minutes, threshold 5", alert.Title);
        Assert.Equal("https://www.twilio.com/docs/api/errors/13225", alert.ReferenceUrl);
        Assert.Equal(new DateTime(2026, 3, 2, 10, 20, 30, DateTimeKind.Utc), alert.OccurredAt);
        Assert.Equal("FIFTEEN_MINS", alert.Fields["timeperiod"]);
        Assert.Equal("5.000000", alert.Fields["TriggerValue"]);
        Assert.Equal(Priority.High, _parser.DefaultMapping.Evaluate(alert.Fields).Priority);
    }

    [Fact]
    public void Reads_a_json_alarm_with_numbers()
    {
        var alert = ParseOne(Json($$$"""{"AppMonitorTriggerSid":"{{{AlarmSid}}}","CurrentValue":3,"TriggerValue":1.0,"TimePeriod":"ONE_HOUR","Log":"warning","Extra":{"a":true}}"""));
        Assert.Equal(AlarmSid, alert.DedupKey);
        Assert.Equal("3", alert.Fields["CurrentValue"]);
        Assert.Equal("true", alert.Fields["Extra.a"]);
        Assert.Equal(Priority.Medium, _parser.DefaultMapping.Evaluate(alert.Fields).Priority);
    }

    [Fact]
    public void Reads_an_alarm_sent_in_the_query_string_with_an_empty_body()
    {
        var alert = ParseOne(Query([("token", "s3cret"), .. Alarm(), ("bodySHA256", "abc")]));
        Assert.Equal(AlarmSid, alert.DedupKey);
        Assert.Equal("12", alert.Fields["CurrentValue"]);
        Assert.False(alert.Fields.ContainsKey("token"));
        Assert.False(alert.Fields.ContainsKey("bodySHA256"));
    }

    [Theory]
    [InlineData(FormType)]
    [InlineData("application/json")]
    [InlineData("text/plain")]
    public void An_empty_body_with_any_content_type_falls_back_to_the_query(string contentType)
    {
        var request = new InboundRequest("POST", contentType, Alarm().Select(a => new KeyValuePair<string, string>(a.Item1, a.Item2)).ToList(), ReadOnlyMemory<byte>.Empty);
        Assert.Equal(AlarmSid, ParseOne(request).DedupKey);
    }

    [Fact]
    public void Body_fields_win_over_query_fields()
    {
        var request = Form(("AppMonitorTriggerSid", AlarmSid), ("CurrentValue", "99")) with
        {
            Query = [new("CurrentValue", "1"), new("Description", "from query")],
        };
        var alert = ParseOne(request);
        Assert.Equal("99", alert.Fields["CurrentValue"]);
        Assert.Equal("from query", alert.Fields["Description"]);
    }

    [Theory]
    [InlineData("0", "error", Priority.High)]
    [InlineData("1", "warning", Priority.Medium)]
    [InlineData("ERROR", "error", Priority.High)]
    [InlineData("Warning", "warning", Priority.Medium)]
    [InlineData("7", "7", Priority.Medium)]
    public void Legacy_and_modern_log_values_are_normalized(string log, string normalized, Priority expected)
    {
        var alert = ParseOne(Form(Alarm(timePeriod: "daily", log: log)));
        Assert.Equal(normalized, alert.Fields["Log"]);
        Assert.Equal("daily", alert.Fields["TimePeriod"]);
        Assert.Equal(expected, _parser.DefaultMapping.Evaluate(alert.Fields).Priority);
    }

    [Theory]
    [InlineData("FIVE_MINS", Priority.Critical)]
    [InlineData("five_mins", Priority.Critical)]
    [InlineData("FIFTEEN_MINS", Priority.High)]
    [InlineData("ONE_HOUR", Priority.Medium)]
    [InlineData("TWELVE_HOURS", Priority.Low)]
    [InlineData("ONE_DAY", Priority.Low)]
    public void The_time_period_decides_before_the_log_level(string timePeriod, Priority expected) =>
        Assert.Equal(expected, _parser.DefaultMapping.Evaluate(ParseOne(Form(Alarm(timePeriod: timePeriod, log: "warning"))).Fields).Priority);

    [Fact]
    public void Without_period_or_log_the_default_is_medium() =>
        Assert.Equal(Priority.Medium, _parser.DefaultMapping.Evaluate(ParseOne(Form(("AppMonitorTriggerSid", AlarmSid))).Fields).Priority);

    [Theory]
    [InlineData("FIVE_MINS", "5 minutes")]
    [InlineData("FIFTEEN_MINS", "15 minutes")]
    [InlineData("ONE_HOUR", "1 hour")]
    [InlineData("TWELVE_HOURS", "12 hours")]
    [InlineData("ONE_DAY", "1 day")]
    [InlineData("daily", "a day")]
    [InlineData("monthly", "a month")]
    [InlineData("yearly", "a year")]
    [InlineData("TWO_WEEKS", "two weeks")]
    public void Periods_read_as_words(string timePeriod, string expected) =>
        Assert.EndsWith($"12 in {expected}, threshold 5", ParseOne(Form(Alarm(timePeriod: timePeriod))).Title);

    [Fact]
    public void The_title_degrades_when_parts_are_missing()
    {
        Assert.Equal("Twilio alarm", ParseOne(Form(("AppMonitorTriggerSid", AlarmSid))).Title);
        Assert.Equal("Twilio alarm (error 11200): threshold 1",
            ParseOne(Form(("AppMonitorTriggerSid", AlarmSid), ("ErrorCode", "11200"), ("TriggerValue", "1.0"))).Title);
        Assert.Equal("Errors: 4", ParseOne(Form(("AppMonitorTriggerSid", AlarmSid), ("Description", "Errors"), ("CurrentValue", "4"))).Title);
    }

    [Fact]
    public void Without_an_idempotency_token_there_is_no_event_id() =>
        Assert.Null(ParseOne(Form(("AppMonitorTriggerSid", AlarmSid))).EventId);

    [Theory]
    [InlineData("Tue, 09 Aug 2022 16:51:20 +0000", true)]
    [InlineData("9 Aug 2022 18:51:20 +0200", true)]
    [InlineData("last tuesday", false)]
    [InlineData("", false)]
    public void Date_fired_is_read_defensively(string dateFired, bool readable)
    {
        var alert = ParseOne(Form(Alarm(dateFired: dateFired)));
        Assert.Equal(readable ? new DateTime(2022, 8, 9, 16, 51, 20, DateTimeKind.Utc) : null, alert.OccurredAt);
    }

    [Fact]
    public void A_missing_alarm_sid_is_unprocessable()
    {
        var invalid = Invalid(_parser.Parse(Form(Alarm().Where(a => a.Item1 != "AppMonitorTriggerSid").ToArray())), ProblemKind.Unprocessable);
        Assert.Equal("Field 'AppMonitorTriggerSid' is missing.", invalid.Problem);
    }

    [Fact]
    public void An_empty_post_without_query_is_unprocessable() =>
        Invalid(_parser.Parse(Query([("token", "s3cret")])), ProblemKind.Unprocessable);

    [Theory]
    [InlineData("application/json", "{\"AppMonitorTriggerSid\":", ProblemKind.Malformed)]
    [InlineData("application/json", "[{\"AppMonitorTriggerSid\":\"AK1\"}]", ProblemKind.Unprocessable)]
    [InlineData(null, "[{\"AppMonitorTriggerSid\":\"AK1\"}]", ProblemKind.Unprocessable)]
    [InlineData("application/json", "{\"Description\":\"no sid\"}", ProblemKind.Unprocessable)]
    [InlineData("text/xml", "<AppMonitorTriggerSid>AK1</AppMonitorTriggerSid>", ProblemKind.UnsupportedMediaType)]
    [InlineData(FormType, "AppMonitorTriggerSid=%C0%AF", ProblemKind.Malformed)]
    public void Bad_bodies_are_refused_with_the_right_kind(string? contentType, string body, ProblemKind kind) =>
        Invalid(_parser.Parse(Raw(contentType, body)), kind);

    [Theory]
    [InlineData("GET")]
    [InlineData("HEAD")]
    public void Url_checks_are_ignored(string method) =>
        Assert.IsType<ParseResult.Ignored>(_parser.Parse(new InboundRequest(method, FormType, [], System.Text.Encoding.UTF8.GetBytes(FormText(Alarm())))));

    [Fact]
    public void Describes_itself_for_the_editor()
    {
        Assert.Equal("twilio-alarms", _parser.Kind);
        Assert.Equal(SignaturePolicy.WhenPresent, _parser.Signatures);
        Assert.False(_parser.SendsRecoveries);
        Assert.Contains("TimePeriod", _parser.Fields);
        Assert.Contains("Log", _parser.Fields);
    }
}
