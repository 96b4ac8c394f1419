using Itoc360.Domain.Paging;

namespace Itoc360.Tests.Domain.Paging;

public class ContactRulesTests
{
    private static readonly DateTime First = new(2026, 5, 4, 10, 0, 0, DateTimeKind.Utc);

    private static ContactRules Make(params (ContactChannel Channel, int After)[] rules)
    {
        Assert.True(ContactRules.TryCreate(rules.Select(r => new ContactRule(r.Channel, r.After)).ToArray(), out var made, out var errors),
            string.Join("; ", errors.SelectMany(e => e.Value)));
        return made;
    }

    private static readonly ContactRules SmsCallWhatsApp =
        Make((ContactChannel.Sms, 0), (ContactChannel.Voice, 5), (ContactChannel.WhatsApp, 10));

    [Theory]
    [InlineData(0, new[] { ContactChannel.Sms }, 5)]
    [InlineData(4, new[] { ContactChannel.Sms }, 5)]
    [InlineData(5, new[] { ContactChannel.Sms, ContactChannel.Voice }, 10)]
    [InlineData(12, new[] { ContactChannel.Sms, ContactChannel.Voice, ContactChannel.WhatsApp }, null)]
    public void Channels_become_due_at_their_minutes_after_the_first_page(int minutes, ContactChannel[] expected, int? nextMinutes)
    {
        var step = SmsCallWhatsApp.Advance(First, First.AddMinutes(minutes));

        Assert.Equal(expected, step.Due.Select(d => d.Channel));
        Assert.Equal(nextMinutes is null ? null : First.AddMinutes(nextMinutes.Value), step.NextDueAtUtc);
        Assert.Equal(expected.Length, step.Progress.UsedCount);
    }

    [Fact]
    public void Nothing_is_due_before_the_first_page()
    {
        var step = SmsCallWhatsApp.Advance(First, First.AddSeconds(-1));
        Assert.Empty(step.Due);
        Assert.Equal(First, step.NextDueAtUtc);
    }

    [Fact]
    public void Advancing_step_by_step_sends_each_channel_once()
    {
        var progress = ContactRulesProgress.Start(First);

        var atOnce = SmsCallWhatsApp.Advance(progress, First);
        Assert.Equal([new ContactRulesDue(0, ContactChannel.Sms, First)], atOnce.Due);

        var tooEarly = SmsCallWhatsApp.Advance(atOnce.Progress, First.AddMinutes(4));
        Assert.Empty(tooEarly.Due);
        Assert.Equal(atOnce.Progress, tooEarly.Progress);

        var late = SmsCallWhatsApp.Advance(tooEarly.Progress, First.AddMinutes(30));
        Assert.Equal(
            [new ContactRulesDue(1, ContactChannel.Voice, First.AddMinutes(5)), new ContactRulesDue(2, ContactChannel.WhatsApp, First.AddMinutes(10))],
            late.Due);
        Assert.Null(late.NextDueAtUtc);

        Assert.Empty(SmsCallWhatsApp.Advance(late.Progress, First.AddHours(5)).Due);
    }

    [Fact]
    public void Rules_with_the_same_minutes_are_due_together()
    {
        var both = Make((ContactChannel.Sms, 0), (ContactChannel.WhatsApp, 0), (ContactChannel.Voice, 3));
        Assert.Equal([ContactChannel.Sms, ContactChannel.WhatsApp], both.Advance(First, First).Due.Select(d => d.Channel));
    }

    [Fact]
    public void A_failed_channel_moves_to_the_next_at_once_and_the_rest_keep_their_spacing()
    {
        var sent = SmsCallWhatsApp.Advance(First, First).Progress;
        var failedAt = First.AddMinutes(1);

        var moved = SmsCallWhatsApp.MoveToNextChannel(sent, 0, failedAt);
        var step = SmsCallWhatsApp.Advance(moved, failedAt);

        Assert.Equal([new ContactRulesDue(1, ContactChannel.Voice, failedAt)], step.Due);
        Assert.Equal(failedAt.AddMinutes(5), step.NextDueAtUtc);
    }

