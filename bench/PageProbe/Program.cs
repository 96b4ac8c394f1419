using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

// Paging latency probe for bench/page (see bench/README.md, "Paging latency").
//
//   PageProbe setup   --base URL --twilio-port P --account-sid AC.. --count N --out FILE
//   PageProbe measure --base URL --twilio-port P --account-sid AC.. --targets FILE --first K
//                     [--label idle] [--samples 50] [--warmup 3] [--interval-ms 300] [--timeout-ms 10000] [--out DIR]
//
// The bootstrap API key comes from PAGEPROBE_API_KEY and Twilio's auth token from PAGEPROBE_AUTH_TOKEN
// (environment only, never printed). Both commands host the fake Twilio on 127.0.0.1:P for as long as
// they run (the server under test is started with Itoc360__Twilio__ApiBaseUrl pointing there): every
// POST .../Accounts/{sid}/Messages.json or Calls.json with the right Basic auth is answered 201 at once
// with a fresh sid, and its arrival is stamped on this process's Stopwatch before anything else is done.
//
// setup: creates N people (Responder, one phone each: +491511 and 7 digits), verifies each phone with
// the code the server texts to the fake, gives each the contact rules "SMS at 0 minutes" only, one
// escalation policy per person (one step, no delay, no repeat) and one twilio-errors source per policy.
// Writes FILE: one line per target, "index<TAB>phone<TAB>webhook path and query<TAB>user id".
//
// measure: takes the targets from line K on, one per sample (warm-up samples included), so every
// sample pages a person nobody paged before: no rate cap and no bundling can touch it. Per sample it
// registers the phone as awaited, posts a Debugger webhook (error 11200, a new Sid, a marker in the
// error text) to that target's source, and times post start -> the SMS create for that phone arriving
// at the fake, both on this process's Stopwatch. Samples are INTERVAL_MS apart (after the SMS arrived).
// The SMS's text must carry the sample's marker (the incident title does); marker_missing counts those that do not.
// Prints one line:
//   PAGE_RESULT label=.. samples=.. missed=.. rejected=.. marker_missing=.. p50_ms=.. p95_ms=.. max_ms=.. ack_p50_ms=.. ...
//
// Exit status: 0 when measured (verdicts are bench/page's), 1 on a failure, 2 on a usage error.

return await Probe.MainAsync(args);

internal static class Probe
{
    public static async Task<int> MainAsync(string[] args)
    {
        Options options;
        try
        {
            options = Options.Parse(args);
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine($"[page-probe] usage: {ex.Message}");
            return 2;
        }

        var apiKey = Environment.GetEnvironmentVariable("PAGEPROBE_API_KEY");
        var authToken = Environment.GetEnvironmentVariable("PAGEPROBE_AUTH_TOKEN");
        if (string.IsNullOrEmpty(apiKey) || string.IsNullOrEmpty(authToken))
        {
            Console.Error.WriteLine("[page-probe] usage: set PAGEPROBE_API_KEY and PAGEPROBE_AUTH_TOKEN");
            return 2;
        }

        await using var twilio = await FakeTwilio.StartAsync(options.TwilioPort, options.AccountSid, authToken, options.TwilioLog);
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = new Uri(options.Base), Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        try
        {
            return options.Mode switch
            {
                "setup" => await SetupAsync(options, http, twilio),
                "measure" => await MeasureAsync(options, http, twilio),
                _ => 2,
            };
        }
        catch (Exception ex)
        {
            Log($"failed: {ex}");
            return 1;
        }
    }

    private static void Log(string message) =>
        Console.Error.WriteLine($"[page-probe {DateTime.UtcNow:HH:mm:ss.fff}] {message}");

    // ---------------------------------------------------------------------------------------------
    // setup

    private static readonly Regex Code = new(@"\b(\d{6})\b", RegexOptions.CultureInvariant);

