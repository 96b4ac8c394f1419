using System.Text;
using Itoc360.Domain.Incidents;
using Itoc360.Domain.Sources;
using Itoc360.Tests.TestSupport;

namespace Itoc360.Tests.Sources;

/// <summary>Parsers never throw: garbage, truncated and mutated requests all come back as a result.</summary>
public class ParserRobustnessTests
{
    private static readonly string?[] ContentTypes =
    [
        null, "", Requests.FormType, "application/x-www-form-urlencoded; charset=UTF-8", "application/json",
        "application/cloudevents+json", "text/plain", ";;;", "application/json; charset=\"",
    ];

    private static readonly string[] TrickyValues =
    [
        "", " ", "null", "NULL", "%", "%%", "%FF", "+", "=", "&", "{", "}", "[", "]", "{}", "[]", "[{}]", "{=}", "{a=}", "{=b}",
        "\"", "\\", "\ud800", "\udc00", "\u0000", "-1", "0", "1e400", "9999999999999999999999999", "NaN", "Infinity",
        "{\"a\":", "[[[[[[[[", new string('{', 2_000), new string('x', 100_000), "名前", "\r\n", "\t",
        "Tue, 99 Foo 9999 99:99:99 +9999", "99999999T999999.999+9999",
    ];

    public static TheoryData<string> Kinds => new(SourceCatalog.Kinds.Order(StringComparer.Ordinal));

