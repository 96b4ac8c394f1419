using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Itoc360.Web.Hosting;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace Itoc360.Web.Features.Paging;

/// <summary>A message to create at Twilio: SMS (<see cref="Body"/>) or a WhatsApp template (<see cref="ContentSid"/>).</summary>
public sealed record TwilioMessage(string To, string? Body, string? StatusCallback = null, string? ContentSid = null, string? ContentVariablesJson = null)
{
    public bool IsWhatsApp => To.StartsWith("whatsapp:", StringComparison.OrdinalIgnoreCase);
}

/// <summary>An outgoing call: Twilio fetches <see cref="AnswerUrl"/> for TwiML when it is answered.</summary>
public sealed record TwilioCall(string To, string AnswerUrl, string? StatusCallback = null, bool DetectAnsweringMachine = true);

/// <summary>What became of a create request.</summary>
public abstract record TwilioResult
{
    private TwilioResult() { }

    /// <summary>Twilio took it (201): store the sid before anything else.</summary>
    public sealed record Accepted(string Sid, string? Status) : TwilioResult;

    /// <summary>Not carried out and safe to try again later (429/503 after every retry, or no connection at all).</summary>
    public sealed record Unavailable(int? HttpStatus, string Reason) : TwilioResult;

    /// <summary>Twilio may or may not have carried it out (a 500, a timeout, a dropped connection): never resend blindly.</summary>
    public sealed record Uncertain(string Reason) : TwilioResult;

    /// <summary>Twilio refused it (4xx: a bad number, an unverified sender, …); sending again will not help.</summary>
    public sealed record Refused(int HttpStatus, int? ErrorCode, string Message) : TwilioResult;

    /// <summary>No Twilio account is configured: paging is off.</summary>
    public sealed record NotConfigured : TwilioResult;
}

/// <summary>
/// The small part of Twilio's REST API we need (Messages and Calls), spoken over <see cref="HttpClient"/>
/// (the vendor SDK is not in our registry). 429 and 503 are retried with exponential backoff and jitter,
/// honouring Retry-After, by the resilience pipeline; nothing else is retried, because a create that
/// failed half-way may have been carried out, and a page sent twice at 3 a.m. is worse than one
/// marked uncertain while escalation carries on.
/// </summary>
public sealed class TwilioClient(HttpClient http, IOptions<Itoc360Options> options, SenderPacer pacer, ILogger<TwilioClient> logger)
{
    public const string HttpClientName = "twilio";

    private TwilioOptions Twilio => options.Value.Twilio;

    /// <summary>An account and a sender are configured (otherwise paging is off, and the UI says so).</summary>
    public bool IsConfigured =>
        !string.IsNullOrWhiteSpace(Twilio.AccountSid)
        && (!string.IsNullOrWhiteSpace(Twilio.AuthToken) || (!string.IsNullOrWhiteSpace(Twilio.ApiKeySid) && !string.IsNullOrWhiteSpace(Twilio.ApiKeySecret)))
        && (!string.IsNullOrWhiteSpace(Twilio.FromNumber) || !string.IsNullOrWhiteSpace(Twilio.MessagingServiceSid));

    public async Task<TwilioResult> SendMessageAsync(TwilioMessage message, CancellationToken ct)
    {
        if (!IsConfigured)
        {
            return new TwilioResult.NotConfigured();
        }

        var form = new List<KeyValuePair<string, string>> { new("To", message.To) };
        string? sender = null;
        if (message.IsWhatsApp || string.IsNullOrWhiteSpace(Twilio.MessagingServiceSid))
        {
            sender = message.IsWhatsApp && Twilio.FromNumber is { } from && !from.StartsWith("whatsapp:", StringComparison.OrdinalIgnoreCase)
                ? "whatsapp:" + from
                : Twilio.FromNumber;
            if (string.IsNullOrWhiteSpace(sender))
            {
                return new TwilioResult.NotConfigured();
            }

            form.Add(new("From", sender));
        }
        else
        {
            form.Add(new("MessagingServiceSid", Twilio.MessagingServiceSid!));
        }

        if (message.ContentSid is { } contentSid)
        {
            form.Add(new("ContentSid", contentSid));
            if (message.ContentVariablesJson is { } variables)
            {
                form.Add(new("ContentVariables", variables));
            }
        }
        else
        {
            form.Add(new("Body", message.Body ?? ""));
        }

        if (message.StatusCallback is { } callback)
        {
            form.Add(new("StatusCallback", callback));
        }

        if (sender is not null)
        {
            await pacer.WaitTurnAsync(sender, Twilio.MessagesPerSecondPerSender, ct);
        }

        return await CreateAsync("Messages.json", form, ct);
    }

