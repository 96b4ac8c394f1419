using System.Text;
using System.Text.Json;
using Itoc360.Domain.Sources;

namespace Itoc360.Tests.Sources;

public class ContentTypesTests
{
    [Theory]
    [InlineData("application/x-www-form-urlencoded", "a=1", BodyFormat.Form)]
    [InlineData("application/x-www-form-urlencoded; charset=utf-8", "a=1", BodyFormat.Form)]
    [InlineData("Application/X-WWW-Form-UrlEncoded;Charset=UTF-8", "a=1", BodyFormat.Form)]
    [InlineData("application/json", "{}", BodyFormat.Json)]
    [InlineData("application/json; charset=utf-8", "{}", BodyFormat.Json)]
    [InlineData("TEXT/JSON", "{}", BodyFormat.Json)]
    [InlineData("application/vnd.vendor+json", "{}", BodyFormat.Json)]
    [InlineData("application/problem+json; v=2", "{}", BodyFormat.Json)]
    [InlineData("text/plain", "a=1", BodyFormat.Unsupported)]
    [InlineData("multipart/form-data; boundary=x", "--x", BodyFormat.Unsupported)]
    [InlineData("application/xml", "<a/>", BodyFormat.Unsupported)]
    [InlineData("+json", "{}", BodyFormat.Unsupported)]
    [InlineData("garbage", "{}", BodyFormat.Unsupported)]
    [InlineData(null, "{\"a\":1}", BodyFormat.Json)]
    [InlineData("", "  \r\n {\"a\":1}", BodyFormat.Json)]
    [InlineData(" ; charset=utf-8", "[1]", BodyFormat.Json)]
    [InlineData(null, "a=1&b=2", BodyFormat.Form)]
    [InlineData(null, "", BodyFormat.None)]
    [InlineData("application/json", "", BodyFormat.None)]
    [InlineData("text/plain", " \r\n", BodyFormat.None)]
    public void Classifies_by_media_type_or_by_sniffing(string? contentType, string body, BodyFormat expected) =>
        Assert.Equal(expected, ContentTypes.Classify(contentType, Encoding.UTF8.GetBytes(body)));

    [Fact]
    public void A_byte_order_mark_does_not_hide_json_from_sniffing() =>
        Assert.Equal(BodyFormat.Json, ContentTypes.Classify(null, [0xEF, 0xBB, 0xBF, (byte)'{', (byte)'}']));

    [Theory]
    [InlineData("Application/JSON; charset=UTF-8", "application/json")]
    [InlineData("  text/json  ", "text/json")]
    [InlineData(";", null)]
    [InlineData(null, null)]
    public void Media_type_drops_parameters_and_case(string? contentType, string? expected) =>
        Assert.Equal(expected, ContentTypes.MediaType(contentType));
}

public class FormBodyTests
{
    private static IReadOnlyList<KeyValuePair<string, string>> Parse(string body) => Parse(Encoding.UTF8.GetBytes(body));

    private static IReadOnlyList<KeyValuePair<string, string>> Parse(byte[] body)
    {
        Assert.True(FormBody.TryParse(body, out var pairs, out var problem), problem);
        return pairs;
    }

    [Fact]
    public void Decodes_plus_and_percent_escapes_in_order_keeping_duplicates()
    {
        var pairs = Parse("b=two+words&a=%3Cx%3E%26y%3Dz&b=again&empty=&flag");
        Assert.Equal(
        [
            new("b", "two words"), new("a", "<x>&y=z"), new("b", "again"), new("empty", ""), new("flag", ""),
        ], pairs);
    }

    [Fact]
    public void Percent_escapes_are_utf8()
    {
        var pairs = Parse("alertName=%E5%86%85%E5%AD%98%E4%BD%BF%E7%94%A8%E7%8E%87&lastTime=2%E5%88%86%E9%92%9F");
        Assert.Equal("内存使用率", pairs[0].Value);
        Assert.Equal("2分钟", pairs[1].Value);
    }

