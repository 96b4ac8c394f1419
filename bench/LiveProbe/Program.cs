using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Playwright;

// Live console probe for bench/live (see bench/README.md, "Live console probe").
//
//   LiveProbe latency --base URL --hook PATH_AND_QUERY --email E [--label idle] [--samples 50]
//                     [--warmup 3] [--interval-ms 200] [--timeout-ms 10000] [--filter-source NAME] [--watchers 0] [--out DIR]
//   LiveProbe memory  --base URL --email E --server-pid PID [--tabs 10,100] [--batch 10] [--out DIR]
//
// The password comes from the LIVEPROBE_PASSWORD environment variable (never from the command line,
// never printed). Chromium is /usr/bin/chromium unless LIVEPROBE_CHROMIUM says otherwise.
//
// latency: signs in once, opens the console ("/") in one tab, installs a MutationObserver that calls
// back into this process (Page.ExposeFunctionAsync) when a row whose title carries a new probe marker
// appears, then posts Debugger webhooks one at a time, each with a new Sid and the marker in its error
// text (so each opens a new incident), and times post -> row in the DOM on this process's Stopwatch.
// --watchers N first opens N more consoles on the default (unfiltered) view, which refresh on every
// change of any source: other people watching the whole list while the probe's tab watches one source.
// Prints one line: LIVE_RESULT label=.. samples=.. missed=.. p50_ms=.. p95_ms=.. max_ms=.. ...
//
// memory: signs in once, opens one warm console tab, waits until the server's RSS settles (baseline),
// then opens tabs (all sharing the sign-in's storage state, one browser, one context) up to each count
// in --tabs, waits until each is interactive, lets the RSS settle again and prints per count:
// LIVE_MEMORY tabs=.. rss_before_kb=.. rss_after_kb=.. per_console_kb=.. interactive=..
// LIVEPROBE_HOLD_SECONDS=N keeps the consoles open N seconds after each reading (time to take a heap dump of
// the server with dotnet-gcdump, for diagnosis).
//
// Exit status: 0 when measured (verdicts are bench/live's), 1 on a failure, 2 on a usage error.

return await Probe.MainAsync(args);