    public async Task<TwilioResult> StartCallAsync(TwilioCall call, CancellationToken ct)
    {
        if (!IsConfigured || string.IsNullOrWhiteSpace(Twilio.FromNumber))
        {
            return new TwilioResult.NotConfigured();
        }

        var form = new List<KeyValuePair<string, string>>
        {
            new("To", call.To),
            new("From", Twilio.FromNumber),
            new("Url", call.AnswerUrl),
        };
        if (call.StatusCallback is { } callback)
        {
            form.Add(new("StatusCallback", callback));
            foreach (var e in new[] { "initiated", "ringing", "answered", "completed" })
            {
                form.Add(new("StatusCallbackEvent", e));
            }
        }

        if (call.DetectAnsweringMachine)
        {
            // Waits for the greeting to end, so that a voicemail is told apart from a person before the menu plays.
            form.Add(new("MachineDetection", "DetectMessageEnd"));
        }

        return await CreateAsync("Calls.json", form, ct);
    }

    /// <summary>
    /// What Twilio charged for a message or call (its resource's <c>price</c>, reported negative, and
    /// <c>price_unit</c>); null while Twilio has not priced it yet, or when it cannot be read.
    /// </summary>
    public async Task<(decimal Price, string? Unit)?> FetchPriceAsync(string sid, CancellationToken ct)
    {
        if (!IsConfigured || sid.Length < 2 || !sid.All(char.IsAsciiLetterOrDigit))
        {
            return null;
        }

        var resource = sid.StartsWith("CA", StringComparison.Ordinal) ? "Calls" : "Messages";
        var path = $"2010-04-01/Accounts/{Uri.EscapeDataString(Twilio.AccountSid!)}/{resource}/{sid}.json";
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(BaseUri(), path));
        request.Headers.Authorization = Credentials();
        try
        {
            using var response = await http.SendAsync(request, ct);
            if (!response.IsSuccessStatusCode)
            {
                return null;
            }

            using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
            var price = Str(doc.RootElement, "price");
            return decimal.TryParse(price, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value)
                ? (Math.Abs(value), Str(doc.RootElement, "price_unit"))
                : null;
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or TaskCanceledException or Polly.Timeout.TimeoutRejectedException && !ct.IsCancellationRequested)
        {
            return null;
        }
    }

    private async Task<TwilioResult> CreateAsync(string resource, List<KeyValuePair<string, string>> form, CancellationToken ct)
    {
        var path = $"2010-04-01/Accounts/{Uri.EscapeDataString(Twilio.AccountSid!)}/{resource}";
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(BaseUri(), path)) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Authorization = Credentials();
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, ct);
        }
        catch (HttpRequestException ex) when (ex.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError)
        {
            return new TwilioResult.Unavailable(null, "Twilio could not be reached.");
        }
        catch (HttpRequestException ex)
        {
            logger.LogWarning("Twilio {Resource}: the connection failed after the request was sent ({Error}).", resource, ex.HttpRequestError);
            return new TwilioResult.Uncertain("The connection to Twilio failed after the request was sent.");
        }
        catch (Exception ex) when (ex is TaskCanceledException or TimeoutException or Polly.Timeout.TimeoutRejectedException && !ct.IsCancellationRequested)
        {
            return new TwilioResult.Uncertain("Twilio did not answer in time.");
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                var (sid, state) = ReadCreated(text);
                return sid is null ? new TwilioResult.Uncertain("Twilio answered without a sid.") : new TwilioResult.Accepted(sid, state);
            }

            var (code, message) = ReadError(text);
            logger.LogWarning("Twilio {Resource} answered {Status} (error {Code}).", resource, status, code);
            return response.StatusCode switch
            {
                HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable => new TwilioResult.Unavailable(status, message ?? "Twilio is busy."),
                >= HttpStatusCode.InternalServerError => new TwilioResult.Uncertain($"Twilio answered {status}."),
                _ => new TwilioResult.Refused(status, code, message ?? $"Twilio answered {status}."),
            };
        }
    }

    private Uri BaseUri()
    {
        var baseUrl = Twilio.ApiBaseUrl.EndsWith('/') ? Twilio.ApiBaseUrl : Twilio.ApiBaseUrl + "/";
        return new Uri(baseUrl, UriKind.Absolute);
    }

    /// <summary>An API key pair when configured (revocable on its own), else the account's auth token.</summary>
    private AuthenticationHeaderValue Credentials()
    {
        var (user, secret) = !string.IsNullOrWhiteSpace(Twilio.ApiKeySid) && !string.IsNullOrWhiteSpace(Twilio.ApiKeySecret)
            ? (Twilio.ApiKeySid, Twilio.ApiKeySecret)
            : (Twilio.AccountSid!, Twilio.AuthToken ?? "");
        return new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{secret}")));
    }

    private static (string? Sid, string? Status) ReadCreated(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            return (Str(root, "sid"), Str(root, "status"));
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }

    private static (int? Code, string? Message) ReadError(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            int? code = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("code", out var c) && c.TryGetInt32(out var n) ? n : null;
            return (code, Str(root, "message"));
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }

    private static string? Str(JsonElement root, string name) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

