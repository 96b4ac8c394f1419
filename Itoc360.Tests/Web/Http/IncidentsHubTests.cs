using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Threading.Channels;
using Itoc360.Domain.Incidents;
using Itoc360.Tests.TestSupport;
using Itoc360.Web.Realtime;
using Microsoft.AspNetCore.SignalR.Client;

namespace Itoc360.Tests.Web.Http;

/// <summary>The hub for outside clients, over real Kestrel and WebSockets (the API key goes in the query there).</summary>
public sealed class IncidentsHubTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private static HubConnection Connect(LiveApp app, string? apiKey) =>
        new HubConnectionBuilder()
            .WithUrl(app.Url(IncidentsHub.Path), options =>
            {
                if (apiKey is not null)
                {
                    options.AccessTokenProvider = () => Task.FromResult<string?>(apiKey);
                }
            })
            .Build();

    [Fact]
    public async Task A_client_with_an_api_key_hears_the_incident_a_webhook_opens_and_its_acknowledgement()
    {
        await using var app = LiveApp.Start();
        var source = await app.CreateSourceAsync("twilio-errors");
        var fixture = HttpFixture.Get("twilio-errors/01-error-11200");

        await using var hub = Connect(app, AppFactory.AdminKey);
        var heard = Channel.CreateUnbounded<IncidentChangedMessage>();
        using var handler = hub.On<IncidentChangedMessage>(IncidentsHub.ChangedMethod, m => heard.Writer.TryWrite(m));
        await hub.StartAsync();
        Assert.Equal(HubConnectionState.Connected, hub.State);

        using var vendor = new HttpClient();
        var posted = await Webhooks.SendAsync(vendor, fixture, source.WebhookUrl);
        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        var incidentId = (await posted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("incidentId").GetGuid();
        using var admin = app.AdminClient();
        var incident = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{incidentId}");
        var number = incident.GetProperty("number").GetInt64();

        var opened = await NextForAsync(heard.Reader, incidentId);
        Assert.Equal(number, opened.Number);
        Assert.Equal(nameof(IncidentStatus.Triggered), opened.Status);
        Assert.Equal(fixture.ExpectedString("priority"), opened.Priority);
        Assert.Equal(TimelineKinds.Opened, opened.Kind);

        (await admin.PostAsync($"/api/v1/incidents/{incidentId}/acknowledge", null)).EnsureSuccessStatusCode();
        var acknowledged = await NextForAsync(heard.Reader, incidentId);
        Assert.Equal(number, acknowledged.Number);
        Assert.Equal(nameof(IncidentStatus.Acknowledged), acknowledged.Status);
        Assert.Equal(TimelineKinds.Acknowledged, acknowledged.Kind);
        Assert.True(acknowledged.Version > opened.Version);
    }

    [Fact]
    public async Task Without_credentials_the_negotiate_is_refused()
    {
        await using var app = LiveApp.Start();

        await using var anonymous = Connect(app, apiKey: null);
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => anonymous.StartAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);

        await using var wrongKey = Connect(app, "itk_this-key-does-not-exist-at-all");
        refused = await Assert.ThrowsAsync<HttpRequestException>(() => wrongKey.StartAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    /// <summary>The next message about <paramref name="incidentId"/>, waiting at most <see cref="Patience"/>.</summary>
    private static async Task<IncidentChangedMessage> NextForAsync(ChannelReader<IncidentChangedMessage> reader, Guid incidentId)
    {
        using var timeout = new CancellationTokenSource(Patience);
        try
        {
            while (true)
            {
                var message = await reader.ReadAsync(timeout.Token);
                if (message.Id == incidentId)
                {
                    return message;
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No {IncidentsHub.ChangedMethod} for incident {incidentId} within {Patience.TotalSeconds} s.");
        }
    }
}