    [Fact]
    public void Moving_on_twice_reaches_the_last_channel_and_then_stops()
    {
        var progress = SmsCallWhatsApp.Advance(First, First).Progress;
        progress = SmsCallWhatsApp.MoveToNextChannel(progress, 0, First.AddMinutes(1));
        progress = SmsCallWhatsApp.Advance(progress, First.AddMinutes(1)).Progress;
        progress = SmsCallWhatsApp.MoveToNextChannel(progress, 1, First.AddMinutes(2));
        var step = SmsCallWhatsApp.Advance(progress, First.AddMinutes(2));
        Assert.Equal([ContactChannel.WhatsApp], step.Due.Select(d => d.Channel));

        Assert.Equal(step.Progress, SmsCallWhatsApp.MoveToNextChannel(step.Progress, 2, First.AddMinutes(3)));
    }

    [Fact]
    public void A_late_failure_of_an_earlier_channel_changes_nothing()
    {
        // SMS and the call have gone out; the SMS's failure arrives afterwards.
        var progress = SmsCallWhatsApp.Advance(First, First.AddMinutes(6)).Progress;
        Assert.Equal(progress, SmsCallWhatsApp.MoveToNextChannel(progress, 0, First.AddMinutes(7)));
    }

    [Fact]
    public void A_failure_when_the_next_channel_is_already_due_changes_nothing()
    {
        var progress = SmsCallWhatsApp.Advance(First, First).Progress;
        Assert.Equal(progress, SmsCallWhatsApp.MoveToNextChannel(progress, 0, First.AddMinutes(6)));
        Assert.Equal(progress, SmsCallWhatsApp.MoveToNextChannel(progress, -1, First.AddMinutes(1)));
    }

    [Fact]
    public void The_default_is_an_sms_then_a_call_after_five_minutes()
    {
        Assert.Equal([new ContactRule(ContactChannel.Sms, 0), new ContactRule(ContactChannel.Voice, 5)], ContactRules.Default.Rules);
    }

    public static TheoryData<ContactRule?[], string> InvalidRules => new()
    {
        { [], "rules" },
        { Enumerable.Range(0, 11).Select(_ => new ContactRule(ContactChannel.Sms, 0)).ToArray(), "rules" },
        { [null], "rules[0]" },
        { [new ContactRule(ContactChannel.Sms, 1)], "rules[0].afterMinutes" },
        { [new ContactRule(ContactChannel.Sms, -1)], "rules[0].afterMinutes" },
        { [new ContactRule(ContactChannel.Sms, 0), new ContactRule(ContactChannel.Voice, 1441)], "rules[1].afterMinutes" },
        { [new ContactRule(ContactChannel.Sms, 0), new ContactRule(ContactChannel.Voice, 10), new ContactRule(ContactChannel.WhatsApp, 5)], "rules[2].afterMinutes" },
        { [new ContactRule((ContactChannel)7, 0)], "rules[0].channel" },
    };

    [Theory]
    [MemberData(nameof(InvalidRules))]
    public void Invalid_rules_are_reported_under_the_field_without_throwing(ContactRule?[] rules, string field)
    {
        Assert.False(ContactRules.TryCreate(rules, out var made, out var errors));
        Assert.Null(made);
        Assert.Equal([field], errors.Keys);
    }

    [Fact]
    public void Ten_rules_in_time_order_are_accepted()
    {
        var rules = Enumerable.Range(0, 10).Select(i => new ContactRule((ContactChannel)(i % 3), i * 5)).ToArray();
        Assert.True(ContactRules.TryCreate(rules, out var made, out var errors));
        Assert.Empty(errors);
        Assert.Equal(10, made.Rules.Count);
    }
}
