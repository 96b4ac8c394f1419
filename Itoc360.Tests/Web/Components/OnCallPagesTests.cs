using Bunit;
using Itoc360.Domain;
using Itoc360.Tests.TestSupport;
using Itoc360.Web.Components.Pages.OnCall;
using Itoc360.Web.Components.Pages.Sources;
using Itoc360.Web.Data;
using Itoc360.Web.Features.Paging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace Itoc360.Tests.Web.Components;

/// <summary>The on-call setup pages (schedules, escalation policies, a source's Paging tab) over the real service and database.</summary>
public sealed class OnCallPagesTests : IDisposable
{
    private const string Password = "Password-123-abc";

    private readonly AppFactory _app = new();

    private OnCallSetup OnCall => _app.Services.GetRequiredService<OnCallSetup>();

    private async Task<string> UserAsync(string name)
    {
        var email = $"{name}@example.com";
        await _app.CreateUserAsync(email, Password, Roles.Responder);
        return await _app.WithDbAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());
    }

    private async Task<ScheduleDto> ScheduleAsync(string name, params string[] userIds)
    {
        var (schedule, invalid) = await OnCall.CreateScheduleAsync(
            new ScheduleRequest(name, "UTC", new RotationDto("Weekly", "09:00", userIds)), "test", CancellationToken.None);
        Assert.Null(invalid);
        return schedule!;
    }

    private async Task<PolicyDto> PolicyAsync(string name, string userId)
    {
        var (policy, invalid) = await OnCall.SavePolicyAsync(null,
            new PolicyRequest(name, 0, [new StepDto(0, [new TargetDto(UserId: userId)])]), "test", CancellationToken.None);
        Assert.Null(invalid);
        return policy!;
    }

    private static AngleSharp.Dom.IElement Input<T>(IRenderedComponent<T> cut, string testId) where T : Microsoft.AspNetCore.Components.IComponent =>
        cut.Find($"[data-testid={testId}] input, input[data-testid={testId}]");

    [Fact]
    public async Task The_schedules_page_lists_a_schedule_with_who_is_on_call_now_and_next()
    {
        var alice = await UserAsync("alice");
        var bob = await UserAsync("bob");
        await ScheduleAsync("Platform primary", alice, bob);
        await using var ctx = ConsoleComponents.Create(_app, Roles.Viewer);

        var cut = ctx.Render<SchedulesPage>();

        cut.WaitForAssertion(() => Assert.Contains("Platform primary", cut.Find("[data-testid=schedules-table]").TextContent));
        // A new rotation starts with its first person's turn running now (it is 08:00: the turn began yesterday at 09:00 UTC).
        var now = cut.Find("[data-testid=on-call-now]").TextContent;
        Assert.Contains("alice", now);
        Assert.Contains("until 2026-11-26 09:00:00 UTC", now);
        var next = cut.Find("[data-testid=on-call-next]").TextContent;
        Assert.Contains("bob", next);
        Assert.Contains("from 2026-11-26 09:00:00 UTC", next);
        Assert.Contains("Weekly, hand-off 09:00", cut.Markup);
    }

    [Fact]
    public async Task Without_schedules_the_page_explains_what_they_are_for()
    {
        await using var ctx = ConsoleComponents.Create(_app, Roles.Admin);

        var cut = ctx.Render<SchedulesPage>();

        cut.WaitForAssertion(() => Assert.Contains("who is on call when", cut.Find("[data-testid=schedules-empty]").TextContent));
        Assert.NotEmpty(cut.FindAll("[data-testid=new-schedule]"));
    }

    [Fact]
    public async Task The_schedule_page_shows_the_coming_shifts_and_marks_overrides()
    {
        var alice = await UserAsync("alice");
        var bob = await UserAsync("bob");
        var carol = await UserAsync("carol");
        var schedule = await ScheduleAsync("Platform primary", alice, bob);
        var start = new DateTime(2026, 11, 21, 18, 0, 0, DateTimeKind.Utc);
        var (_, invalid) = await OnCall.AddOverrideAsync(schedule.Id, new OverrideRequest(carol, start, start.AddHours(12)), "test", CancellationToken.None);
        Assert.Null(invalid);
        await using var ctx = ConsoleComponents.Create(_app, Roles.Admin);

        var cut = ctx.Render<SchedulePage>(p => p.Add(x => x.Id, schedule.Id));

        cut.WaitForAssertion(() => Assert.Contains("alice", cut.Find("[data-testid=detail-on-call-now]").TextContent));
        // Carol's override comes before Bob's turn.
        Assert.Contains("carol", cut.Find("[data-testid=detail-on-call-next]").TextContent);
        Assert.Contains("override", cut.Find("[data-testid=detail-on-call-next]").TextContent);
        var rows = cut.FindAll("[data-testid=shift-row]");
        var covered = Assert.Single(rows, r => r.TextContent.Contains("carol"));
        Assert.Contains("override", covered.TextContent);
        Assert.Contains("Sat 11-21 18:00", covered.TextContent);
        Assert.Contains("carol", cut.Find("[data-testid=overrides]").TextContent);
        Assert.NotEmpty(cut.FindAll("[data-testid=remove-override]"));
        Assert.NotEmpty(cut.FindAll("[data-testid=add-override]"));
    }

    [Fact]
    public async Task The_policy_editor_shows_a_bad_delay_at_its_step_and_saves_a_two_step_policy()
    {
        var alice = await UserAsync("alice");
        var bob = await UserAsync("bob");
        var schedule = await ScheduleAsync("Platform primary", alice, bob);
        await using var ctx = ConsoleComponents.Create(_app, Roles.Admin);
        var cut = ctx.Render<EscalationPolicyEditor>();
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=policy-step]")));

        Input(cut, "policy-name").Input("Platform");
        await cut.InvokeAsync(() => cut.FindComponents<MudSelect<string>>().Single().Instance.ValueChanged.InvokeAsync($"u:{alice}"));
        await cut.InvokeAsync(() => cut.FindComponents<MudSelect<string>>().Single().Instance.ValueChanged.InvokeAsync($"s:{schedule.Id}"));
        cut.Find("[data-testid=add-step]").Click();
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=policy-step]").Count));
        await cut.InvokeAsync(() => cut.FindComponents<MudSelect<string>>()[1].Instance.ValueChanged.InvokeAsync($"u:{bob}"));
        var chips = cut.FindAll("[data-testid=step-targets]");
        Assert.Contains("alice", chips[0].TextContent);
        Assert.Contains("Platform primary (on call)", chips[0].TextContent);
        Assert.Contains("bob", chips[1].TextContent);

        // No wait between the steps: the service refuses, and the message sits at step 1.
        Input(cut, "step-delay-0").Input("0");
        cut.Find("[data-testid=save-policy]").Click();
        cut.WaitForAssertion(() => Assert.Contains("Wait at least 1 minute", cut.Find("[data-testid=step-delay-error]").TextContent));
        Assert.Single(cut.FindAll("[data-testid=step-delay-error]"));
        Assert.Equal(0, await _app.WithDbAsync(db => db.EscalationPolicies.CountAsync()));

        Input(cut, "step-delay-0").Input("10");
        cut.Find("[data-testid=save-policy]").Click();

        await Wait.UntilAsync(async () => await _app.WithDbAsync(db => db.EscalationPolicies.AnyAsync()));
        var saved = Assert.Single(await OnCall.ListPoliciesAsync(CancellationToken.None));
        Assert.Equal("Platform", saved.Name);
        Assert.Equal("1. alice, Platform primary → 10 min → 2. bob", OnCallText.Steps(saved));
        Assert.Equal([10, 5], saved.Steps.Select(s => s.DelayMinutes));
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=step-delay-error]")));
    }

    [Fact]
    public async Task The_routing_preview_shows_which_rule_matches_a_stored_delivery_before_saving()
    {
        var alice = await UserAsync("alice");
        var critical = await PolicyAsync("Wake everyone", alice);
        var slow = await PolicyAsync("Slow alarms", alice);
        var source = await _app.CreateSourceAsync("twilio-alarms", "Alarms");
        using (var client = _app.CreateClient())
        {
            var response = await Webhooks.SendAsync(client, HttpFixture.Get("twilio-alarms/03-alarm-one-hour-json"), source.PathAndQuery);
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }

        var (_, invalid) = await OnCall.SetRoutingAsync(new SourceId(source.Id), new RoutingRequest(
        [
            new RoutingRuleDto("all", [new ConditionDto("priority", "equals", "Critical")], critical.Id),
            new RoutingRuleDto("any", [new ConditionDto("TimePeriod", "contains", "hour"), new ConditionDto("ErrorCode", "equals", "99999")], slow.Id),
        ]), "test", CancellationToken.None);
        Assert.Null(invalid);
        var delivery = await _app.WithDbAsync(db => db.Deliveries.Where(d => d.SourceId == new SourceId(source.Id)).Select(d => d.Id).SingleAsync());
        await using var ctx = ConsoleComponents.Create(_app, Roles.Admin);
        var page = ctx.Render<SourcePage>(p => p.Add(x => x.Id, source.Id));
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=routing-rule]").Count));
        var paging = page.FindComponent<SourcePaging>();

        await paging.InvokeAsync(() => paging.FindComponents<MudSelect<Guid?>>().Single().Instance.ValueChanged.InvokeAsync(delivery.Value));

        paging.WaitForAssertion(() => Assert.Contains("Rule 2 matched: TimePeriod contains hour",
            paging.Find("[data-testid=routing-preview-summary]").TextContent));
        Assert.Contains("Pages Slow alarms", paging.Find("[data-testid=routing-preview-pages]").TextContent);
        Assert.Contains("matches the preview", paging.FindAll("[data-testid=routing-rule]")[1].TextContent);
        Assert.Contains("ONE_HOUR", paging.Find("[data-testid=routing-trace]").TextContent);

        // An unsaved edit changes the preview: now no rule matches and the source has no default policy.
        Input(paging, "condition-value-1-0").Input("minute");
        paging.WaitForAssertion(() => Assert.Contains("No rule matched", paging.Find("[data-testid=routing-preview-summary]").TextContent));
        Assert.Contains("Pages nobody", paging.Find("[data-testid=routing-preview-pages]").TextContent);
        Assert.Contains("Unsaved changes", paging.Markup);
        var stored = await _app.WithDbAsync(db => db.Sources.AsNoTracking().SingleAsync(s => s.Id == new SourceId(source.Id)));
        Assert.Contains("hour", stored.RoutingRulesJson);
    }

    [Fact]
    public async Task An_admin_sets_the_default_policy_on_the_paging_tab()
    {
        var alice = await UserAsync("alice");
        var policy = await PolicyAsync("Platform", alice);
        var source = await _app.CreateSourceAsync("twilio-alarms", "Alarms");
        await using var ctx = ConsoleComponents.Create(_app, Roles.Admin);
        var page = ctx.Render<SourcePage>(p => p.Add(x => x.Id, source.Id));
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=source-paging]")));
        var paging = page.FindComponent<SourcePaging>();

        await paging.InvokeAsync(() => paging.FindComponents<MudSelect<Guid>>().First().Instance.ValueChanged.InvokeAsync(policy.Id));
        paging.Find("[data-testid=save-default-policy]").Click();

        await Wait.UntilAsync(async () => (await _app.WithDbAsync(db => db.Sources.AsNoTracking().SingleAsync(s => s.Id == new SourceId(source.Id)))).EscalationPolicyId == policy.Id);
        Assert.Contains("Alarms", Assert.Single((await OnCall.GetPolicyAsync(policy.Id, CancellationToken.None))!.UsedBy).Name);
    }

    [Fact]
    public async Task A_viewer_sees_the_setup_but_no_button_that_changes_it()
    {
        var alice = await UserAsync("alice");
        var schedule = await ScheduleAsync("Platform primary", alice);
        var policy = await PolicyAsync("Platform", alice);
        var source = await _app.CreateSourceAsync("twilio-alarms", "Alarms");
        await using var ctx = ConsoleComponents.Create(_app, Roles.Viewer);

        var list = ctx.Render<SchedulesPage>();
        list.WaitForAssertion(() => Assert.Contains("Platform primary", list.Markup));
        Assert.Empty(list.FindAll("[data-testid=new-schedule]"));

        var detail = ctx.Render<SchedulePage>(p => p.Add(x => x.Id, schedule.Id));
        detail.WaitForAssertion(() => Assert.Contains("alice", detail.Find("[data-testid=detail-on-call-now]").TextContent));
        Assert.Empty(detail.FindAll("[data-testid=edit-schedule], [data-testid=delete-schedule], [data-testid=add-override], [data-testid=remove-override]"));

        var policies = ctx.Render<EscalationPoliciesPage>();
        policies.WaitForAssertion(() => Assert.Contains("1. alice", policies.Find("[data-testid=policy-steps]").TextContent));
        Assert.Empty(policies.FindAll("[data-testid=new-policy]"));

        var editor = ctx.Render<EscalationPolicyEditor>(p => p.Add(x => x.Id, policy.Id));
        editor.WaitForAssertion(() => Assert.Single(editor.FindAll("[data-testid=policy-step]")));
        Assert.Empty(editor.FindAll("[data-testid=save-policy], [data-testid=delete-policy], [data-testid=add-step], [data-testid=remove-step]"));
        Assert.Empty(editor.FindComponents<MudSelect<string>>());
        Assert.True(Input(editor, "policy-name").HasAttribute("readonly"));

        var page = ctx.Render<SourcePage>(p => p.Add(x => x.Id, source.Id));
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=source-paging]")));
        Assert.Contains("Nobody (no paging)", page.Find("[data-testid=default-policy-text]").TextContent);
        Assert.Empty(page.FindAll("[data-testid=save-default-policy], [data-testid=save-routing], [data-testid=add-routing-rule]"));
    }

    public void Dispose() => _app.Dispose();
}
