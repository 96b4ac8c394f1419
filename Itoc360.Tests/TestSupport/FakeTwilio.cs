using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Itoc360.Domain.Sources;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Itoc360.Tests.TestSupport;

/// <summary>A request the fake received.</summary>
public sealed record FakeTwilioRequest(string Path, string? Authorization, IReadOnlyList<KeyValuePair<string, string>> Form, TimeSpan At)
{
    public string? this[string name] => Form.FirstOrDefault(p => p.Key == name).Value;

    public IEnumerable<string> All(string name) => Form.Where(p => p.Key == name).Select(p => p.Value);
}

/// <summary>A scripted answer: a status, an optional Retry-After, a JSON body and an optional delay before answering.</summary>
public sealed record FakeTwilioAnswer(int Status, string? Body = null, int? RetryAfterSeconds = null, TimeSpan? Delay = null);

/// <summary>
/// Twilio's REST API as a real HTTP server on loopback: records every create (Messages, Calls), answers
/// 201 with a new sid unless a scripted answer is queued (429, 503, 500, 4xx, slow), and posts status
/// callbacks signed the way Twilio signs them.
/// </summary>
public sealed class FakeTwilio : IAsyncDisposable
{
    public const string AccountSid = "AC00000000000000000000000000000001";
    public const string AuthToken = "fake-twilio-auth-token-0123456789";

    private readonly WebApplication _app;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly ConcurrentQueue<FakeTwilioAnswer> _script = new();
    private int _sequence;

    private FakeTwilio(WebApplication app) => _app = app;

    public ConcurrentQueue<FakeTwilioRequest> Requests { get; } = new();

    public string BaseUrl { get; private set; } = "";

    /// <summary>What a message costs when asked for its price later.</summary>
    public string MessagePrice { get; set; } = "-0.00790";

    public string CallPrice { get; set; } = "-0.01400";

    public static async Task<FakeTwilio> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeTwilio(app);
        app.MapPost("/2010-04-01/Accounts/{account}/{resource}", fake.HandleAsync);
        // A created message or call, priced as Twilio prices them once they settled (negative, in USD).
        app.MapGet("/2010-04-01/Accounts/{account}/{resource}/{sid}.json", (string account, string resource, string sid) =>
            Results.Text($"{{\"sid\": \"{sid}\", \"account_sid\": \"{account}\", \"price\": \"{(resource == "Calls" ? fake.CallPrice : fake.MessagePrice)}\", \"price_unit\": \"USD\"}}",
                "application/json"));
        await app.StartAsync();
        fake.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return fake;
    }

    /// <summary>Queues answers for the next requests, in order; afterwards requests get 201 again.</summary>
    public void Script(params FakeTwilioAnswer[] answers)
    {
        foreach (var answer in answers)
        {
            _script.Enqueue(answer);
        }
    }

    /// <summary>Posts a form to <paramref name="url"/> signed with <paramref name="authToken"/>, as Twilio posts callbacks.</summary>
    public static async Task<HttpResponseMessage> PostSignedAsync(HttpClient client, string url, IReadOnlyList<KeyValuePair<string, string>> form,
        string authToken = AuthToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add(TwilioSignature.HeaderName, TwilioSignature.Compute(authToken, url, form));
        return await client.SendAsync(request);
    }

    private async Task HandleAsync(HttpContext context, string account, string resource)
    {
        var form = (await context.Request.ReadFormAsync()).SelectMany(f => f.Value.Select(v => new KeyValuePair<string, string>(f.Key, v ?? ""))).ToList();
        Requests.Enqueue(new FakeTwilioRequest(context.Request.Path, context.Request.Headers.Authorization, form, _clock.Elapsed));
        if (_script.TryDequeue(out var answer))
        {
            if (answer.Delay is { } delay)
            {
                await Task.Delay(delay, context.RequestAborted);
            }

            context.Response.StatusCode = answer.Status;
            if (answer.RetryAfterSeconds is { } seconds)
            {
                context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(answer.Body ?? $"{{\"code\": {answer.Status}00, \"message\": \"scripted {answer.Status}\", \"status\": {answer.Status}}}");
            return;
        }

        var n = Interlocked.Increment(ref _sequence);
        var isCall = resource.StartsWith("Calls", StringComparison.Ordinal);
        var sid = (isCall ? "CA" : "SM") + n.ToString("x32", System.Globalization.CultureInfo.InvariantCulture);
        context.Response.StatusCode = (int)HttpStatusCode.Created;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync($"{{\"sid\": \"{sid}\", \"account_sid\": \"{account}\", \"status\": \"queued\", \"price\": null}}");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