    [Fact]
    public void Unescaped_utf8_bytes_are_read_as_utf8() =>
        Assert.Equal("云监控", Parse(Encoding.UTF8.GetBytes("name=云监控"))[0].Value);

    [Theory]
    [InlineData("v=100%", "100%")]
    [InlineData("v=%zz", "%zz")]
    [InlineData("v=%4", "%4")]
    [InlineData("v=a%2", "a%2")]
    [InlineData("v=%41%", "A%")]
    public void A_percent_that_is_not_an_escape_is_kept(string body, string expected) =>
        Assert.Equal(expected, Assert.Single(Parse(body)).Value);

    [Theory]
    [InlineData("&&a=1&&")]
    [InlineData("a=1\r\n")]
    [InlineData("\uFEFFa=1")]
    public void Empty_segments_line_ends_and_a_byte_order_mark_are_skipped(string body) =>
        Assert.Equal(new KeyValuePair<string, string>("a", "1"), Assert.Single(Parse(body)));

    [Fact]
    public void Empty_body_has_no_pairs() => Assert.Empty(Parse(""));

    [Theory]
    [InlineData("a=%FF")]
    [InlineData("a=%C3%28")]
    [InlineData("%FF=1")]
    [InlineData("a=%ED%A0%80")]
    public void Escapes_that_are_not_utf8_are_refused(string body)
    {
        Assert.False(FormBody.TryParse(Encoding.ASCII.GetBytes(body), out var pairs, out var problem));
        Assert.Empty(pairs);
        Assert.Contains("UTF-8", problem);
    }

    [Fact]
    public void Raw_bytes_that_are_not_utf8_are_refused() =>
        Assert.False(FormBody.TryParse([(byte)'a', (byte)'=', 0xC0, 0xFF], out _, out _));

    [Fact]
    public void Query_strings_decode_the_same_way()
    {
        Assert.Equal([new("token", "a b"), new("x", "é")], FormBody.ParseQuery("?token=a+b&x=%C3%A9"));
        Assert.Empty(FormBody.ParseQuery(null));
        Assert.Empty(FormBody.ParseQuery("x=%FF"));
    }

    [Fact]
    public void Large_bodies_decode()
    {
        var value = new string('x', 1_000_000);
        Assert.Equal(value, Assert.Single(Parse("big=" + value)).Value);
    }
}

public class JsonFieldsTests
{
    private static Dictionary<string, string> Flatten(string json)
    {
        Assert.True(JsonFields.TryParseObject(Encoding.UTF8.GetBytes(json), "Body", out var document, out var problem), problem?.Problem);
        using (document)
        {
            var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            JsonFields.FlattenObject(document!.RootElement, fields);
            return fields;
        }
    }

    [Fact]
    public void Nested_values_get_dotted_names_and_text_values()
    {
        var fields = Flatten("""{"a":"x","n":12.50,"t":true,"f":false,"z":null,"o":{"p":{"q":"deep"}},"arr":[1,"two",{"k":"v"}],"e":{},"ea":[]}""");
        Assert.Equal(new Dictionary<string, string>
        {
            ["a"] = "x", ["n"] = "12.50", ["t"] = "true", ["f"] = "false", ["o.p.q"] = "deep",
            ["arr.0"] = "1", ["arr.1"] = "two", ["arr.2.k"] = "v",
        }, fields);
    }

    [Fact]
    public void Very_deep_values_are_kept_as_raw_json()
    {
        var json = "{\"a\":" + string.Concat(Enumerable.Repeat("{\"b\":", 40)) + "1" + new string('}', 41);
        var fields = Flatten(json);
        var (name, value) = Assert.Single(fields);
        Assert.Equal(JsonFields.MaxFlattenDepth, name.Split('.').Length);
        Assert.StartsWith("{\"b\":", value);
    }

