using System.Security.Cryptography;
using System.Text;
using Itoc360.Domain.Sources;

namespace Itoc360.Tests.Domain;

public class TwilioSignatureTests
{
    private const string Token = "12345";

    // The test vectors from SOURCES.md ("Twilio request signatures"), verbatim.
    private static readonly KeyValuePair<string, string>[] Example10 =
    [
        new("CallSid", "CA1234567890ABCDE"),
        new("Caller", "+14158675310"),
        new("Digits", "1234"),
        new("From", "+14158675310"),
        new("To", "+18005551212"),
    ];

    private static readonly KeyValuePair<string, string>[] Example09 =
    [
        new("CallSid", "CA1234567890ABCDE"),
        new("Caller", "+14158675309"),
        new("Digits", "1234"),
        new("From", "+14158675309"),
        new("To", "+18005551212"),
    ];

    private const string ExampleUrl = "https://example.com/myapp.php?foo=1&bar=2";
    private const string CompanyUrl = "https://mycompany.com/myapp.php?foo=1&bar=2";
    private const string CompanyUrlWithPort = "https://mycompany.com:443/myapp.php?foo=1&bar=2";

    public static TheoryData<string, KeyValuePair<string, string>[], string> Vectors => new()
    {
        { ExampleUrl, Example10, "L/OH5YylLD5NRKLltdqwSvS0BnU=" },
        { CompanyUrl, Example09, "RSOYDt4T1cUTdK1PDd93/VVr8B8=" },
        { CompanyUrlWithPort, Example09, "kvajT1Ptam85bY51eRf/AJRuM3w=" },
    };

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Compute_matches_the_documented_vectors(string url, KeyValuePair<string, string>[] parameters, string expected)
    {
        Assert.Equal(expected, TwilioSignature.Compute(Token, url, parameters));
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Compute_does_not_depend_on_the_order_parameters_arrive_in(string url, KeyValuePair<string, string>[] parameters, string expected)
    {
        Assert.Equal(expected, TwilioSignature.Compute(Token, url, parameters.Reverse()));
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void The_documented_vectors_are_valid(string url, KeyValuePair<string, string>[] parameters, string signature)
    {
        Assert.True(Form(signature, url, parameters, Token));
    }

    [Fact]
    public void A_signature_made_with_the_port_is_accepted_at_the_url_without_it()
    {
        Assert.True(Form("kvajT1Ptam85bY51eRf/AJRuM3w=", CompanyUrl, Example09, Token));
    }

    [Fact]
    public void A_signature_made_without_the_port_is_accepted_at_the_url_with_it()
    {
        Assert.True(Form("RSOYDt4T1cUTdK1PDd93/VVr8B8=", CompanyUrlWithPort, Example09, Token));
    }

    [Fact]
    public void A_non_default_explicit_port_is_also_tried_without_it()
    {
        var signature = TwilioSignature.Compute(Token, "https://console.example.com/hooks/src?token=t", Example09);

        Assert.True(Form(signature, "https://console.example.com:8443/hooks/src?token=t", Example09, Token));
    }

    [Fact]
    public void Plain_http_urls_try_port_80()
    {
        var signature = TwilioSignature.Compute(Token, "http://console.example.com:80/hooks/src", Example09);

        Assert.True(Form(signature, "http://console.example.com/hooks/src", Example09, Token));
        Assert.False(Form(signature, "http://console.example.com:8080/hooks/src", Example09, Token));
    }

    [Fact]
    public void The_wrong_port_is_not_accepted()
    {
        var signature = TwilioSignature.Compute(Token, "https://mycompany.com:8443/myapp.php?foo=1&bar=2", Example09);

        Assert.False(Form(signature, CompanyUrlWithPort, Example09, Token));
    }

    [Fact]
    public void The_alternate_token_is_accepted()
    {
        Assert.True(Form("RSOYDt4T1cUTdK1PDd93/VVr8B8=", CompanyUrl, Example09, "new-primary-token", Token));
    }

    [Fact]
    public void Empty_tokens_are_skipped_and_no_token_means_invalid()
    {
        Assert.True(Form("RSOYDt4T1cUTdK1PDd93/VVr8B8=", CompanyUrl, Example09, "", null!, Token));
        Assert.False(Form("RSOYDt4T1cUTdK1PDd93/VVr8B8=", CompanyUrl, Example09, "", null!));
        Assert.False(Form("RSOYDt4T1cUTdK1PDd93/VVr8B8=", CompanyUrl, Example09));
        Assert.False(Form("RSOYDt4T1cUTdK1PDd93/VVr8B8=", CompanyUrl, Example09, "54321"));
    }

    [Fact]
    public void Parameters_are_sorted_by_name_ordinally_not_by_culture()
    {
        // Ordinal: "B" (0x42) sorts before "a" (0x61); a culture-aware sort puts "a" first.
        KeyValuePair<string, string>[] parameters = [new("a", "1"), new("B", "2")];
        const string url = "https://example.com/hook";
        var ordinal = HmacBase64(Token, url + "B2" + "a1");
        var cultural = HmacBase64(Token, url + "a1" + "B2");

        Assert.Equal(ordinal, TwilioSignature.Compute(Token, url, parameters));
        Assert.True(Form(ordinal, url, parameters, Token));
        Assert.False(Form(cultural, url, parameters, Token));
    }

    [Fact]
    public void Repeated_names_are_ordered_by_value_ordinally()
    {
        KeyValuePair<string, string>[] parameters = [new("StatusCallbackEvent", "ringing"), new("StatusCallbackEvent", "answered"), new("StatusCallbackEvent", "Zulu")];
        const string url = "https://example.com/hook";
        var expected = HmacBase64(Token, url + "StatusCallbackEventZulu" + "StatusCallbackEventanswered" + "StatusCallbackEventringing");

        Assert.Equal(expected, TwilioSignature.Compute(Token, url, parameters));
        Assert.Equal(expected, TwilioSignature.Compute(Token, url, parameters.Reverse()));
    }

    [Fact]
    public void Non_ascii_values_are_signed_as_utf8()
    {
        KeyValuePair<string, string>[] parameters = [new("Body", "Ack ✓ élan 告警")];
        const string url = "https://example.com/twilio/sms/inbound";

        Assert.Equal(HmacBase64(Token, url + "BodyAck ✓ élan 告警"), TwilioSignature.Compute(Token, url, parameters));
    }

    [Fact]
    public void A_json_body_is_checked_by_its_hash_and_the_url_alone_is_signed()
    {
        var body = """{"AccountSid":"AC123","Description":"Errors over threshold"}"""u8.ToArray();
        var url = $"https://example.com/hooks/src?token=t&bodySHA256={Convert.ToHexStringLower(SHA256.HashData(body))}";
        var signature = HmacBase64(Token, url);

        Assert.True(TwilioSignature.IsValid(signature, url, [], body, bodyIsJson: true, [Token]));
        // Form parameters play no part for a JSON body.
        Assert.True(TwilioSignature.IsValid(signature, url, [new("Ignored", "x")], body, bodyIsJson: true, [Token]));
    }

    [Fact]
    public void A_json_body_hash_is_compared_without_regard_to_case()
    {
        var body = """{"a":1}"""u8.ToArray();
        var url = $"https://example.com/hooks/src?bodySHA256={Convert.ToHexString(SHA256.HashData(body))}";

        Assert.True(TwilioSignature.IsValid(HmacBase64(Token, url), url, [], body, bodyIsJson: true, [Token]));
    }

    [Fact]
    public void A_tampered_json_body_is_rejected_even_with_a_good_url_signature()
    {
        var body = """{"AccountSid":"AC123","CurrentValue":"5"}"""u8.ToArray();
        var url = $"https://example.com/hooks/src?bodySHA256={Convert.ToHexStringLower(SHA256.HashData(body))}";
        var signature = HmacBase64(Token, url);
        var tampered = """{"AccountSid":"AC123","CurrentValue":"9"}"""u8.ToArray();

        Assert.False(TwilioSignature.IsValid(signature, url, [], tampered, bodyIsJson: true, [Token]));
    }

    [Fact]
    public void A_json_body_without_a_body_hash_in_the_url_is_rejected()
    {
        var body = """{"a":1}"""u8.ToArray();
        const string url = "https://example.com/hooks/src?token=t";

        Assert.False(TwilioSignature.IsValid(HmacBase64(Token, url), url, [], body, bodyIsJson: true, [Token]));
        Assert.False(TwilioSignature.IsValid(HmacBase64(Token, url + "&bodySHA256=zz"), url + "&bodySHA256=zz", [], body, bodyIsJson: true, [Token]));
    }

    [Fact]
    public void A_json_body_signature_is_accepted_with_and_without_the_port()
    {
        var body = """{"a":1}"""u8.ToArray();
        var pathAndQuery = $"/hooks/src?bodySHA256={Convert.ToHexStringLower(SHA256.HashData(body))}";
        var signature = HmacBase64(Token, "https://example.com:443" + pathAndQuery);

        Assert.True(TwilioSignature.IsValid(signature, "https://example.com" + pathAndQuery, [], body, bodyIsJson: true, [Token]));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("not base64 at all!")]
    [InlineData("L/OH5YylLD5NRKLltdqwSvS0BnU")] // truncated: not valid base64
    [InlineData("AAAA")] // valid base64, wrong length
    [InlineData("L/OH5YylLD5NRKLltdqwSvS0BnA=")] // one character changed
    [InlineData("L/OH5YylLD5NRKLltdqwSvS0BnV=")] // same bytes, non-canonical padding bits
    [InlineData("M/OH5YylLD5NRKLltdqwSvS0BnU=")] // forged
    [InlineData("L/OH5YylLD5NRKLltdqwSvS0BnU=L/OH5YylLD5NRKLltdqwSvS0BnU=L/OH5YylLD5NRKLltdqwSvS0BnU=")]
    public void Forged_or_garbled_headers_are_rejected_without_throwing(string? header)
    {
        Assert.False(Form(header, ExampleUrl, Example10, Token));
    }

    [Fact]
    public void Garbled_urls_are_rejected_without_throwing()
    {
        const string signature = "L/OH5YylLD5NRKLltdqwSvS0BnU=";

        Assert.False(Form(signature, "", Example10, Token));
        Assert.False(Form(signature, "://", Example10, Token));
        Assert.False(Form(signature, "https://[::1/x?%zz", Example10, Token));
        Assert.False(TwilioSignature.IsValid(signature, "https://x/?bodySHA256=%zz", [], [], bodyIsJson: true, [Token]));
    }

    [Fact]
    public void A_changed_parameter_value_is_rejected()
    {
        KeyValuePair<string, string>[] changed = [.. Example10.Select(p => p.Key == "Digits" ? new KeyValuePair<string, string>("Digits", "9") : p)];

        Assert.False(Form("L/OH5YylLD5NRKLltdqwSvS0BnU=", ExampleUrl, changed, Token));
    }

    [Fact]
    public void A_trailing_slash_changes_the_signature()
    {
        const string signed = "https://example.com/hooks/src";
        var signature = TwilioSignature.Compute(Token, signed, Example10);

        Assert.True(Form(signature, signed, Example10, Token));
        Assert.False(Form(signature, signed + "/", Example10, Token));
    }

    [Theory]
    [InlineData("https://mycompany.com/myapp.php?foo=1", "https://mycompany.com:443/myapp.php?foo=1")]
    [InlineData("https://mycompany.com:443/myapp.php?foo=1", "https://mycompany.com/myapp.php?foo=1")]
    [InlineData("http://mycompany.com", "http://mycompany.com:80")]
    [InlineData("http://mycompany.com?x=a:1", "http://mycompany.com:80?x=a:1")]
    [InlineData("https://user:pw@mycompany.com/x", "https://user:pw@mycompany.com:443/x")]
    [InlineData("https://[2001:db8::1]/x", "https://[2001:db8::1]:443/x")]
    [InlineData("https://[2001:db8::1]:8443/x", "https://[2001:db8::1]/x")]
    [InlineData("ftp://mycompany.com/x", null)]
    [InlineData("https://mycompany.com:abc/x", null)]
    [InlineData("not a url", null)]
    public void The_alternate_port_form_flips_only_the_port(string url, string? expected)
    {
        Assert.Equal(expected, TwilioSignature.AlternatePortForm(url));
    }

    private static bool Form(string? header, string url, IReadOnlyList<KeyValuePair<string, string>> parameters, params string[] tokens) =>
        TwilioSignature.IsValid(header, url, parameters, ReadOnlySpan<byte>.Empty, bodyIsJson: false, tokens);

    /// <summary>An independent HMAC-SHA1 of text already laid out by hand.</summary>
    private static string HmacBase64(string token, string data) =>
        Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(token), Encoding.UTF8.GetBytes(data)));
}
