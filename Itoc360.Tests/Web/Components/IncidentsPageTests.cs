using Microsoft.AspNetCore.Components;
using Bunit;
using Itoc360.Tests.TestSupport;
using Itoc360.Web.Components.Pages.Incidents;
using Itoc360.Web.Data;
using Itoc360.Web.Realtime;
using Microsoft.Extensions.DependencyInjection;

namespace Itoc360.Tests.Web.Components;

public sealed class IncidentsPageTests : IDisposable
{
    private readonly AppFactory _app = new();

    [Fact]
    public async Task A_webhook_appears_in_the_grid_after_one_coalesced_refresh()
    {
        var source = await _app.CreateSourceAsync("twilio-errors", "Debugger");
        await using var ctx = ConsoleComponents.Create(_app, Roles.Responder);
        var cut = ctx.Render<IncidentsPage>();
        cut.WaitForAssertion(() => Assert.Contains("No incidents match", cut.Markup));

        using var client = _app.CreateClient();
        var response = await Webhooks.SendAsync(client, HttpFixture.Get("twilio-errors/01-error-11200"), source.PathAndQuery);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);

        // After a quiet spell the change shows at once, with a single refresh.
        cut.WaitForAssertion(() => Assert.Contains("Twilio 11200", cut.Markup));
        Assert.Equal(1, cut.Instance.LiveRefreshes);
        Assert.Equal("1", cut.Find("[data-testid=count-Triggered]").TextContent.Trim());
        Assert.Equal("1", cut.Find("[data-testid=count-Open]").TextContent.Trim());

