using System.Text;
using System.Text.Json;
using Itoc360.Domain.Incidents;
using Itoc360.Domain.Sources;
using Itoc360.Domain.Sources.Parsers;
using static Itoc360.Tests.TestSupport.Requests;

namespace Itoc360.Tests.Sources;

public class TwilioErrorsParserTests
{
    private const string Sid = "NOaaaabbbbccccddddeeeeffff00001111";

    private readonly TwilioErrorsParser _parser = new();

    private static string Payload(string errorCode = "11200", object? moreInfo = null, object? extra = null)
    {
        var payload = new Dictionary<string, object?>
        {
            ["resource_sid"] = "CAffff0000111122223333444455556666",
            ["service_sid"] = null,
            ["error_code"] = errorCode,
            ["more_info"] = moreInfo ?? new Dictionary<string, string> { ["Msg"] = "Upstream said 502", ["LogLevel"] = "ERROR" },
        };
        if (extra is not null)
        {
            payload["extra"] = extra;
        }

        return JsonSerializer.Serialize(payload);
    }

    private static (string, string)[] Event(string level = "ERROR", string? payload = null, string timestamp = "2026-03-04T05:06:07.089Z") =>
    [
        ("AccountSid", "ACaaaa"), ("Level", level), ("ParentAccountSid", ""), ("Payload", payload ?? Payload()),
        ("PayloadType", "application/json"), ("Sid", Sid), ("Timestamp", timestamp),
    ];

    private NormalizedAlert ParseOne(params (string, string)[] form) => SingleAlert(_parser.Parse(Form(form)));

    [Fact]
    public void Reads_a_debugger_event()
    {
        var alert = ParseOne(Event(level: "error"));

        Assert.Equal(AlertAction.Trigger, alert.Action);
        Assert.Equal(Sid, alert.DedupKey);
        Assert.Equal(Sid, alert.EventId);
        Assert.Equal("Twilio 11200: Upstream said 502", alert.Title);
        Assert.Equal("https://www.twilio.com/docs/api/errors/11200", alert.ReferenceUrl);
        Assert.Equal(new DateTime(2026, 3, 4, 5, 6, 7, 89, DateTimeKind.Utc), alert.OccurredAt);
        Assert.Equal("ERROR", alert.Fields["Level"]);
        Assert.Equal("11200", alert.Fields["ERROR_CODE"]);
        Assert.Equal("CAffff0000111122223333444455556666", alert.Fields["resource_sid"]);
        Assert.Equal("Upstream said 502", alert.Fields["more_info.Msg"]);
        Assert.Equal("ERROR", alert.Fields["more_info.LogLevel"]);
        Assert.Equal("", alert.Fields["ParentAccountSid"]);
        Assert.False(alert.Fields.ContainsKey("Payload"));
        Assert.False(alert.Fields.ContainsKey("service_sid"));
        Assert.IsType<Dictionary<string, string>>(alert.Fields);
        Assert.Equal(StringComparer.OrdinalIgnoreCase, ((Dictionary<string, string>)alert.Fields).Comparer);
    }

    [Fact]
    public void Unknown_form_and_payload_fields_are_kept()
    {
        var alert = ParseOne([.. Event(payload: Payload(extra: new { nested = new { a = 1 } })), ("NewTwilioField", "x")]);
        Assert.Equal("x", alert.Fields["NewTwilioField"]);
        Assert.Equal("1", alert.Fields["extra.nested.a"]);
    }

    [Fact]
    public void A_form_field_wins_over_a_payload_field_of_the_same_name()
    {
        var alert = ParseOne([.. Event(payload: Payload(extra: "payload")), ("extra", "form")]);
        Assert.Equal("form", alert.Fields["extra"]);
    }

    [Theory]
    [InlineData("ERROR", Priority.High)]
    [InlineData("error", Priority.High)]
    [InlineData(" WARNING ", Priority.Medium)]
    [InlineData("INFO", Priority.Low)]
    [InlineData("DEBUG", Priority.Low)]
    [InlineData("NOTICE", Priority.Medium)]
    public void Default_mapping_goes_by_level(string level, Priority expected)
    {
        var alert = ParseOne(Event(level: level));
        Assert.Equal(expected, _parser.DefaultMapping.Evaluate(alert.Fields).Priority);
    }