    private static async Task<int> SetupAsync(Options options, HttpClient http, FakeTwilio twilio)
    {
        var lines = new string[options.Count];
        var started = Stopwatch.GetTimestamp();
        await Parallel.ForEachAsync(Enumerable.Range(0, options.Count), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, ct) =>
        {
            var phone = "+491511" + i.ToString("D7", CultureInfo.InvariantCulture);
            var created = await SendAsync(http, HttpMethod.Post, "/api/v1/users",
                new { email = $"page-{i}@bench.example.com", name = $"Bench Pager {i}", role = "Responder", phone }, HttpStatusCode.Created, ct);
            var user = created["user"]!;
            var userId = (string)user["id"]!;
            var methodId = (string)user["contactMethods"]!.AsArray().Single(m => (string?)m!["value"] == phone)!["id"]!;

            var sms = twilio.Expect(phone);
            await SendAsync(http, HttpMethod.Post, $"/api/v1/users/{userId}/contact-methods/{methodId}/verification", null, HttpStatusCode.Accepted, ct);
            var arrival = await sms.WaitAsync(TimeSpan.FromSeconds(30), ct);
            var code = Code.Match(arrival.Body ?? "") is { Success: true } m ? m.Groups[1].Value
                : throw new InvalidOperationException($"no 6-digit code in the SMS to {phone}: {arrival.Body}");
            await SendAsync(http, HttpMethod.Post, $"/api/v1/users/{userId}/contact-methods/{methodId}/verification/confirm", new { code }, HttpStatusCode.OK, ct);
            await SendAsync(http, HttpMethod.Put, $"/api/v1/users/{userId}/contact-rules",
                new { rules = new[] { new { channel = "Sms", afterMinutes = 0 } } }, HttpStatusCode.OK, ct);

            var policy = await SendAsync(http, HttpMethod.Post, "/api/v1/escalation-policies",
                new { name = $"Bench page {i}", repeat = 0, steps = new[] { new { delayMinutes = 0, targets = new[] { new { userId } } } } }, HttpStatusCode.Created, ct);
            var policyId = (string)policy["id"]!;
            var source = await SendAsync(http, HttpMethod.Post, "/api/v1/sources", new { name = $"page-{i}", kind = "twilio-errors" }, HttpStatusCode.Created, ct);
            var sourceId = (string)source["id"]!;
            var hook = new Uri((string)source["webhookUrl"]!).PathAndQuery;
            var patched = await SendAsync(http, HttpMethod.Patch, $"/api/v1/sources/{sourceId}", new { escalationPolicyId = policyId }, HttpStatusCode.OK, ct);
            if (!string.Equals((string?)patched["escalationPolicyId"], policyId, StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"source {sourceId} did not take policy {policyId}");
            }

            lines[i] = $"{i}\t{phone}\t{hook}\t{userId}";
        });