        // A responder acknowledges from the grid (the button's click reaches the grid through app.js, as the browser
        // tests show); the change comes back through the notifier like anyone else's.
        var button = cut.Find("[aria-label='Acknowledge incident 1']");
        Assert.Equal("ack", button.GetAttribute("data-act"));
        await cut.Find("table.mud-table-root").TriggerEventAsync("onrowaction",
            new RowActionEventArgs { Action = button.GetAttribute("data-act")!, Id = button.GetAttribute("data-id")! });
        _app.Time.Advance(IncidentsPage.RefreshInterval);
        cut.WaitForAssertion(() => Assert.Equal("Acknowledged", cut.Find("[data-testid=incident-row]").GetAttribute("data-status")));
        Assert.Equal("1", cut.Find("[data-testid=count-Acknowledged]").TextContent.Trim());
        var by = await _app.WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(db.Incidents));
        Assert.Equal("tester@example.com", by.AcknowledgedBy);
    }

    [Fact]
    public async Task A_console_filtered_to_one_source_does_no_refresh_for_another_sources_changes()
    {
        var watched = await _app.CreateSourceAsync("twilio-errors", "Watched");
        var busy = await _app.CreateSourceAsync("twilio-errors", "Busy");
        await using var ctx = ConsoleComponents.Create(_app, Roles.Viewer);
        var cut = ctx.Render<IncidentsPage>();
        cut.WaitForAssertion(() => Assert.Contains("No incidents match", cut.Markup));
        cut.Find("select#incident-source").Change(watched.Id.ToString());

        // Subscribed after the page, so told after it: once this sees the busy source's change, the page has seen it too.
        var delivered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var probe = _app.Services.GetRequiredService<IncidentNotifier>().Subscribe(changes =>
        {
            if (changes.Any(c => c.Source.Value == busy.Id))
            {
                delivered.TrySetResult();
            }
        });

        using var client = _app.CreateClient();
        var other = await Webhooks.SendAsync(client, HttpFixture.Get("twilio-errors/02-warning-30008"), busy.PathAndQuery);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, other.StatusCode);
        await delivered.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var mine = await Webhooks.SendAsync(client, HttpFixture.Get("twilio-errors/01-error-11200"), watched.PathAndQuery);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, mine.StatusCode);

        // The clock does not move: had the busy source's change refreshed the grid, the watched one's would wait an interval.
        cut.WaitForAssertion(() => Assert.Contains("Twilio 11200", cut.Markup));
        Assert.Equal(1, cut.Instance.LiveRefreshes);
        Assert.Single(cut.FindAll("[data-testid=incident-row]"));
        Assert.Equal("1", cut.Find("[data-testid=count-Open]").TextContent.Trim());
    }

    [Fact]
    public async Task A_burst_of_changes_refreshes_the_grid_once()
    {
        var source = await _app.CreateSourceAsync("alibaba-cloudmonitor", "CloudMonitor");
        await using var ctx = ConsoleComponents.Create(_app, Roles.Viewer);
        var cut = ctx.Render<IncidentsPage>();
        cut.WaitForAssertion(() => Assert.Contains("No incidents match", cut.Markup));

        using var client = _app.CreateClient();
        foreach (var name in new[] { "01-threshold-warn-alert", "02-threshold-critical-alert", "06-system-event-critical" })
        {
            var response = await Webhooks.SendAsync(client, HttpFixture.Get($"alibaba-cloudmonitor/{name}"), source.PathAndQuery);
            Assert.True(response.IsSuccessStatusCode, name);
        }

        var incidents = await _app.WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(db.Incidents));
        Assert.True(incidents >= 2);
        // The first change refreshed at once; the rest of the burst is one more refresh an interval later.
        _app.Time.Advance(IncidentsPage.RefreshInterval);
        cut.WaitForAssertion(() => Assert.Equal(incidents, cut.FindAll("[data-testid=incident-row]").Count));
        Assert.InRange(cut.Instance.LiveRefreshes, 1, 2);
    }

    [Fact]
    public async Task A_live_refresh_updates_the_counts_and_drops_a_selected_row_that_someone_else_resolved()
    {
        var source = await _app.CreateSourceAsync("twilio-errors", "Debugger");
        using var client = _app.CreateClient();
        var response = await Webhooks.SendAsync(client, HttpFixture.Get("twilio-errors/01-error-11200"), source.PathAndQuery);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);

        await using var ctx = ConsoleComponents.Create(_app, Roles.Responder);
        var cut = ctx.Render<IncidentsPage>();
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=incident-row]")));
        var box = cut.Find("[aria-label='Select incident 1']");
        (box.QuerySelector("input") ?? box).Change(true);
        cut.WaitForAssertion(() => Assert.Contains("1 selected", cut.Markup));

        // Someone else resolves it: the refresh (counts and grid only) still clears the selection bar.
        var incident = await _app.WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(db.Incidents));
        var actions = _app.Services.GetRequiredService<Itoc360.Web.Features.Incidents.IncidentActions>();
        await actions.ResolveAsync(incident.Id, new Itoc360.Domain.Incidents.Actor("someone@example.com", Itoc360.Domain.Incidents.Via.Api), null, CancellationToken.None);
        _app.Time.Advance(IncidentsPage.RefreshInterval);
        cut.WaitForAssertion(() =>
        {
            Assert.Equal("0", cut.Find("[data-testid=count-Open]").TextContent.Trim());
            Assert.Equal("1", cut.Find("[data-testid=count-Resolved]").TextContent.Trim());
            Assert.DoesNotContain("1 selected", cut.Markup);
        });
        Assert.Empty(cut.FindAll("[data-testid=incident-row]"));
    }

    [Fact]
    public async Task Grid_rows_add_no_components()
    {
        await SendCloudMonitorAsync("01-threshold-warn-alert", "02-threshold-critical-alert", "06-system-event-critical");

        await using var ctx = ConsoleComponents.Create(_app, Roles.Responder);
        var cut = ctx.Render<IncidentsPage>();
        cut.WaitForAssertion(() => Assert.True(cut.FindAll("[data-testid=incident-row]").Count >= 2));
        var rows = cut.FindAll("[data-testid=incident-row]").Count;

        // Chips, times and row actions are markup (each component in a row costs memory in every open console).
        Assert.Empty(cut.FindComponents<Itoc360.Web.Components.Controls.PriorityChip>());
        Assert.Empty(cut.FindComponents<Itoc360.Web.Components.Controls.StatusChip>());
        Assert.Empty(cut.FindComponents<Itoc360.Web.Components.Controls.Ago>());
        Assert.Empty(cut.FindComponents<MudBlazor.MudChip<string>>());
        Assert.DoesNotContain(cut.FindComponents<MudBlazor.MudIconButton>(),
            b => b.Instance.UserAttributes.TryGetValue("aria-label", out var label) && $"{label}".StartsWith("Acknowledge incident", StringComparison.Ordinal));
        Assert.Empty(cut.FindComponents<MudBlazor.MudCheckBox<bool>>());
        Assert.Equal(rows, cut.FindAll("[aria-label^='Acknowledge incident']").Count);
        Assert.Equal(rows, cut.FindAll("[aria-label^='Resolve incident']").Count);
        Assert.Equal(rows, cut.FindAll("input[type=checkbox][aria-label^='Select incident']").Count);
        Assert.Equal(rows, cut.FindAll(".priority-chip").Count);

        // The whole page (filters, status views, grid with its pager) is a handful of components, however many rows.
        Assert.InRange(cut.FindComponents<ComponentBase>().Count, 1, 8);
    }

    [Fact]
    public async Task Column_headers_sort_on_the_server_and_the_pager_shows_the_range()
    {
        await SendCloudMonitorAsync("01-threshold-warn-alert", "06-system-event-critical");

        await using var ctx = ConsoleComponents.Create(_app, Roles.Viewer);
        var cut = ctx.Render<IncidentsPage>();
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=incident-row]").Count));
        Assert.Equal("1-2 of 2", cut.Find("[data-testid=pager-range]").TextContent.Trim());
        string[] Numbers() => [.. cut.FindAll("[data-testid=incident-row]").Select(r => r.GetAttribute("data-number")!)];
        string[] Titles() => [.. cut.FindAll("[data-testid=incident-row] a").Select(a => a.TextContent)];
        Assert.Equal(["2", "1"], Numbers()); // newest first

        cut.FindAll("th button.sort-button").Single(b => b.TextContent.Trim() == "Title").Click();
        cut.WaitForAssertion(() => Assert.Equal("ascending", cut.FindAll("th").Single(th => th.TextContent.Trim() == "Title").GetAttribute("aria-sort")));
        var ascending = Titles();
        Assert.Equal(ascending.Order(StringComparer.Ordinal), ascending);

        cut.FindAll("th button.sort-button").Single(b => b.TextContent.Trim() == "Title").Click();
        cut.WaitForAssertion(() => Assert.Equal(ascending.Reverse(), Titles()));

        cut.Find("select#incident-page-size").Change("10");
        cut.WaitForAssertion(() => Assert.Equal("10", cut.FindComponent<IncidentTable>().Instance.PageSize.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal("1-2 of 2", cut.Find("[data-testid=pager-range]").TextContent.Trim());
        Assert.True(cut.Find("[aria-label='Next page']").HasAttribute("disabled"));
    }

    [Fact]
    public async Task The_search_applies_once_typing_rests_and_clears_with_its_button()
    {
        await SendCloudMonitorAsync("01-threshold-warn-alert", "06-system-event-critical");

        await using var ctx = ConsoleComponents.Create(_app, Roles.Viewer);
        var cut = ctx.Render<IncidentsPage>();
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=incident-row]").Count));
        var title = cut.FindAll("[data-testid=incident-row][data-number='1'] a").Single().TextContent;

        // Typing alone changes nothing until the text rests for the debounce interval.
        cut.Find("#incident-search").Input(title[..12]);
        Assert.Equal(2, cut.FindAll("[data-testid=incident-row]").Count);
        _app.Time.Advance(IncidentFilters.DebounceInterval);
        cut.WaitForAssertion(() => Assert.Equal(["1"], cut.FindAll("[data-testid=incident-row]").Select(r => r.GetAttribute("data-number"))));
        Assert.Equal("1", cut.Find("[data-testid=count-Open]").TextContent.Trim()); // the counts follow the search

        cut.Find("[aria-label='Clear search']").Click();
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=incident-row]").Count));
        Assert.Empty(cut.FindAll("[aria-label='Clear search']"));
    }

    /// <summary>Posts CloudMonitor fixtures to a new CloudMonitor source; each must be accepted.</summary>
    private async Task SendCloudMonitorAsync(params string[] fixtures)
    {
        var source = await _app.CreateSourceAsync("alibaba-cloudmonitor", "CloudMonitor");
        using var client = _app.CreateClient();
        foreach (var name in fixtures)
        {
            Assert.True((await Webhooks.SendAsync(client, HttpFixture.Get($"alibaba-cloudmonitor/{name}"), source.PathAndQuery)).IsSuccessStatusCode, name);
        }
    }

    [Fact]
    public async Task A_viewer_gets_no_action_controls()
    {
        await using var ctx = ConsoleComponents.Create(_app, Roles.Viewer);
        var cut = ctx.Render<IncidentsPage>();
        cut.WaitForAssertion(() => Assert.Contains("No incidents match", cut.Markup));
        Assert.DoesNotContain("Actions", cut.Markup);
        Assert.Empty(cut.FindAll("[aria-label^='Select incident']"));
        Assert.Empty(cut.FindAll("[aria-label^='Acknowledge incident']"));
    }

    [Fact]
    public async Task Disposing_the_page_leaves_no_subscriber()
    {
        var notifier = _app.Services.GetRequiredService<IncidentNotifier>();
        var before = notifier.SubscriberCount;
        await using var ctx = ConsoleComponents.Create(_app, Roles.Viewer);
        var cut = ctx.Render<IncidentsPage>();
        cut.WaitForAssertion(() => Assert.Equal(before + 1, notifier.SubscriberCount));

        await ctx.DisposeComponentsAsync();
        Assert.Equal(before, notifier.SubscriberCount);
    }

    public void Dispose() => _app.Dispose();
}