    [Fact]
    public void The_title_falls_back_to_lower_case_msg() =>
        Assert.Equal("Twilio 11200: lower", ParseOne(Event(payload: Payload(moreInfo: new { msg = "lower" }))).Title);

    [Fact]
    public void Without_a_message_the_title_names_the_level_and_resource()
    {
        var alert = ParseOne(Event(level: "warning", payload: Payload(moreInfo: new { })));
        Assert.Equal("Twilio 11200: WARNING on CAffff0000111122223333444455556666", alert.Title);
    }

    [Fact]
    public void Without_an_error_code_there_is_no_reference_link()
    {
        var alert = ParseOne(Event(payload: """{"more_info":{"Msg":"Something"}}"""));
        Assert.Equal("Twilio debugger event: Something", alert.Title);
        Assert.Null(alert.ReferenceUrl);
    }

    [Fact]
    public void A_numeric_error_code_is_read_as_text()
    {
        var alert = ParseOne(Event(payload: """{"error_code":30008,"more_info":{"Msg":"Unknown error"}}"""));
        Assert.Equal("30008", alert.Fields["error_code"]);
        Assert.Equal("https://www.twilio.com/docs/api/errors/30008", alert.ReferenceUrl);
    }

    [Fact]
    public void A_code_that_is_not_a_number_gets_no_link() =>
        Assert.Null(ParseOne(Event(payload: Payload(errorCode: "../../evil"))).ReferenceUrl);

    [Fact]
    public void Of_the_webhook_only_url_method_and_status_are_kept()
    {
        var alert = ParseOne(Event(payload: """
            {"error_code":"11200","webhook":{"type":"application/json","request":{"url":"https://x.test/v","method":"POST","headers":{"A":"b"}},
             "response":{"status_code":502,"headers":{},"body":"<html>huge</html>"}}}
            """));
        Assert.Equal("https://x.test/v", alert.Fields["webhook.request.url"]);
        Assert.Equal("POST", alert.Fields["webhook.request.method"]);
        Assert.Equal("502", alert.Fields["webhook.response.status_code"]);
        Assert.DoesNotContain(alert.Fields.Keys, k => k.Contains("body") || k.Contains("headers"));
    }

    [Fact]
    public void A_top_level_response_gives_the_same_status_field() =>
        Assert.Equal("404", ParseOne(Event(payload: """{"error_code":"11200","response":{"status_code":404,"body":"x"}}""")).Fields["webhook.response.status_code"]);

    [Theory]
    [InlineData("2026-03-04T05:06:07Z", 0)]
    [InlineData("2026-03-04T05:06:07.5Z", 500)]
    public void The_timestamp_may_have_milliseconds(string timestamp, int ms) =>
        Assert.Equal(new DateTime(2026, 3, 4, 5, 6, 7, ms, DateTimeKind.Utc), ParseOne(Event(timestamp: timestamp)).OccurredAt);

    [Fact]
    public void An_unreadable_timestamp_is_no_reason_to_refuse() =>
        Assert.Null(ParseOne(Event(timestamp: "not a time")).OccurredAt);

    [Theory]
    [InlineData("Sid")]
    [InlineData("Level")]
    [InlineData("Payload")]
    public void A_missing_required_field_is_unprocessable(string field)
    {
        var invalid = Invalid(_parser.Parse(Form(Event().Where(f => f.Item1 != field).ToArray())), ProblemKind.Unprocessable);
        Assert.Equal($"Field '{field}' is missing.", invalid.Problem);
    }

    [Fact]
    public void A_blank_required_field_counts_as_missing() =>
        Invalid(_parser.Parse(Form(Event().Select(f => f.Item1 == "Sid" ? ("Sid", "  ") : f).ToArray())), ProblemKind.Unprocessable);

