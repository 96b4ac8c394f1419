using Itoc360.Domain.Paging;

namespace Itoc360.Tests.Domain.Paging;

public class ReplyGrammarTests
{
    private static ReplyCommand Ack(long? n) => new ReplyCommand.Acknowledge(n);
    private static ReplyCommand Resolve(long? n) => new ReplyCommand.Resolve(n);
    private static ReplyCommand Snooze(long? n, double minutes = 30) => new ReplyCommand.Snooze(n, TimeSpan.FromMinutes(minutes));
    private static readonly ReplyCommand Stop = new ReplyCommand.Stop();
    private static readonly ReplyCommand Start = new ReplyCommand.Start();
    private static readonly ReplyCommand Help = new ReplyCommand.Help();
    private static readonly ReplyCommand Unknown = new ReplyCommand.Unknown();

    public static TheoryData<string?, ReplyCommand> Commands => new()
    {
        // The documented forms.
        { "ACK 42", Ack(42) },
        { "RESOLVE 42", Resolve(42) },
        { "SNOOZE 42 30m", Snooze(42, 30) },
        { "ACKNOWLEDGE 42", Ack(42) },
        // Short forms and case.
        { "A 42", Ack(42) },
        { "R 42", Resolve(42) },
        { "S 42 30m", Snooze(42, 30) },
        { "ack 42", Ack(42) },
        { "Ack 42", Ack(42) },
        { "aCk 42", Ack(42) },
        { "a 42", Ack(42) },
        { "resolve 7", Resolve(7) },
        { "r 7", Resolve(7) },
        { "snooze 7 1h", Snooze(7, 60) },
        { "s 7", Snooze(7) },
        // Number spellings.
        { "ack #42", Ack(42) },
        { "ACK#42", Ack(42) },
        { "ack42", Ack(42) },
        { "A42", Ack(42) },
        { "ACK: 42", Ack(42) },
        { "ACK-42", Ack(42) },
        { "ACK 0042", Ack(42) },
        { "ACK 9223372036854775807", Ack(long.MaxValue) },
        // Number first.
        { "42 ack", Ack(42) },
        { "#42 A", Ack(42) },
        { "42 resolve", Resolve(42) },
        { "42 r", Resolve(42) },
        { "42 snooze", Snooze(42) },
        { "42 s 2h", Snooze(42, 120) },
        { "42 ack thanks", Ack(42) },
        // No number: the caller picks the last incident.
        { "ACK", Ack(null) },
        { "a", Ack(null) },
        { "ack.", Ack(null) },
        { "RESOLVE", Resolve(null) },
        { "R", Resolve(null) },
        { "SNOOZE", Snooze(null) },
        { "S", Snooze(null) },
        { "S 30m", Snooze(null, 30) },
        { "snooze 2 hours", Snooze(null, 120) },
        { "snooze 30 min", Snooze(null, 30) },
        { "snooze for 1h", Snooze(null, 60) },
        { "S 1h30m", Snooze(null, 90) },
        // A lone number after SNOOZE is the incident, not minutes.
        { "S 30", Snooze(30) },
        { "SNOOZE 90", Snooze(90) },
        // Durations after the number.
        { "SNOOZE 42 30 min", Snooze(42, 30) },
        { "SNOOZE 42 30 mins", Snooze(42, 30) },
        { "SNOOZE 42 30 minutes", Snooze(42, 30) },
        { "SNOOZE 42 1h", Snooze(42, 60) },
        { "SNOOZE 42 1 hr", Snooze(42, 60) },
        { "SNOOZE 42 2 hours", Snooze(42, 120) },
        { "SNOOZE 42 2HRS", Snooze(42, 120) },
        { "SNOOZE 42 90", Snooze(42, 90) },
        { "SNOOZE 42 1h30m", Snooze(42, 90) },
        { "SNOOZE 42 1h 15m", Snooze(42, 75) },
        { "SNOOZE 42 1.5h", Snooze(42, 90) },
        { "SNOOZE 42 for 45 minutes", Snooze(42, 45) },
        { "SNOOZE 42 1d", Snooze(42, 24 * 60) },
        { "SNOOZE 42 1 day", Snooze(42, 24 * 60) },
        { "SNOOZE 42 24h", Snooze(42, 24 * 60) },
        { "SNOOZE 42 1440", Snooze(42, 1440) },
        { "SNOOZE 42 1m", Snooze(42, 1) },
        { "SNOOZE 42 60s", Snooze(42, 1) },
        { "SNOOZE 42 please", Snooze(42) },
        { "SNOOZE 42 1h then call me", Snooze(42, 60) },
        // Whitespace, punctuation, smart quotes, control characters, invisible characters.
        { "  ACK 42  ", Ack(42) },
        { "\tACK\n42\r\n", Ack(42) },
        { "ACK 42.", Ack(42) },
        { "ACK 42!", Ack(42) },
        { "\"ACK 42\"", Ack(42) },
        { "\u201CACK 42\u201D", Ack(42) },
        { "\u2018ack\u2019 42", Ack(42) },
        { "ACK\u00A042", Ack(42) },
        { "AC\u200BK 42", Ack(42) },
        { "\uFEFFACK 42", Ack(42) },
        { "ACK\u000042", Ack(42) },
        { "\u0007ACK 42\u001B", Ack(42) },
        { "\uFF21\uFF23\uFF2B \uFF14\uFF12", Ack(42) },
        { "👍 ACK 42 👍", Ack(42) },
        { "SNOOZE 42 \u201C30m\u201D", Snooze(42, 30) },
        { "ACK 42\nSent from my iPhone", Ack(42) },
        { "ACK 42 43", Ack(42) },
        { "ACK 42, 43", Ack(42) },
        // Opt-out, opt-in and help keywords, alone.
        { "STOP", Stop },
        { "stop", Stop },
        { " Stop. ", Stop },
        { "STOPALL", Stop },
        { "UNSUBSCRIBE", Stop },
        { "CANCEL", Stop },
        { "END", Stop },
        { "QUIT", Stop },
        { "REVOKE", Stop },
        { "OPTOUT", Stop },
        { "START", Start },
        { "yes", Start },
        { "UNSTOP", Start },
        { "HELP", Help },
        { "info", Help },
        { "help?", Help },
        // Not commands.
        { null, Unknown },
        { "", Unknown },
        { "   ", Unknown },
        { "...", Unknown },
        { "\u0000\u0001\u0002", Unknown },
        { "42", Unknown },
        { "#42", Unknown },
        { "thanks", Unknown },
        { "ok", Unknown },
        { "ACK thanks", Unknown },
        { "ack it", Unknown },
        { "R u there?", Unknown },
        { "Resolve? why", Unknown },
        { "S 30m 42", Unknown },
        { "snooze 1h please", Unknown },
        { "don't resolve 42", Unknown },
        { "please ack 42", Unknown },
        { "stop paging me", Unknown },
        { "STOP 42", Unknown },
        { "cancel 42", Unknown },
        { "yes 42", Unknown },
        { "ACKK 42", Unknown },
        { "ÄCK 42", Unknown },
        { "42 thanks", Unknown },
        { "\uD800ACK 42", Ack(42) },
        { "ACK 42\uDC00", Ack(42) },
    };