/// <summary>
/// Spaces messages from one sender number (a long code takes about one a second; faster sends are
/// queued or filtered by carriers). Real time, not the app's clock: this is about the wire.
/// </summary>
public sealed class SenderPacer
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, long> _nextSlot = new(StringComparer.OrdinalIgnoreCase);

    public async Task WaitTurnAsync(string sender, double perSecond, CancellationToken ct)
    {
        if (perSecond <= 0)
        {
            return;
        }

        var interval = (long)(System.Diagnostics.Stopwatch.Frequency / perSecond);
        long slot;
        var now = System.Diagnostics.Stopwatch.GetTimestamp();
        lock (_gate)
        {
            slot = Math.Max(now, _nextSlot.GetValueOrDefault(sender));
            _nextSlot[sender] = slot + interval;
        }

        var wait = System.Diagnostics.Stopwatch.GetElapsedTime(now, slot);
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, ct);
        }
    }
}

public static class TwilioHosting
{
    public static IServiceCollection AddTwilioClient(this IServiceCollection services, Itoc360Options options)
    {
        services.AddSingleton<SenderPacer>();
        services.AddHttpClient<TwilioClient>(TwilioClient.HttpClientName)
            .ConfigureHttpClient(c => c.Timeout = Timeout.InfiniteTimeSpan)
            .AddHttpMessageHandler(() => new ResilienceHandler(CreatePipeline(options.Twilio)));
        return services;
    }

    /// <summary>
    /// Retry only what Twilio says it did not do: 429 (rate limited) and 503 (unavailable), with exponential
    /// backoff and jitter, honouring Retry-After; each attempt has its own timeout. Built here rather than from
    /// the container so that the waits run on real time, not on the app's (possibly test) clock.
    /// </summary>
    internal static ResiliencePipeline<HttpResponseMessage> CreatePipeline(TwilioOptions twilio) =>
        new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = Math.Max(0, twilio.MaxRetries),
                Delay = twilio.RetryBaseDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldRetryAfterHeader = true,
                ShouldHandle = args => ValueTask.FromResult(
                    args.Outcome.Result?.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable),
            })
            .AddTimeout(twilio.RequestTimeout)
            .Build();
}
