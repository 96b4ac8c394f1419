using System.Net.Http.Json;
using Bunit;
using Itoc360.Domain;
using Itoc360.Tests.TestSupport;
using Itoc360.Web.Components.Pages.Sources;
using Itoc360.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Itoc360.Tests.Web.Components;

/// <summary>The source page's Workflows tab over the real use case and database.</summary>
public sealed class SourceWorkflowsTests : IDisposable
{
    private readonly AppFactory _app = new();

    private static IRenderedComponent<SourcePage> RenderPage(BunitContext ctx, Guid id)
    {
        var cut = ctx.Render<SourcePage>(p => p.Add(x => x.Id, id));
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=workflow-settings]")));
        return cut;
    }

    private Task<Source> StoredAsync(Guid id) => _app.WithDbAsync(db => db.Sources.AsNoTracking().SingleAsync(s => s.Id == new SourceId(id)));

    private static AngleSharp.Dom.IElement Input(IRenderedComponent<SourcePage> cut, string testId) =>
        cut.Find($"[data-testid={testId}] input, input[data-testid={testId}]");

    [Fact]
    public async Task An_admin_saves_the_settings_and_they_round_trip()
    {
        var source = await _app.CreateSourceAsync("twilio-errors", "Debugger");
        await using var ctx = ConsoleComponents.Create(_app, Roles.Admin);
        var cut = RenderPage(ctx, source.Id);

        // Off by default, retention at the configured default; nothing to save yet.
        Assert.Empty(cut.FindAll("[data-testid=ack-timeout-hours]"));
        Assert.Empty(cut.FindAll("[data-testid=auto-resolve-hours]"));
        Assert.Equal("30", Input(cut, "retention-days").GetAttribute("value"));
        Assert.True(cut.Find("[data-testid=save-workflows]").HasAttribute("disabled"));

        // Twilio never sends recoveries: the form suggests auto-resolve and fills it in.
        var suggestion = cut.Find("[data-testid=auto-resolve-suggestion]");
        Assert.Contains("Twilio never sends recoveries", suggestion.TextContent);
        Assert.Contains("24 h", suggestion.TextContent);
        suggestion.QuerySelectorAll("button").Single(b => b.TextContent.Contains("Use 24 h")).Click();
        cut.WaitForAssertion(() => Assert.Equal("24", Input(cut, "auto-resolve-hours").GetAttribute("value")));
        Assert.Empty(cut.FindAll("[data-testid=auto-resolve-suggestion]"));

        Input(cut, "ack-timeout-switch").Change(true);
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=ack-timeout-hours]")));
        Input(cut, "ack-timeout-hours").Input("6");
        Input(cut, "retention-days").Input("14");
        cut.WaitForAssertion(() => Assert.False(cut.Find("[data-testid=save-workflows]").HasAttribute("disabled")));
        cut.Find("[data-testid=save-workflows]").Click();

        await Wait.UntilAsync(async () => (await StoredAsync(source.Id)).AutoResolveHours is not null);
        var stored = await StoredAsync(source.Id);
        Assert.Equal((6, 24, 14), (stored.AcknowledgementTimeoutHours, stored.AutoResolveHours, stored.DeliveryRetentionDays));
        cut.WaitForAssertion(() => Assert.True(cut.Find("[data-testid=save-workflows]").HasAttribute("disabled")));
        Assert.Contains("tester@example.com", await _app.WithDbAsync(db => db.Audit.Where(a => a.Action == "source.update").Select(a => a.Actor).SingleAsync()));

        // A fresh page shows what was saved.
        var again = RenderPage(ctx, source.Id);
        Assert.Equal("6", Input(again, "ack-timeout-hours").GetAttribute("value"));
        Assert.Equal("24", Input(again, "auto-resolve-hours").GetAttribute("value"));
        Assert.Equal("14", Input(again, "retention-days").GetAttribute("value"));

        // Switching both off and keeping deliveries forever.
        Input(again, "ack-timeout-switch").Change(false);
        Input(again, "auto-resolve-switch").Change(false);
        Input(again, "retention-days").Input("0");
        again.WaitForAssertion(() => Assert.Contains("Kept forever", again.Find("[data-testid=workflow-settings]").TextContent));
        again.Find("[data-testid=save-workflows]").Click();
        await Wait.UntilAsync(async () => (await StoredAsync(source.Id)).AutoResolveHours is null);
        stored = await StoredAsync(source.Id);
        Assert.Equal((null, null, 0), (stored.AcknowledgementTimeoutHours, stored.AutoResolveHours, stored.DeliveryRetentionDays));
    }

    [Fact]
    public async Task Hours_beyond_the_limit_are_held_to_it()
    {
        var source = await _app.CreateSourceAsync("twilio-alarms");
        await using var ctx = ConsoleComponents.Create(_app, Roles.Admin);
        var cut = RenderPage(ctx, source.Id);

        Input(cut, "ack-timeout-switch").Change(true);
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=ack-timeout-hours]")));
        Input(cut, "ack-timeout-hours").Input("5000");

        cut.WaitForAssertion(() => Assert.Equal("720", Input(cut, "ack-timeout-hours").GetAttribute("value")));
        cut.Find("[data-testid=save-workflows]").Click();
        await Wait.UntilAsync(async () => (await StoredAsync(source.Id)).AcknowledgementTimeoutHours is not null);
        Assert.Equal(720, (await StoredAsync(source.Id)).AcknowledgementTimeoutHours);
    }

    [Fact]
    public async Task Sources_that_send_recoveries_get_no_suggestion_and_non_admins_only_read()
    {
        var alibaba = await _app.CreateSourceAsync("alibaba-cloudmonitor");
        var twilio = await _app.CreateSourceAsync("twilio-alarms");
        using (var admin = _app.AdminClient())
        {
            (await admin.PatchAsJsonAsync($"/api/v1/sources/{twilio.Id}", new { acknowledgementTimeoutHours = 8 })).EnsureSuccessStatusCode();
        }

        await using var adminCtx = ConsoleComponents.Create(_app, Roles.Admin);
        var page = RenderPage(adminCtx, alibaba.Id);
        Assert.Empty(page.FindAll("[data-testid=auto-resolve-suggestion]"));

        await using var responderCtx = ConsoleComponents.Create(_app, Roles.Responder);
        var readOnly = RenderPage(responderCtx, twilio.Id);
        Assert.Empty(readOnly.FindAll("[data-testid=save-workflows]"));
        Assert.Equal("8", Input(readOnly, "ack-timeout-hours").GetAttribute("value"));
        Assert.True(Input(readOnly, "ack-timeout-hours").HasAttribute("readonly"));
        Assert.True(Input(readOnly, "ack-timeout-switch").HasAttribute("disabled"));
        // The hint is still useful to read, without the button that would change the form.
        Assert.DoesNotContain(readOnly.Find("[data-testid=auto-resolve-suggestion]").QuerySelectorAll("button"), b => b.TextContent.Contains("Use"));
    }

    public void Dispose() => _app.Dispose();
}