        await File.WriteAllLinesAsync(options.Out!, lines);
        Log($"set up {options.Count} people, policies and sources in {Stopwatch.GetElapsedTime(started).TotalSeconds:F1} s; unexpected Twilio requests: {twilio.Unexpected}");
        return 0;
    }

    private static async Task<JsonNode> SendAsync(HttpClient http, HttpMethod method, string path, object? body, HttpStatusCode expected, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        using var response = await http.SendAsync(request, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        if (response.StatusCode != expected)
        {
            throw new InvalidOperationException($"{method} {path} answered {(int)response.StatusCode} (expected {(int)expected}): {Truncate(text, 300)}");
        }

        return text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!;
    }

    // ---------------------------------------------------------------------------------------------
    // measure

    private sealed record Target(string Phone, string Hook);

    private sealed record Sample(int Index, string Phone, string Marker, double LatencyMs, double AckMs, double AfterAckMs, int Status, bool Accepted, string? IncidentId, bool MarkerInSms, string SmsHead);

    private static async Task<int> MeasureAsync(Options options, HttpClient http, FakeTwilio twilio)
    {
        var targets = (await File.ReadAllLinesAsync(options.Targets!))
            .Where(l => l.Length > 0).Select(l => l.Split('\t')).Select(f => new Target(f[1], f[2])).ToList();
        var total = options.Warmup + options.Samples;
        if (options.First + total > targets.Count)
        {
            Log($"{total} samples from target {options.First} need {options.First + total} targets; the file has {targets.Count}");
            return 1;
        }

        var prefix = "pg" + Convert.ToHexString(RandomNumberGenerator.GetBytes(3)).ToLowerInvariant();
        var samples = new List<Sample>();
        var missed = 0;
        var unexpectedBefore = twilio.Unexpected;
        for (var i = 0; i < total; i++)
        {
            var target = targets[options.First + i];
            var marker = $"{prefix}-{options.Label}-{i}";
            var sms = twilio.Expect(target.Phone);
            using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(DebuggerBody(marker)));
            content.Headers.TryAddWithoutValidation("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
            var sent = Stopwatch.GetTimestamp();
            using var response = await http.PostAsync(target.Hook, content);
            var acked = Stopwatch.GetTimestamp();
            var body = await response.Content.ReadAsStringAsync();
            var accepted = response.IsSuccessStatusCode && body.Contains("\"outcome\":\"accepted\"", StringComparison.Ordinal);
            string? incidentId = null;
            if (accepted)
            {
                incidentId = (string?)JsonNode.Parse(body)?["incidentId"];
            }
            else
            {
                Log($"sample {i}: webhook answered {(int)response.StatusCode} without outcome accepted: {Truncate(body, 200)}");
            }

            var warm = i < options.Warmup;
            try
            {
                var arrival = await sms.WaitAsync(TimeSpan.FromMilliseconds(options.TimeoutMs));
                if (!warm)
                {
                    var head = (arrival.Body ?? "").Split('\n')[0];
                    samples.Add(new Sample(i, target.Phone, marker, Stopwatch.GetElapsedTime(sent, arrival.Timestamp).TotalMilliseconds,
                        Stopwatch.GetElapsedTime(sent, acked).TotalMilliseconds, Stopwatch.GetElapsedTime(acked, arrival.Timestamp).TotalMilliseconds,
                        (int)response.StatusCode, accepted, incidentId, (arrival.Body ?? "").Contains(marker, StringComparison.Ordinal), head));
                }
            }
            catch (TimeoutException)
            {
                twilio.Forget(target.Phone);
                Log($"sample {i}: no SMS to {target.Phone} within {options.TimeoutMs} ms");
                if (!warm)
                {
                    missed++;
                }
            }

            await Task.Delay(options.IntervalMs);
        }

        // Anything else the fake got while this ran (a second SMS to a sample's phone, a call): counted, not timed.
        await Task.Delay(500);
        var unexpected = twilio.Unexpected - unexpectedBefore;
        var latencies = samples.Select(s => s.LatencyMs).Order().ToArray();
        var acks = samples.Select(s => s.AckMs).Order().ToArray();
        var afterAcks = samples.Select(s => s.AfterAckMs).Order().ToArray();
        var rejected = samples.Count(s => !s.Accepted);
        var foreign = samples.Count(s => !s.MarkerInSms);
        if (options.Out is { } outDir)
        {
            Directory.CreateDirectory(outDir);
            var csv = new StringBuilder("index,phone,marker,latency_ms,webhook_ack_ms,ack_to_sms_ms,status,accepted,incident_id,marker_in_sms,sms_first_line\n");
            foreach (var s in samples)
            {
                csv.AppendLine(CultureInfo.InvariantCulture,
                    $"{s.Index},{s.Phone},{s.Marker},{s.LatencyMs:F2},{s.AckMs:F2},{s.AfterAckMs:F2},{s.Status},{s.Accepted},{s.IncidentId},{s.MarkerInSms},\"{s.SmsHead.Replace("\"", "\"\"", StringComparison.Ordinal)}\"");
            }

            await File.WriteAllTextAsync(Path.Combine(outDir, $"page-{options.Label}.csv"), csv.ToString());
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"PAGE_RESULT label={options.Label} samples={samples.Count} missed={missed} rejected={rejected} marker_missing={foreign} unexpected={unexpected} " +
            $"p50_ms={Percentile(latencies, 50):F1} p95_ms={Percentile(latencies, 95):F1} max_ms={(latencies.Length > 0 ? latencies[^1] : double.NaN):F1} " +
            $"ack_p50_ms={Percentile(acks, 50):F1} ack_p95_ms={Percentile(acks, 95):F1} " +
            $"after_ack_p50_ms={Percentile(afterAcks, 50):F1} after_ack_p95_ms={Percentile(afterAcks, 95):F1}"));
        return samples.Count > 0 ? 0 : 1;
    }

    /// <summary>
    /// The body bench/wrk/debugger.lua sends (Twilio Debugger, error 11200), with a new Sid and the
    /// marker at the start of the error text (as bench/LiveProbe does), so every post opens a new incident.
    /// </summary>
    private static string DebuggerBody(string marker)
    {
        const string url = "https://bench.example.com/voice/answer";
        var msg = $"{marker} An attempt to retrieve content from {url} returned the HTTP status code 502";
        var payload = "{\"resource_sid\":\"CA0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e\",\"service_sid\":null,\"error_code\":\"11200\","
            + "\"more_info\":{\"Msg\":\"" + msg + "\",\"msg\":\"" + msg + "\",\"sourceComponent\":\"12000\",\"ErrorCode\":\"11200\","
            + "\"httpResponse\":\"502\",\"url\":\"" + url + "\",\"LogLevel\":\"ERROR\"},"
            + "\"webhook\":{\"type\":\"application/json\",\"request\":{\"url\":\"" + url + "\",\"method\":\"POST\",\"headers\":{},"
            + "\"parameters\":{\"CallSid\":\"CA0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e\"}},"
            + "\"response\":{\"status_code\":502,\"headers\":{},\"body\":\"Bad Gateway\"}}}";
        return "AccountSid=AC5e2f9a0b1c2d3e4f5a6b7c8d9e0f1a2b"
            + "&Level=ERROR"
            + "&ParentAccountSid="
            + "&Payload=" + Uri.EscapeDataString(payload)
            + "&PayloadType=" + Uri.EscapeDataString("application/json")
            + "&Sid=NO" + Guid.NewGuid().ToString("N")
            + "&Timestamp=" + Uri.EscapeDataString(DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
    }

    /// <summary>Nearest-rank percentile of sorted values (NaN when empty).</summary>
    private static double Percentile(double[] sorted, int p)
    {
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(p / 100.0 * sorted.Length);
        return sorted[Math.Clamp(rank, 1, sorted.Length) - 1];
    }

    public static string Truncate(string text, int max) => text.Length <= max ? text : text[..max] + "…";
}