    [Fact]
    public void A_lone_surrogate_escape_does_not_throw()
    {
        var fields = Flatten("""{"s":"\ud800x","\udc00":"v"}""");
        Assert.Equal(2, fields.Count);
    }

    [Theory]
    [InlineData("", ProblemKind.Malformed)]
    [InlineData("{", ProblemKind.Malformed)]
    [InlineData("{\"a\":}", ProblemKind.Malformed)]
    [InlineData("nope", ProblemKind.Malformed)]
    [InlineData("[1,2]", ProblemKind.Unprocessable)]
    [InlineData("\"text\"", ProblemKind.Unprocessable)]
    [InlineData("42", ProblemKind.Unprocessable)]
    [InlineData("null", ProblemKind.Unprocessable)]
    public void Text_that_is_not_a_json_object_says_why(string json, ProblemKind kind)
    {
        Assert.False(JsonFields.TryParseObject(json, "Body", out var document, out var problem));
        Assert.Null(document);
        Assert.Equal(kind, problem!.Kind);
        Assert.StartsWith("Body ", problem.Problem);
    }

    [Fact]
    public void Nesting_beyond_the_parser_limit_is_malformed()
    {
        var json = new string('[', 10_000) + new string(']', 10_000);
        Assert.False(JsonFields.TryParseObject(json, "Body", out _, out var problem));
        Assert.Equal(ProblemKind.Malformed, problem!.Kind);
    }

    [Fact]
    public void Invalid_utf8_is_malformed()
    {
        Assert.False(JsonFields.TryParseObject(new byte[] { (byte)'{', (byte)'"', 0xFF, (byte)'"', (byte)':', (byte)'1', (byte)'}' }, "Body", out _, out var problem));
        Assert.Equal(ProblemKind.Malformed, problem!.Kind);
    }

    [Fact]
    public void Property_lookup_prefers_the_exact_name_then_ignores_case()
    {
        using var document = JsonDocument.Parse("""{"msg":"lower","Msg":"upper","Other":1}""");
        Assert.True(JsonFields.TryGetProperty(document.RootElement, "Msg", out var exact));
        Assert.Equal("upper", exact.GetString());
        Assert.True(JsonFields.TryGetProperty(document.RootElement, "other", out var other));
        Assert.Equal("1", JsonFields.Text(other));
        Assert.False(JsonFields.TryGetProperty(document.RootElement, "missing", out _));
    }
}

public class VendorTimeTests
{
    private static DateTime Utc(int y, int mo, int d, int h, int mi, int s, int ms = 0) => new(y, mo, d, h, mi, s, ms, DateTimeKind.Utc);

    [Theory]
    [InlineData("Tue, 09 Aug 2022 16:51:20 +0000", 2022, 8, 9, 16, 51, 20)]
    [InlineData("Tue, 9 Aug 2022 16:51:20 +0000", 2022, 8, 9, 16, 51, 20)]
    [InlineData("09 Aug 2022 16:51:20 +0000", 2022, 8, 9, 16, 51, 20)]
    [InlineData("Tue, 09 Aug 2022 18:51:20 +0200", 2022, 8, 9, 16, 51, 20)]
    [InlineData("Tue, 09 Aug 2022 11:51:20 -0500", 2022, 8, 9, 16, 51, 20)]
    [InlineData("Tue, 09 Aug 2022 16:51:20 GMT", 2022, 8, 9, 16, 51, 20)]
    [InlineData("Tue, 09 Aug 2022 09:51:20 PDT", 2022, 8, 9, 16, 51, 20)]
    [InlineData("Tue, 09 Aug 2022 16:51 +0000", 2022, 8, 9, 16, 51, 0)]
    [InlineData("tue, 09 aug 2022 16:51:20 +0000", 2022, 8, 9, 16, 51, 20)]
    [InlineData("Tuesday, 09 August 2022 16:51:20 +0000", 2022, 8, 9, 16, 51, 20)]
    [InlineData("Tue, 09 Aug 22 16:51:20 +0000", 2022, 8, 9, 16, 51, 20)]
    [InlineData("Tue, 09 Aug 2022 16:51:20 +0000 (UTC)", 2022, 8, 9, 16, 51, 20)]
    [InlineData("Tue, 09 Aug 2022 16:51:20", 2022, 8, 9, 16, 51, 20)]
    [InlineData("2022-08-09T16:51:20Z", 2022, 8, 9, 16, 51, 20)]
    public void Rfc2822_dates_are_read_to_utc(string text, int y, int mo, int d, int h, int mi, int s)
    {
        var value = VendorTime.ParseRfc2822(text);
        Assert.Equal(Utc(y, mo, d, h, mi, s), value);
        Assert.Equal(DateTimeKind.Utc, value!.Value.Kind);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("yesterday")]
    [InlineData("Tue, 32 Aug 2022 16:51:20 +0000")]
    [InlineData("Tue, 29 Feb 2023 16:51:20 +0000")]
    [InlineData("Tue, 09 Foo 2022 16:51:20 +0000")]
    [InlineData("Tue, 09 Aug 2022 25:51:20 +0000")]
    [InlineData("Tue, 09 Aug 2022 16:51:20 +9999")]
    [InlineData("Mon, 01 Jan 0001 00:00:00 +1400")]
    public void Unreadable_rfc2822_dates_are_null(string? text) => Assert.Null(VendorTime.ParseRfc2822(text));

