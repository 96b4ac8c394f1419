using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Itoc360.Tests.TestSupport;
using Itoc360.Web.Features.Paging;
using Itoc360.Web.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Itoc360.Tests.Web.Paging;

/// <summary>Our Twilio REST client against a fake Twilio that speaks real HTTP on loopback.</summary>
public sealed class TwilioClientTests : IAsyncLifetime
{
    private FakeTwilio _twilio = null!;
    private readonly ConcurrentQueue<string> _logs = new();

    public async Task InitializeAsync() => _twilio = await FakeTwilio.StartAsync();

    public async Task DisposeAsync() => await _twilio.DisposeAsync();

    private TwilioClient Client(Action<TwilioOptions>? configure = null)
    {
        var options = new Itoc360Options
        {
            Twilio = new TwilioOptions
            {
                ApiBaseUrl = _twilio.BaseUrl,
                AccountSid = FakeTwilio.AccountSid,
                AuthToken = FakeTwilio.AuthToken,
                FromNumber = "+15005550006",
                RetryBaseDelay = TimeSpan.FromMilliseconds(20),
                MessagesPerSecondPerSender = 0,
            },
        };
        configure?.Invoke(options.Twilio);
        var services = new ServiceCollection();
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Trace).AddProvider(new CapturingLoggerProvider(_logs)));
        services.AddSingleton(Microsoft.Extensions.Options.Options.Create(options));
        services.AddTwilioClient(options);
        return services.BuildServiceProvider().GetRequiredService<TwilioClient>();
    }

    /// <summary>One request the fake answers before the measured ones, so that its first-request start-up does not count.</summary>
    private async Task WarmUpAsync()
    {
        await Client().SendMessageAsync(new TwilioMessage("+14155550199", "warm-up"), default);
        Assert.True(_twilio.Requests.TryDequeue(out _));
    }

    [Fact]
    public async Task An_sms_is_created_with_the_account_credentials_and_our_status_callback()
    {
        var result = await Client().SendMessageAsync(new TwilioMessage("+14155550100", "CRITICAL #42 Disk full", "https://oncall.example.com/twilio/sms/status"), default);

        var accepted = Assert.IsType<TwilioResult.Accepted>(result);
        Assert.StartsWith("SM", accepted.Sid);
        Assert.Equal("queued", accepted.Status);
        var request = Assert.Single(_twilio.Requests);
        Assert.Equal($"/2010-04-01/Accounts/{FakeTwilio.AccountSid}/Messages.json", request.Path);
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{FakeTwilio.AccountSid}:{FakeTwilio.AuthToken}")), request.Authorization);
        Assert.Equal("+14155550100", request["To"]);
        Assert.Equal("+15005550006", request["From"]);
        Assert.Equal("CRITICAL #42 Disk full", request["Body"]);
        Assert.Equal("https://oncall.example.com/twilio/sms/status", request["StatusCallback"]);
        Assert.DoesNotContain(_logs, l => l.Contains(FakeTwilio.AuthToken, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Rate_limits_and_unavailability_are_retried_until_twilio_takes_the_message()
    {
        _twilio.Script(new FakeTwilioAnswer(429, RetryAfterSeconds: 0), new FakeTwilioAnswer(503));
        var result = await Client().SendMessageAsync(new TwilioMessage("+14155550100", "hi"), default);
        Assert.IsType<TwilioResult.Accepted>(result);
        Assert.Equal(3, _twilio.Requests.Count);
    }

    [Fact]
    public async Task A_busy_twilio_after_every_retry_is_unavailable_not_uncertain()
    {
        _twilio.Script(Enumerable.Repeat(new FakeTwilioAnswer(503), 10).ToArray());
        var result = await Client(t => t.MaxRetries = 2).SendMessageAsync(new TwilioMessage("+14155550100", "hi"), default);
        Assert.Equal(503, Assert.IsType<TwilioResult.Unavailable>(result).HttpStatus);
        Assert.Equal(3, _twilio.Requests.Count);
    }

    [Fact]
    public async Task A_500_on_create_is_uncertain_and_never_sent_again()
    {
        _twilio.Script(new FakeTwilioAnswer(500));
        var result = await Client().SendMessageAsync(new TwilioMessage("+14155550100", "hi"), default);
        Assert.IsType<TwilioResult.Uncertain>(result);
        Assert.Single(_twilio.Requests);
    }

    [Fact]
    public async Task A_slow_answer_is_uncertain_and_never_sent_again()
    {
        await WarmUpAsync();
        _twilio.Script(new FakeTwilioAnswer(201, Delay: TimeSpan.FromSeconds(10)));
        var result = await Client(t => t.RequestTimeout = TimeSpan.FromSeconds(1)).SendMessageAsync(new TwilioMessage("+14155550100", "hi"), default);
        Assert.IsType<TwilioResult.Uncertain>(result);
        Assert.Single(_twilio.Requests);
    }

    [Fact]
    public async Task A_refusal_carries_twilios_error_code_and_is_not_retried()
    {
        _twilio.Script(new FakeTwilioAnswer(400, "{\"code\": 21211, \"message\": \"The 'To' number +1 is not a valid phone number.\", \"status\": 400}"));
        var result = await Client().SendMessageAsync(new TwilioMessage("+1", "hi"), default);
        var refused = Assert.IsType<TwilioResult.Refused>(result);
        Assert.Equal((400, 21211), (refused.HttpStatus, refused.ErrorCode));
        Assert.Contains("not a valid phone number", refused.Message);
        Assert.Single(_twilio.Requests);
    }

    [Fact]
    public async Task No_connection_at_all_is_unavailable()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var result = await Client(t => t.ApiBaseUrl = $"http://127.0.0.1:{port}").SendMessageAsync(new TwilioMessage("+14155550100", "hi"), default);
        Assert.IsType<TwilioResult.Unavailable>(result);
    }

    [Fact]
    public async Task A_messaging_service_replaces_the_from_number_and_an_api_key_replaces_the_auth_token()
    {
        var client = Client(t =>
        {
            t.MessagingServiceSid = "MG00000000000000000000000000000001";
            t.ApiKeySid = "SK00000000000000000000000000000001";
            t.ApiKeySecret = "api-key-secret";
        });
        await client.SendMessageAsync(new TwilioMessage("+14155550100", "hi"), default);
        var request = Assert.Single(_twilio.Requests);
        Assert.Equal("MG00000000000000000000000000000001", request["MessagingServiceSid"]);
        Assert.Null(request["From"]);
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("SK00000000000000000000000000000001:api-key-secret")), request.Authorization);
        Assert.Contains(FakeTwilio.AccountSid, request.Path);
    }

    [Fact]
    public async Task Whatsapp_goes_out_as_an_approved_template()
    {
        await Client().SendMessageAsync(new TwilioMessage("whatsapp:+4915100000000", null, null, "HX00000000000000000000000000000001", "{\"1\":\"#42\"}"), default);
        var request = Assert.Single(_twilio.Requests);
        Assert.Equal("whatsapp:+15005550006", request["From"]);
        Assert.Equal("HX00000000000000000000000000000001", request["ContentSid"]);
        Assert.Equal("{\"1\":\"#42\"}", request["ContentVariables"]);
        Assert.Null(request["Body"]);
    }

    [Fact]
    public async Task A_call_asks_for_answering_machine_detection_and_every_status_event()
    {
        var result = await Client().StartCallAsync(new TwilioCall("+14155550100", "https://oncall.example.com/twilio/voice/answer?n=1", "https://oncall.example.com/twilio/voice/status"), default);
        Assert.StartsWith("CA", Assert.IsType<TwilioResult.Accepted>(result).Sid);
        var request = Assert.Single(_twilio.Requests);
        Assert.EndsWith("/Calls.json", request.Path);
        Assert.Equal("https://oncall.example.com/twilio/voice/answer?n=1", request["Url"]);
        Assert.Equal("DetectMessageEnd", request["MachineDetection"]);
        Assert.Equal(["initiated", "ringing", "answered", "completed"], request.All("StatusCallbackEvent"));
    }

    [Fact]
    public async Task Without_an_account_nothing_is_sent()
    {
        var result = await Client(t => t.AccountSid = null).SendMessageAsync(new TwilioMessage("+14155550100", "hi"), default);
        Assert.IsType<TwilioResult.NotConfigured>(result);
        Assert.Empty(_twilio.Requests);
    }

    [Fact]
    public async Task Messages_from_one_sender_are_spaced_and_other_senders_do_not_wait()
    {
        // The pacer hands out turns: at 5 a second the third message from one number goes 400 ms after the first.
        var pacer = new SenderPacer();
        var started = System.Diagnostics.Stopwatch.StartNew();
        var turns = await Task.WhenAll(Enumerable.Range(0, 3).Select(async _ =>
        {
            await pacer.WaitTurnAsync("+15005550006", 5, default);
            return started.Elapsed;
        }));
        var other = System.Diagnostics.Stopwatch.StartNew();
        await pacer.WaitTurnAsync("+15005550007", 5, default);
        Array.Sort(turns);
        Assert.True(turns[2] >= TimeSpan.FromMilliseconds(395), $"the third turn came after {turns[2].TotalMilliseconds} ms");
        Assert.True(turns[1] >= TimeSpan.FromMilliseconds(195), $"the second turn came after {turns[1].TotalMilliseconds} ms");
        Assert.True(other.Elapsed < TimeSpan.FromMilliseconds(195), "another sender's first message waited for this one's");

        // And the client takes its turn: two messages at 5 a second reach Twilio in order, both sent.
        var client = Client(t => t.MessagesPerSecondPerSender = 5);
        await client.SendMessageAsync(new TwilioMessage("+14155550100", "one"), default);
        await client.SendMessageAsync(new TwilioMessage("+14155550100", "two"), default);
        Assert.Equal(["one", "two"], _twilio.Requests.Select(r => r["Body"]));
    }
}
