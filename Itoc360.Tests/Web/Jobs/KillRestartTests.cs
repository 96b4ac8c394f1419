using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Itoc360.Tests.TestSupport;

namespace Itoc360.Tests.Web.Jobs;

/// <summary>
/// The app as its own process on a temp data folder, killed with SIGKILL while work is due, then started
/// again: the due work happens after the restart, although Hangfire's in-memory job storage died with it.
/// </summary>
public class KillRestartTests
{
    private const string Key = "kill-restart-key-0123456789abcdef";

    [Fact]
    public async Task A_snooze_and_a_quiet_period_set_before_a_kill_happen_after_the_restart()
    {
        var dataDirectory = Directory.CreateTempSubdirectory("itoc360-kill-").FullName;
        try
        {
            Guid snoozed, quiet;
            string baseUrl;
            using (var first = AppProcess.Start(dataDirectory))
            {
                baseUrl = first.BaseUrl;
                using var client = first.Client();
                await first.WaitReadyAsync();
                snoozed = await OpenAsync(client, "twilio-errors/01-error-11200");
                quiet = await OpenAsync(client, "twilio-alarms/01-alarm-five-mins");
                Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync($"/api/v1/incidents/{snoozed}/snooze", new { minutes = 1 })).StatusCode);
                Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync($"/api/v1/incidents/{quiet}/resolve-when-quiet", new { minutes = 1 })).StatusCode);
                first.Kill();
            }

            using var second = AppProcess.Start(dataDirectory);
            using var again = second.Client();
            await second.WaitReadyAsync();
            Assert.Equal("Triggered", (await again.GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{quiet}")).GetProperty("status").GetString());

            await Wait.UntilAsync(async () =>
                {
                    var s = await again.GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{snoozed}");
                    var q = await again.GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{quiet}");
                    return s.GetProperty("snoozedUntil").ValueKind == JsonValueKind.Null && q.GetProperty("status").GetString() == "Resolved";
                },
                TimeSpan.FromMinutes(3), "the snooze expires and the quiet incident resolves after the restart");

            var snoozedTimeline = (await again.GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{snoozed}")).GetProperty("timeline").EnumerateArray().ToList();
            Assert.Equal("snooze-expired", snoozedTimeline[^1].GetProperty("kind").GetString());
            Assert.Single(snoozedTimeline, t => t.GetProperty("kind").GetString() == "snooze-expired");
            var quietIncident = await again.GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{quiet}");
            Assert.Equal("workflow", quietIncident.GetProperty("resolvedBy").GetString());
            Assert.Equal("resolved-when-quiet", quietIncident.GetProperty("timeline").EnumerateArray().Last().GetProperty("kind").GetString());
            Assert.DoesNotContain(second.Output, line => line.Contains(Key, StringComparison.Ordinal));
        }
        finally
        {
            try
            {
                Directory.Delete(dataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // Left for the temp folder's cleanup.
            }
        }
    }

    private static async Task<Guid> OpenAsync(HttpClient client, string fixtureId)
    {
        var fixture = HttpFixture.Get(fixtureId);
        var created = await client.PostAsJsonAsync("/api/v1/sources", new { name = fixtureId, kind = fixture.Kind });
        created.EnsureSuccessStatusCode();
        var webhookUrl = new Uri((await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("webhookUrl").GetString()!);
        var response = await Webhooks.SendAsync(client, fixture, webhookUrl.PathAndQuery);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("incidentId").GetGuid();
    }

    /// <summary>Itoc360.Web from this test's output folder, run with <c>dotnet</c> on a free loopback port.</summary>
    private sealed class AppProcess : IDisposable
    {
        private readonly Process _process;
        private readonly ConcurrentQueue<string> _output = new();

        private AppProcess(Process process, string baseUrl)
        {
            _process = process;
            BaseUrl = baseUrl;
        }

        public string BaseUrl { get; }

        public IReadOnlyCollection<string> Output => _output;

        public static AppProcess Start(string dataDirectory)
        {
            var port = FreePort();
            var web = typeof(Program).Assembly.Location;
            var start = new ProcessStartInfo("dotnet", [web])
            {
                WorkingDirectory = Path.GetDirectoryName(web)!,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
            start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
            start.Environment["Itoc360__DataDirectory"] = dataDirectory;
            start.Environment["Itoc360__Bootstrap__ApiKey"] = Key;
            start.Environment["Itoc360__Bootstrap__AdminEmail"] = "admin@example.com";
            start.Environment["Itoc360__Bootstrap__AdminPassword"] = "Admin-Password-123";
            var process = new Process { StartInfo = start };
            var app = new AppProcess(process, $"http://127.0.0.1:{port}");
            process.OutputDataReceived += (_, e) => { if (e.Data is not null) { app._output.Enqueue(e.Data); } };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { app._output.Enqueue(e.Data); } };
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return app;
        }

        public HttpClient Client()
        {
            var client = new HttpClient { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromSeconds(30) };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
            return client;
        }

        public async Task WaitReadyAsync()
        {
            using var probe = new HttpClient { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromSeconds(5) };
            try
            {
                await Wait.UntilAsync(async () =>
                {
                    if (_process.HasExited)
                    {
                        throw new InvalidOperationException($"The app exited with {_process.ExitCode}: {string.Join('\n', _output)}");
                    }

                    try
                    {
                        return (await probe.GetAsync("/readyz")).IsSuccessStatusCode;
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                    {
                        return false; // Not listening yet, or too slow to answer on a busy machine: ask again.
                    }
                }, TimeSpan.FromSeconds(90), "the app answers /readyz");
            }
            catch (TimeoutException ex)
            {
                throw new TimeoutException($"{ex.Message} Output: {string.Join('\n', _output)}", ex);
            }
        }

        /// <summary>SIGKILL: no shutdown hooks, no flushing, as when the machine loses power or the OOM killer strikes.</summary>
        public void Kill()
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                Kill();
            }

            _process.Dispose();
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
    }
}