    [Fact]
    public void Long_text_is_not_parsed() => Assert.Null(VendorTime.ParseRfc2822(new string('1', 100_000)));

    [Theory]
    [InlineData("2026-11-20T08:15:02Z", 0)]
    [InlineData("2026-11-20T08:15:02.120Z", 120)]
    [InlineData("2026-11-20T09:15:02.120+01:00", 120)]
    [InlineData("2026-11-20T08:15:02.120", 120)]
    public void Iso8601_is_read_to_utc_with_optional_milliseconds(string text, int ms) =>
        Assert.Equal(Utc(2026, 11, 20, 8, 15, 2, ms), VendorTime.ParseIso8601(text));

    [Theory]
    [InlineData("1763630160")]
    [InlineData("1763630160000")]
    [InlineData(" 1763630160000 ")]
    [InlineData("1763630160.000")]
    public void Unix_time_in_seconds_or_milliseconds_is_decided_by_magnitude(string text) =>
        Assert.Equal(Utc(2025, 11, 20, 9, 16, 0), VendorTime.ParseUnix(text));

    [Theory]
    [InlineData("null")]
    [InlineData("-5")]
    [InlineData("0")]
    [InlineData("99999999999999999999999")]
    [InlineData("1e400")]
    [InlineData("abc")]
    public void Unreadable_unix_times_are_null(string text) => Assert.Null(VendorTime.ParseUnix(text));

    [Theory]
    [InlineData("20230217T103516.475+0800", 2023, 2, 17, 2, 35, 16, 475)]
    [InlineData("20230217T103516+0800", 2023, 2, 17, 2, 35, 16, 0)]
    [InlineData("20230217T103516.475+08:00", 2023, 2, 17, 2, 35, 16, 475)]
    [InlineData("20230217T023516.475Z", 2023, 2, 17, 2, 35, 16, 475)]
    [InlineData("20230217T023516", 2023, 2, 17, 2, 35, 16, 0)]
    [InlineData("2023-02-17T10:35:16.475+08:00", 2023, 2, 17, 2, 35, 16, 475)]
    public void Compact_event_times_are_read_to_utc(string text, int y, int mo, int d, int h, int mi, int s, int ms) =>
        Assert.Equal(Utc(y, mo, d, h, mi, s, ms), VendorTime.ParseCompact(text));

    [Theory]
    [InlineData("20231317T103516.475+0800")]
    [InlineData("2023021T103516")]
    [InlineData("soon")]
    public void Unreadable_compact_times_are_null(string text) => Assert.Null(VendorTime.ParseCompact(text));
}