    [Theory]
    [InlineData("{not json")]
    [InlineData("{\"error_code\":")]
    [InlineData("Payload")]
    public void A_payload_that_is_not_json_is_malformed(string payload)
    {
        var invalid = Invalid(_parser.Parse(Form(Event(payload: payload))), ProblemKind.Malformed);
        Assert.StartsWith("Field 'Payload' is not valid JSON", invalid.Problem);
    }

    [Theory]
    [InlineData("[1,2,3]")]
    [InlineData("\"text\"")]
    [InlineData("null")]
    public void A_payload_that_is_not_an_object_is_unprocessable(string payload) =>
        Invalid(_parser.Parse(Form(Event(payload: payload))), ProblemKind.Unprocessable);

    [Theory]
    [InlineData("application/json")]
    [InlineData("text/json; charset=utf-8")]
    [InlineData("text/plain")]
    [InlineData("multipart/form-data; boundary=x")]
    public void Only_form_bodies_are_read(string contentType) =>
        Invalid(_parser.Parse(Raw(contentType, FormText(Event()))), ProblemKind.UnsupportedMediaType);

    [Fact]
    public void A_json_body_without_content_type_is_unsupported() =>
        Invalid(_parser.Parse(Raw(null, """{"Sid":"NO1","Level":"ERROR","Payload":"{}"}""")), ProblemKind.UnsupportedMediaType);

    [Fact]
    public void A_form_body_without_content_type_is_read() =>
        Assert.Equal(Sid, SingleAlert(_parser.Parse(Raw(null, FormText(Event())))).DedupKey);

    [Theory]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData(null)]
    public void An_empty_body_is_unprocessable(string? contentType) =>
        Invalid(_parser.Parse(Raw(contentType, "")), ProblemKind.Unprocessable);

    [Fact]
    public void A_form_that_is_not_utf8_is_malformed() =>
        Invalid(_parser.Parse(Raw(FormType, Encoding.ASCII.GetBytes(FormText(Event()) + "&Extra=%FF%FE"))), ProblemKind.Malformed);

    [Fact]
    public void Garbage_bytes_are_refused_without_throwing()
    {
        var garbage = new byte[4096];
        new Random(11200).NextBytes(garbage);
        Assert.IsType<ParseResult.Invalid>(_parser.Parse(Raw(FormType, garbage)));
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("HEAD")]
    [InlineData("get")]
    public void Url_checks_are_ignored(string method)
    {
        var result = _parser.Parse(new InboundRequest(method, null, [], ReadOnlyMemory<byte>.Empty));
        Assert.Equal("URL check", Assert.IsType<ParseResult.Ignored>(result).Reason);
    }

    [Fact]
    public void Huge_values_parse_and_the_title_stays_short()
    {
        var huge = new string('m', 2_000_000);
        var alert = ParseOne(Event(payload: Payload(moreInfo: new { Msg = huge })));
        Assert.True(alert.Title.Length <= Incident.MaxTitleLength);
        Assert.EndsWith("…", alert.Title);
        Assert.Equal(huge, alert.Fields["more_info.Msg"]);
    }

    [Fact]
    public void Deeply_nested_more_info_is_flattened_to_a_limit()
    {
        var nested = string.Concat(Enumerable.Repeat("{\"x\":", 50)) + "\"bottom\"" + new string('}', 50);
        var alert = ParseOne(Event(payload: $$"""{"error_code":"11200","more_info":{{nested}}}"""));
        Assert.Contains(alert.Fields.Keys, k => k.StartsWith("more_info.x.x", StringComparison.Ordinal));
    }

    [Fact]
    public void Describes_itself_for_the_editor()
    {
        Assert.Equal("twilio-errors", _parser.Kind);
        Assert.Equal(SignaturePolicy.Required, _parser.Signatures);
        Assert.False(_parser.SendsRecoveries);
        Assert.Contains("Level", _parser.Fields);
        Assert.Contains("error_code", _parser.Fields);
        Assert.False(string.IsNullOrWhiteSpace(_parser.DisplayName));
    }
}