internal static class Probe
{
    private static readonly string[] ChromiumArgs =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run",
        // Every tab stands for a console someone is looking at: no throttling of tabs in the background.
        "--disable-background-timer-throttling", "--disable-renderer-backgrounding", "--disable-backgrounding-occluded-windows",
    ];

    public static async Task<int> MainAsync(string[] args)
    {
        Options options;
        try
        {
            options = Options.Parse(args);
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine($"[probe] usage: {ex.Message}");
            return 2;
        }

        try
        {
            return options.Mode switch
            {
                "latency" => await LatencyAsync(options),
                "memory" => await MemoryAsync(options),
                _ => 2,
            };
        }
        catch (Exception ex) when (ex is PlaywrightException or TimeoutException or HttpRequestException or InvalidOperationException or IOException)
        {
            Console.Error.WriteLine($"[probe] failed: {ex.GetType().Name}: {ex.Message}");
            return 1;
        }
    }

    private static void Log(string message) =>
        Console.Error.WriteLine($"[probe] {DateTime.UtcNow:HH:mm:ss.fff} {message}");

    // ---------------------------------------------------------------------------------------------
    // Browser and sign-in

    private static Task<IBrowser> LaunchAsync(IPlaywright playwright) =>
        playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("LIVEPROBE_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium",
            Headless = true,
            Args = ChromiumArgs,
        });

    /// <summary>Signs in once through the static form and returns the storage state (the auth cookie) for every tab.</summary>
    private static async Task<string> SignInAsync(IBrowser browser, Options options)
    {
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(options.Base + "/account/login");
        await page.GetByLabel("E-mail", new() { Exact = true }).FillAsync(options.Email);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(options.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/", new() { Timeout = 30_000 });
        Log("signed in");
        var state = await context.StorageStateAsync();
        await LeaveAsync(page);
        return state;
    }

    /// <summary>
    /// Navigates away so that Blazor ends the page's circuit (its pagehide handler tells the server). A
    /// tab that is only closed can leave a disconnected circuit the server keeps for minutes, still
    /// subscribed to incident changes and still refreshing its grid, which would add work to later samples.
    /// </summary>
    private static async Task LeaveAsync(IPage page)
    {
        await page.GotoAsync("about:blank");
        await page.WaitForTimeoutAsync(200);
    }

    private static Task<IBrowserContext> ConsoleContextAsync(IBrowser browser, string storageState) =>
        browser.NewContextAsync(new BrowserNewContextOptions
        {
            StorageState = storageState,
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        });

    /// <summary>Opens the console in a new tab and waits until its Blazor circuit is live.</summary>
    private static async Task<IPage> OpenConsoleAsync(IBrowserContext context, Options options, float timeoutMs = 90_000)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync(options.Base + "/", new() { Timeout = timeoutMs });
        await page.WaitForSelectorAsync("body[data-interactive=true]", new() { State = WaitForSelectorState.Attached, Timeout = timeoutMs });
        return page;
    }

    // ---------------------------------------------------------------------------------------------
    // latency

    private const string ObserverScript = """
        (prefix) => {
          const seen = new Set();
          const pattern = new RegExp(prefix + "-\\d+");
          const scan = () => {
            const at = performance.timeOrigin + performance.now();
            for (const row of document.querySelectorAll("[data-testid=incident-row]")) {
              const match = pattern.exec(row.textContent || "");
              if (match && !seen.has(match[0])) {
                seen.add(match[0]);
                window.__liveProbeSeen(match[0], at, window.__liveProbeLastWs || 0);
              }
            }
          };
          new MutationObserver(scan).observe(document.body, { childList: true, subtree: true, characterData: true });
          scan();
        }
        """;

    /// <summary>
    /// Installed before the page's own scripts: remembers when the last WebSocket message (the Blazor
    /// circuit's render batches) arrived, so a sample splits into server push and browser apply.
    /// </summary>
    private const string WebSocketClockScript = """
        (() => {
          const Original = window.WebSocket;
          window.WebSocket = class extends Original {
            constructor(...args) {
              super(...args);
              this.addEventListener("message", () => { window.__liveProbeLastWs = performance.timeOrigin + performance.now(); });
            }
          };
        })();
        """;

    private sealed record Sample(int Index, string Marker, double LatencyMs, double PageClockMs, double PushMs, double AckMs, int Status, bool Accepted);

    private static async Task<int> LatencyAsync(Options options)
    {
        var nonce = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()[..4]);
        var prefix = $"lp{nonce}";
        var arrivals = new ConcurrentDictionary<string, TaskCompletionSource<(long Timestamp, double PageEpochMs, double LastWsEpochMs)>>();
        TaskCompletionSource<(long, double, double)> Arrival(string marker) =>
            arrivals.GetOrAdd(marker, _ => new(TaskCreationOptions.RunContinuationsAsynchronously));

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);
        var state = await SignInAsync(browser, options);
        await using var context = await ConsoleContextAsync(browser, state);

        // The binding is timestamped here, on the probe's Stopwatch, the moment the page calls it.
        await context.ExposeFunctionAsync<string, double, double, bool>("__liveProbeSeen", (marker, pageEpochMs, lastWsEpochMs) =>
        {
            var now = Stopwatch.GetTimestamp();
            Arrival(marker).TrySetResult((now, pageEpochMs, lastWsEpochMs));
            return true;
        });

        await context.AddInitScriptAsync(WebSocketClockScript);
        var page = await OpenConsoleAsync(context, options);
        Log($"console interactive ({options.Label})");
        if (options.FilterSource is { } sourceName)
        {
            await FilterBySourceAsync(page, sourceName);
            Log($"grid filtered to source '{sourceName}'");
        }

        var watchers = new List<IPage>();
        for (var w = 0; w < options.Watchers; w++)
        {
            watchers.Add(await OpenConsoleAsync(context, options));
        }

        if (watchers.Count > 0)
        {
            Log($"{watchers.Count} more console(s) open on the default view ({options.Label})");
        }

        await page.EvaluateAsync(ObserverScript, prefix);

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var hookUrl = new Uri(new Uri(options.Base), options.Hook);
        var samples = new List<Sample>();
        var missed = 0;
        var total = options.Warmup + options.Samples;
        for (var i = 0; i < total; i++)
        {
            var marker = $"{prefix}-{i}";
            var arrival = Arrival(marker);
            using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(DebuggerBody(marker)));
            content.Headers.TryAddWithoutValidation("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
            var sentEpochMs = (DateTime.UtcNow - DateTime.UnixEpoch).TotalMilliseconds;
            var sent = Stopwatch.GetTimestamp();
            using var response = await http.PostAsync(hookUrl, content);
            var ackMs = Stopwatch.GetElapsedTime(sent).TotalMilliseconds;
            var body = await response.Content.ReadAsStringAsync();
            var accepted = response.IsSuccessStatusCode && body.Contains("\"outcome\":\"accepted\"", StringComparison.Ordinal);
            if (!accepted)
            {
                Log($"sample {i}: webhook answered {(int)response.StatusCode} without outcome accepted: {Truncate(body, 200)}");
            }

            var warm = i < options.Warmup;
            try
            {
                var (seenAt, pageEpochMs, lastWsEpochMs) = await arrival.Task.WaitAsync(TimeSpan.FromMilliseconds(options.TimeoutMs));
                var latency = Stopwatch.GetElapsedTime(sent, seenAt).TotalMilliseconds;
                if (!warm)
                {
                    samples.Add(new Sample(i, marker, latency, pageEpochMs - sentEpochMs, lastWsEpochMs > 0 ? lastWsEpochMs - sentEpochMs : double.NaN, ackMs, (int)response.StatusCode, accepted));
                }
            }
            catch (TimeoutException)
            {
                Log($"sample {i}: row {marker} not seen within {options.TimeoutMs} ms");
                if (!warm)
                {
                    missed++;
                }
            }

            await Task.Delay(options.IntervalMs);
        }

        await LeaveAsync(page);
        foreach (var watcher in watchers)
        {
            await LeaveAsync(watcher);
        }

        var latencies = samples.Select(s => s.LatencyMs).Order().ToArray();
        var pageClock = samples.Select(s => s.PageClockMs).Order().ToArray();
        var pushes = samples.Select(s => s.PushMs).Where(v => !double.IsNaN(v)).Order().ToArray();
        var applies = samples.Where(s => !double.IsNaN(s.PushMs)).Select(s => s.PageClockMs - s.PushMs).Order().ToArray();
        var acks = samples.Select(s => s.AckMs).Order().ToArray();
        var rejected = samples.Count(s => !s.Accepted);
        if (options.Out is { } outDir)
        {
            Directory.CreateDirectory(outDir);
            var csv = new StringBuilder("index,marker,latency_ms,page_clock_latency_ms,ws_push_ms,webhook_ack_ms,status,accepted\n");
            foreach (var s in samples)
            {
                csv.AppendLine(CultureInfo.InvariantCulture,
                    $"{s.Index},{s.Marker},{s.LatencyMs:F2},{s.PageClockMs:F2},{s.PushMs:F2},{s.AckMs:F2},{s.Status},{s.Accepted}");
            }

            await File.WriteAllTextAsync(Path.Combine(outDir, $"latency-{options.Label}.csv"), csv.ToString());
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"LIVE_RESULT label={options.Label} samples={samples.Count} missed={missed} rejected={rejected} " +
            $"p50_ms={Percentile(latencies, 50):F1} p95_ms={Percentile(latencies, 95):F1} max_ms={(latencies.Length > 0 ? latencies[^1] : double.NaN):F1} " +
            $"page_clock_p50_ms={Percentile(pageClock, 50):F1} page_clock_p95_ms={Percentile(pageClock, 95):F1} " +
            $"push_p50_ms={Percentile(pushes, 50):F1} push_p95_ms={Percentile(pushes, 95):F1} apply_p50_ms={Percentile(applies, 50):F1} apply_p95_ms={Percentile(applies, 95):F1} " +
            $"ack_p50_ms={Percentile(acks, 50):F1} ack_p95_ms={Percentile(acks, 95):F1}"));
        return samples.Count > 0 ? 0 : 1;
    }

    /// <summary>Selects a source in the grid's Source filter (a native select) so only that source's incidents are listed.</summary>
    private static async Task FilterBySourceAsync(IPage page, string sourceName)
    {
        await page.GetByLabel("Source", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = sourceName });
        // The change goes to the server over the circuit; the warm-up samples absorb any rest of the refresh.
        await page.WaitForTimeoutAsync(1000);
    }

    /// <summary>
    /// The body bench/wrk/debugger.lua sends (Twilio Debugger, error 11200), with a new Sid and the
    /// marker at the start of the error text, so the incident's title carries it.
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

    // ---------------------------------------------------------------------------------------------
    // memory

    private static async Task<int> MemoryAsync(Options options)
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);
        var state = await SignInAsync(browser, options);
        await using var context = await ConsoleContextAsync(browser, state);

        // One warm console first: the first circuit pays one-time costs (JIT, component metadata,
        // caches) that a second one does not; the baseline is taken with it open.
        var pages = new List<IPage> { await OpenConsoleAsync(context, options) };
        var baseline = await SettledRssKbAsync(options.ServerPid, "baseline (1 warm console open)");
        var lines = new List<string>();
        foreach (var count in options.Tabs)
        {
            while (pages.Count - 1 < count)
            {
                var batch = Math.Min(options.Batch, count - (pages.Count - 1));
                var opened = await Task.WhenAll(Enumerable.Range(0, batch).Select(_ => OpenConsoleAsync(context, options, 180_000)));
                pages.AddRange(opened);
                Log($"{pages.Count - 1} consoles open (+1 warm)");
            }

            var after = await SettledRssKbAsync(options.ServerPid, $"{count} consoles");
            if (Environment.GetEnvironmentVariable("LIVEPROBE_HOLD_SECONDS") is { } hold && int.TryParse(hold, out var holdSeconds))
            {
                // Diagnosis: time to take a heap dump of the server with these consoles open.
                Log($"holding {count} consoles open for {holdSeconds} s");
                await Task.Delay(TimeSpan.FromSeconds(holdSeconds));
            }
            var interactive = 0;
            foreach (var page in pages.Skip(1))
            {
                if (await page.Locator("body[data-interactive=true]").CountAsync() == 1 &&
                    await page.Locator("#components-reconnect-modal.components-reconnect-show, .components-reconnect-show").CountAsync() == 0)
                {
                    interactive++;
                }
            }

            var line = string.Create(CultureInfo.InvariantCulture,
                $"LIVE_MEMORY tabs={count} rss_before_kb={baseline} rss_after_kb={after} per_console_kb={(after - baseline) / (double)count:F1} interactive={interactive}");
            Console.WriteLine(line);
            lines.Add(line);
        }

        if (options.Out is { } outDir)
        {
            Directory.CreateDirectory(outDir);
            await File.WriteAllLinesAsync(Path.Combine(outDir, "memory.txt"), lines);
        }

        return 0;
    }

    /// <summary>
    /// The server's VmRSS (kB) once it stops moving: polled every 500 ms until the last 8 readings (4 s)
    /// are within 512 kB of each other, or 45 s pass (then the last reading, flagged in the log).
    /// </summary>
    private static async Task<long> SettledRssKbAsync(int pid, string what)
    {
        var readings = new List<long>();
        var watch = Stopwatch.StartNew();
        while (true)
        {
            readings.Add(RssKb(pid));
            if (readings.Count >= 8)
            {
                var window = readings[^8..];
                if (window.Max() - window.Min() <= 512)
                {
                    Log($"RSS {what}: {readings[^1]} kB (settled after {watch.Elapsed.TotalSeconds:F1} s)");
                    return readings[^1];
                }
            }

            if (watch.Elapsed > TimeSpan.FromSeconds(45))
            {
                Log($"RSS {what}: {readings[^1]} kB (NOT settled within 45 s; last 8: {string.Join(' ', readings[^8..])})");
                return readings[^1];
            }

            await Task.Delay(500);
        }
    }

    private static long RssKb(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException($"no VmRSS in /proc/{pid}/status");
    }

    // ---------------------------------------------------------------------------------------------

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

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max] + "…";
}