/// <summary>One create request as the fake Twilio received it; <see cref="Timestamp"/> is a Stopwatch timestamp.</summary>
internal sealed record Arrival(long Timestamp, string Resource, string? To, string? Body);

/// <summary>
/// Twilio's Messages and Calls create endpoints on loopback, answering 201 with a new sid at once. A request
/// is stamped when it enters the pipeline (headers read, body not yet), before routing or the form are read.
/// </summary>
internal sealed class FakeTwilio : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, TaskCompletionSource<Arrival>> _awaited = new(StringComparer.Ordinal);
    private readonly StreamWriter? _log;
    private readonly Lock _logGate = new();
    private int _unexpected;

    private FakeTwilio(WebApplication app, StreamWriter? log)
    {
        _app = app;
        _log = log;
    }

    /// <summary>Requests no sample waited for (a second SMS to a phone, a call, a bad path or credentials).</summary>
    public int Unexpected => Volatile.Read(ref _unexpected);

    public static async Task<FakeTwilio> StartAsync(int port, string accountSid, string authToken, string? logPath)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        StreamWriter? log = null;
        if (logPath is not null)
        {
            log = new StreamWriter(new FileStream(logPath, FileMode.Append, FileAccess.Write, FileShare.Read)) { AutoFlush = true };
        }

        var fake = new FakeTwilio(app, log);
        var expectedAuth = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{accountSid}:{authToken}"));
        app.Use((context, next) =>
        {
            context.Items["arrived"] = Stopwatch.GetTimestamp();
            return next(context);
        });
        app.MapPost("/2010-04-01/Accounts/{account}/{resource}", async (HttpContext context, string account, string resource) =>
        {
            var arrived = (long)context.Items["arrived"]!;
            if (account != accountSid || context.Request.Headers.Authorization.ToString() != expectedAuth)
            {
                fake.Record(new Arrival(arrived, resource, null, "bad account or credentials"), awaited: false);
                return Results.Json(new { code = 20003, message = "Authenticate", status = 401 }, statusCode: 401);
            }

            if (resource is not ("Messages.json" or "Calls.json"))
            {
                fake.Record(new Arrival(arrived, resource, null, null), awaited: false);
                return Results.Json(new { code = 20404, message = "Not found", status = 404 }, statusCode: 404);
            }

            var form = await context.Request.ReadFormAsync();
            var to = (string?)form["To"];
            var arrival = new Arrival(arrived, resource, to, resource == "Messages.json" ? (string?)form["Body"] : (string?)form["Url"]);
            var awaited = resource == "Messages.json" && to is not null && fake._awaited.TryRemove(to, out var waiter) && waiter.TrySetResult(arrival);
            fake.Record(arrival, awaited);
            var sid = (resource == "Messages.json" ? "SM" : "CA") + Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
            return Results.Content($"{{\"sid\":\"{sid}\",\"status\":\"queued\"}}", "application/json", Encoding.UTF8, 201);
        });
        await app.StartAsync();
        return fake;
    }

    /// <summary>The next SMS to this number completes the task (register before causing it).</summary>
    public Task<Arrival> Expect(string phone)
    {
        var waiter = new TaskCompletionSource<Arrival>(TaskCreationOptions.RunContinuationsAsynchronously);
        _awaited[phone] = waiter;
        return waiter.Task;
    }

    public void Forget(string phone) => _awaited.TryRemove(phone, out _);

    private void Record(Arrival arrival, bool awaited)
    {
        if (!awaited)
        {
            Interlocked.Increment(ref _unexpected);
        }

        if (_log is not null)
        {
            var line = string.Create(CultureInfo.InvariantCulture,
                $"{DateTime.UtcNow:O}\t{arrival.Resource}\t{arrival.To}\t{(awaited ? "awaited" : "unexpected")}\t{Probe.Truncate((arrival.Body ?? "").Replace('\n', ' '), 120)}");
            lock (_logGate)
            {
                _log.WriteLine(line);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _log?.Dispose();
    }
}

internal sealed class Options
{
    public required string Mode { get; init; }
    public required string Base { get; init; }
    public required int TwilioPort { get; init; }
    public required string AccountSid { get; init; }
    public string? TwilioLog { get; init; }
    public int Count { get; init; }
    public string? Targets { get; init; }
    public int First { get; init; }
    public string Label { get; init; } = "idle";
    public int Samples { get; init; } = 50;
    public int Warmup { get; init; } = 3;
    public int IntervalMs { get; init; } = 300;
    public int TimeoutMs { get; init; } = 10_000;
    public string? Out { get; init; }

    public static Options Parse(string[] args)
    {
        if (args.Length == 0 || args[0] is not ("setup" or "measure"))
        {
            throw new ArgumentException("PageProbe setup|measure --base URL --twilio-port P --account-sid AC.. ...");
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 1; i < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"expected --name value, got '{args[i]}'");
            }

            values[args[i][2..]] = args[i + 1];
        }

        string Need(string name) => values.TryGetValue(name, out var v) ? v : throw new ArgumentException($"--{name} is required");
        int Int(string name, int fallback) => values.TryGetValue(name, out var v)
            ? int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : throw new ArgumentException($"--{name} must be a whole number")
            : fallback;

        var mode = args[0];
        var options = new Options
        {
            Mode = mode,
            Base = Need("base"),
            TwilioPort = Int("twilio-port", 0),
            AccountSid = Need("account-sid"),
            TwilioLog = values.GetValueOrDefault("twilio-log"),
            Count = mode == "setup" ? Int("count", 0) : 0,
            Targets = mode == "measure" ? Need("targets") : null,
            First = Int("first", 0),
            Label = values.GetValueOrDefault("label") ?? "idle",
            Samples = Int("samples", 50),
            Warmup = Int("warmup", 3),
            IntervalMs = Int("interval-ms", 300),
            TimeoutMs = Int("timeout-ms", 10_000),
            Out = mode == "setup" ? Need("out") : values.GetValueOrDefault("out"),
        };
        if (options.TwilioPort is <= 0 or > 65535 || (mode == "setup" && options.Count <= 0) || options.Samples <= 0)
        {
            throw new ArgumentException("--twilio-port, --count (setup) and --samples must be positive");
        }

        return options;
    }
}