    [Theory]
    [MemberData(nameof(Commands))]
    public void Reads_replies(string? body, ReplyCommand expected) =>
        Assert.Equal(expected, ReplyGrammar.Parse(body));

    public static TheoryData<string, string> InvalidCommands => new()
    {
        { "SNOOZE 42 0", "at least 1 minute" },
        { "SNOOZE 42 30s", "at least 1 minute" },
        { "SNOOZE 42 0.5m", "at least 1 minute" },
        { "S 0m", "at least 1 minute" },
        { "SNOOZE 42 25h", "at most 24 hours" },
        { "SNOOZE 42 1441", "at most 24 hours" },
        { "SNOOZE 42 2 days", "at most 24 hours" },
        { "SNOOZE 42 1 week", "at most 24 hours" },
        { "SNOOZE 42 99999999999999999999999h", "at most 24 hours" },
        { "S 3d", "at most 24 hours" },
        { "ACK 0", "no incident #0" },
        { "ACK #000", "no incident #0" },
        { "0 ack", "no incident #0" },
        { "RESOLVE 99999999999999999999", "too large" },
        { "ACK 9223372036854775808", "too large" },
        { "ACK 4.2", "whole numbers" },
    };

    [Theory]
    [MemberData(nameof(InvalidCommands))]
    public void Explains_commands_that_cannot_be_carried_out(string body, string reasonPart)
    {
        var invalid = Assert.IsType<ReplyCommand.Invalid>(ReplyGrammar.Parse(body));
        Assert.Contains(reasonPart, invalid.Reason, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void The_reason_for_a_bad_snooze_uses_the_incident_number()
    {
        var invalid = Assert.IsType<ReplyCommand.Invalid>(ReplyGrammar.Parse("snooze 7 3d"));
        Assert.Equal("A snooze can be at most 24 hours, e.g. SNOOZE 7 2h.", invalid.Reason);
    }

    [Fact]
    public void Reasons_fit_in_one_plain_sms()
    {
        foreach (var body in new[] { "SNOOZE 9223372036854775807 0", "SNOOZE 9223372036854775807 2d", "ACK 0", "ACK 99999999999999999999", "ACK 4.2" })
        {
            var invalid = Assert.IsType<ReplyCommand.Invalid>(ReplyGrammar.Parse(body));
            var measured = SmsText.Measure(invalid.Reason);
            Assert.Equal((SmsEncoding.Gsm7, 1), (measured.Encoding, measured.Segments));
        }
    }

    [Fact]
    public void Fractional_durations_are_whole_seconds()
    {
        var snooze = Assert.IsType<ReplyCommand.Snooze>(ReplyGrammar.Parse("SNOOZE 42 1.333h"));
        Assert.Equal(TimeSpan.FromSeconds(4799), snooze.Duration);
    }

    [Fact]
    public void Huge_messages_are_read_cheaply_and_do_not_throw()
    {
        Assert.Equal(Ack(42), ReplyGrammar.Parse("ACK 42 " + new string('x', 5_000_000)));
        Assert.Equal(Unknown, ReplyGrammar.Parse(new string('A', 5_000_000)));
        Assert.Equal(Unknown, ReplyGrammar.Parse(new string('9', 5_000_000)));
        Assert.Equal(Unknown, ReplyGrammar.Parse(string.Concat(Enumerable.Repeat("ACK ", 1_000_000))));
        // STOP followed by more than the inspected length of punctuation still stands alone.
        Assert.Equal(Stop, ReplyGrammar.Parse("STOP" + new string('!', 10_000)));
    }

    [Fact]
    public void Never_throws_on_any_single_character_or_pair()
    {
        for (var c = 0; c <= char.MaxValue; c++)
        {
            var ch = (char)c;
            ReplyGrammar.Parse(ch.ToString());
            ReplyGrammar.Parse($"ACK {ch}42");
            ReplyGrammar.Parse($"SNOOZE 42 1{ch}");
        }
    }

    [Fact]
    public void Never_throws_on_random_input()
    {
        var random = new Random(20261025);
        var alphabet = "ASRKCNOZEHMDW0123456789 .#:-\u201C\u00A0\uD83D\uDC4D\uFF21\u0000\n";
        for (var i = 0; i < 20_000; i++)
        {
            var chars = new char[random.Next(0, 24)];
            for (var j = 0; j < chars.Length; j++)
            {
                chars[j] = alphabet[random.Next(alphabet.Length)];
            }
            var command = ReplyGrammar.Parse(new string(chars));
            if (command is ReplyCommand.Snooze snooze)
            {
                Assert.InRange(snooze.Duration, ReplyGrammar.MinSnooze, ReplyGrammar.MaxSnooze);
            }
            if (command is ReplyCommand.Acknowledge { Number: { } n })
            {
                Assert.True(n > 0);
            }
        }
    }
}