internal sealed class Options
{
    public required string Mode { get; init; }
    public required string Base { get; init; }
    public required string Email { get; init; }
    public required string Password { get; init; }
    public string Hook { get; init; } = "";
    public string Label { get; init; } = "idle";
    public int Samples { get; init; } = 50;
    public int Warmup { get; init; } = 3;
    public int IntervalMs { get; init; } = 200;
    public int TimeoutMs { get; init; } = 10_000;
    public string? FilterSource { get; init; }
    public int Watchers { get; init; }
    public string? Out { get; init; }
    public int ServerPid { get; init; }
    public int[] Tabs { get; init; } = [10, 100];
    public int Batch { get; init; } = 10;

    public static Options Parse(string[] args)
    {
        if (args.Length == 0 || args[0] is not ("latency" or "memory"))
        {
            throw new ArgumentException("LiveProbe latency|memory --base URL --email E ... (see Program.cs)");
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

        string Need(string name) => values.TryGetValue(name, out var v) && v.Length > 0 ? v : throw new ArgumentException($"--{name} is required");
        int Int(string name, int fallback) => values.TryGetValue(name, out var v)
            ? int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : throw new ArgumentException($"--{name} must be a whole number")
            : fallback;

        var password = Environment.GetEnvironmentVariable("LIVEPROBE_PASSWORD");
        if (string.IsNullOrEmpty(password))
        {
            throw new ArgumentException("LIVEPROBE_PASSWORD must hold the console password");
        }

        var mode = args[0];
        var options = new Options
        {
            Mode = mode,
            Base = Need("base").TrimEnd('/'),
            Email = Need("email"),
            Password = password,
            Hook = mode == "latency" ? Need("hook") : "",
            Label = values.GetValueOrDefault("label", "idle"),
            Samples = Int("samples", 50),
            Warmup = Int("warmup", 3),
            IntervalMs = Int("interval-ms", 200),
            TimeoutMs = Int("timeout-ms", 10_000),
            FilterSource = values.GetValueOrDefault("filter-source"),
            Watchers = Int("watchers", 0),
            Out = values.GetValueOrDefault("out"),
            ServerPid = mode == "memory" ? Int("server-pid", 0) : 0,
            Tabs = values.TryGetValue("tabs", out var tabs)
                ? [.. tabs.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(t => int.Parse(t, CultureInfo.InvariantCulture)).Order()]
                : [10, 100],
            Batch = Int("batch", 10),
        };
        if (mode == "memory" && options.ServerPid <= 0)
        {
            throw new ArgumentException("--server-pid is required for memory");
        }

        return options;
    }
}
