using Itoc360.Domain.Paging;

namespace Itoc360.Tests.Domain.Paging;

public class SmsRepliesTests
{
    private static readonly DateTime Now = new(2026, 7, 14, 13, 0, 0, DateTimeKind.Utc);

    public static TheoryData<string, string> Texts => new()
    {
        { SmsReplies.Acknowledged(42), "#42 acknowledged." },
        { SmsReplies.Resolved(42), "#42 resolved." },
        { SmsReplies.AlreadyAcknowledged(42), "#42 was already acknowledged." },
        { SmsReplies.AlreadyResolved(42), "#42 is already resolved." },
        { SmsReplies.NotFound(99), "Not found: #99." },
        { SmsReplies.Snoozed(42, Now.AddMinutes(90), Now), "#42 snoozed until 14:30 UTC." },
        { SmsReplies.Snoozed(42, Now.AddMinutes(90), Now, TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin")), "#42 snoozed until 16:30 UTC+2." },
        { SmsReplies.Snoozed(42, Now.AddMinutes(90), Now, TimeZoneInfo.FindSystemTimeZoneById("America/New_York")), "#42 snoozed until 10:30 UTC-4." },
        { SmsReplies.Snoozed(42, Now.AddMinutes(90), Now, TimeZoneInfo.FindSystemTimeZoneById("Asia/Kolkata")), "#42 snoozed until 20:00 UTC+5:30." },
        // Tomorrow there: the weekday is named.
        { SmsReplies.Snoozed(42, Now.AddHours(12), Now), "#42 snoozed until Wed 01:00 UTC." },
        { SmsReplies.Snoozed(42, Now.AddHours(12), Now, TimeZoneInfo.FindSystemTimeZoneById("America/Los_Angeles")), "#42 snoozed until 18:00 UTC-7." },
        { SmsReplies.Invalid(new ReplyCommand.Invalid("A snooze can be at most 24 hours, e.g. SNOOZE 7 2h.")), "A snooze can be at most 24 hours, e.g. SNOOZE 7 2h." },
    };

    [Theory]
    [MemberData(nameof(Texts))]
    public void Confirmations_say_what_happened(string actual, string expected) => Assert.Equal(expected, actual);

    [Fact]
    public void Every_reply_is_one_plain_segment()
    {
        string[] texts =
        [
            SmsReplies.Acknowledged(long.MaxValue), SmsReplies.Resolved(long.MaxValue),
            SmsReplies.AlreadyAcknowledged(long.MaxValue), SmsReplies.AlreadyResolved(long.MaxValue),
            SmsReplies.NotFound(long.MaxValue), SmsReplies.Snoozed(long.MaxValue, Now.AddHours(20), Now),
            SmsReplies.WhichIncident, SmsReplies.NotUnderstood, SmsReplies.HelpText,
        ];
        Assert.All(texts, text => Assert.Equal((SmsEncoding.Gsm7, 1), (SmsText.Measure(text).Encoding, SmsText.Measure(text).Segments)));
    }

    [Fact]
    public void The_examples_in_help_are_read_by_the_grammar()
    {
        Assert.Equal(new ReplyCommand.Acknowledge(42), ReplyGrammar.Parse("ACK 42"));
        Assert.Contains("ACK 42, RESOLVE 42 or SNOOZE 42 30m", SmsReplies.HelpText);
        Assert.Equal(new ReplyCommand.Snooze(42, TimeSpan.FromMinutes(30)), ReplyGrammar.Parse("SNOOZE 42 30m"));
    }
}