    public static TheoryData<string> FixtureIds => new(HttpFixture.All().Select(f => f.Id));

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Random_bytes_never_throw(string kind)
    {
        var parser = SourceCatalog.Get(kind);
        var random = new Random(kind.Length * 7919);
        for (var i = 0; i < 1_000; i++)
        {
            var body = new byte[random.Next(0, 300)];
            random.NextBytes(body);
            Check(parser, InboundRequest.Post(ContentTypes[i % ContentTypes.Length], body));
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Random_form_and_json_like_text_never_throws(string kind)
    {
        var parser = SourceCatalog.Get(kind);
        var random = new Random(kind.Length * 104729);
        const string alphabet = "{}[]\":,=&%+ abcAZ019\\.-_\r\nnul";
        string[] words = ["Sid", "Level", "Payload", "AppMonitorTriggerSid", "Log", "TimePeriod", "alertState", "ruleId",
            "metricName", "dimensions", "timestamp", "id", "level", "eventType", "content", "null", "OK", "ALERT"];
        for (var i = 0; i < 2_000; i++)
        {
            var text = new StringBuilder();
            var length = random.Next(0, 60);
            for (var j = 0; j < length; j++)
            {
                text.Append(random.Next(4) == 0 ? words[random.Next(words.Length)] : alphabet[random.Next(alphabet.Length)]);
            }

            Check(parser, InboundRequest.Post(ContentTypes[i % ContentTypes.Length], Encoding.UTF8.GetBytes(text.ToString())));
        }
    }

    [Theory]
    [MemberData(nameof(FixtureIds))]
    public void Truncated_and_mutated_fixtures_never_throw(string id)
    {
        var fixture = HttpFixture.Get(id);
        var parser = SourceCatalog.Get(fixture.Kind);
        var request = fixture.ToRequest();
        var body = fixture.Body;
        for (var cut = 0; cut <= body.Length; cut++)
        {
            Check(parser, request with { Method = "POST", Body = body[..cut] });
        }

        var random = new Random(id.Length * 31);
        for (var i = 0; i < 500 && body.Length > 0; i++)
        {
            var mutated = (byte[])body.Clone();
            for (var flips = random.Next(1, 6); flips > 0; flips--)
            {
                mutated[random.Next(mutated.Length)] = (byte)random.Next(256);
            }

            Check(parser, request with { Method = "POST", Body = mutated, ContentType = ContentTypes[i % ContentTypes.Length] });
        }
    }

    /// <summary>Each form field of a fixture, in turn, replaced by awkward values.</summary>
    [Theory]
    [MemberData(nameof(FixtureIds))]
    public void Awkward_field_values_never_throw(string id)
    {
        var fixture = HttpFixture.Get(id);
        var parser = SourceCatalog.Get(fixture.Kind);
        if (!FormBody.TryParse(fixture.Body, out var pairs, out _) || pairs.Count < 2)
        {
            return;
        }

        foreach (var name in pairs.Select(p => p.Key).Distinct())
        {
            foreach (var value in TrickyValues)
            {
                var form = Requests.FormText(pairs.Select(p => (p.Key, p.Key == name ? value : p.Value)).ToArray());
                Check(parser, fixture.ToRequest() with { Method = "POST", Body = Encoding.UTF8.GetBytes(form) });
            }
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Awkward_json_never_throws(string kind)
    {
        var parser = SourceCatalog.Get(kind);
        string[] bodies =
        [
            "[]", "[{}]", "{}", "null", "42", "\"text\"", "{\"a\":1,}", "{/*c*/}", "{\"id\":null,\"level\":null}",
            "{\"id\":\"x\",\"level\":\"CRITICAL\",\"content\":\"{\\\"a\\\":[1,{\\\"b\\\":null}]}\"}",
            "{\"id\":\"x\",\"eventType\":1,\"content\":{\"deep\":" + new string('[', 60) + new string(']', 60) + "}}",
            "{\"AppMonitorTriggerSid\":{\"nested\":true},\"Log\":[0],\"TimePeriod\":{}}",
            "{\"alertState\":[\"OK\"],\"ruleId\":{},\"metricName\":1.5,\"dimensions\":[[{\"a\":[1]}],\"k=v\",3,null]}",
            "{\"alertState\":\"OK\",\"ruleId\":\"r\",\"metricName\":\"m\",\"dimensions\":{\"a\":{\"b\":{\"c\":1}}},\"timestamp\":-1}",
            "{\"\ud800\":\"\udc00\",\"Sid\":\"\\ud800\",\"s\":\"\\udc00\\ud800\"}",
            "{\"AppMonitorTriggerSid\":\"AK1\\ud800\",\"Description\":\"\\udc00\",\"\\ud800\":\"x\"}",
            "{\"id\":\"x\\ud800\",\"level\":\"\\udc00\",\"content\":\"{\\\"\\\\ud800\\\":1}\"}",
            new string('[', 100_000),
            "{\"a\":" + new string('{', 63) + new string('}', 64),
            "\uFEFF{\"AppMonitorTriggerSid\":\"AK1\"}",
        ];
        foreach (var body in bodies)
        {
            foreach (var contentType in ContentTypes)
            {
                Check(parser, Requests.Raw(contentType, body));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Odd_methods_and_queries_never_throw(string kind)
    {
        var parser = SourceCatalog.Get(kind);
        foreach (var method in (string[])["", "PUT", "DELETE", "OPTIONS", "post", "GET", "head"])
        {
            Check(parser, new InboundRequest(method, null, [new("", ""), new("token", "t"), new("AppMonitorTriggerSid", " ")], ReadOnlyMemory<byte>.Empty));
        }
    }

    private static void Check(ISourceParser parser, InboundRequest request)
    {
        ParseResult result;
        try
        {
            result = parser.Parse(request);
        }
        catch (Exception ex)
        {
            Assert.Fail($"{parser.Kind} threw {ex.GetType().Name} ({ex.Message}) for {request.Method} '{request.ContentType}' body (base64) {Convert.ToBase64String(request.Body.Span)}");
            return;
        }

        switch (result)
        {
            case ParseResult.Invalid invalid:
                Assert.False(string.IsNullOrWhiteSpace(invalid.Problem));
                break;
            case ParseResult.Ignored ignored:
                Assert.False(string.IsNullOrWhiteSpace(ignored.Reason));
                break;
            case ParseResult.Parsed parsed:
                Assert.NotEmpty(parsed.Alerts);
                foreach (var alert in parsed.Alerts)
                {
                    Assert.False(string.IsNullOrWhiteSpace(alert.DedupKey));
                    Assert.False(string.IsNullOrWhiteSpace(alert.Title));
                    Assert.True(alert.Title.Length <= Incident.MaxTitleLength);
                    Assert.True(alert.OccurredAt is null || alert.OccurredAt.Value.Kind == DateTimeKind.Utc);
                    Assert.Equal(StringComparer.OrdinalIgnoreCase, Assert.IsType<Dictionary<string, string>>(alert.Fields).Comparer);
                    _ = parser.DefaultMapping.Evaluate(alert.Fields);
                    _ = alert.FieldsJson();
                }

                break;
            default:
                Assert.Fail($"Unexpected result {result}");
                break;
        }
    }
}
