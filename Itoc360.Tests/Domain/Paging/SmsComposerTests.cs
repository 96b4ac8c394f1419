using Itoc360.Domain.Incidents;
using Itoc360.Domain.Paging;

namespace Itoc360.Tests.Domain.Paging;

public class SmsComposerTests
{
    private const string Link = "https://oncall.example.com/a/7Hq2xK9p";
    private const string Twilio11200 = "Twilio 11200: HTTP retrieval failure";

    private const string LongTitle =
        "Database connection pool exhausted on the primary cluster in eu-central-1 after the nightly " +
        "batch import started; 512 of 512 connections are busy, p99 latency for checkout is above 8 seconds, " +
        "the read replicas are lagging by more than four minutes and the queue of pending webhooks keeps growing " +
        "while the autoscaler refuses to add capacity because the quota for the account has been reached";

    [Fact]
    public void A_page_has_priority_number_title_link_and_reply_codes()
    {
        var sms = SmsComposer.Page(new PagedIncident(42, Priority.Critical, Twilio11200), Link);
        Assert.Equal(
            "CRITICAL #42 Twilio 11200: HTTP retrieval failure\n" +
            "Ack: https://oncall.example.com/a/7Hq2xK9p\n" +
            "Reply ACK 42, RESOLVE 42 or SNOOZE 42 30m",
            sms.Text);
        Assert.Equal(new SmsSegments(SmsEncoding.Gsm7, 134, 1), sms.Size);
        Assert.True(sms.Fits);
    }

    [Theory]
    [InlineData(Priority.Critical, "CRITICAL #7 ")]
    [InlineData(Priority.High, "HIGH #7 ")]
    [InlineData(Priority.Medium, "MEDIUM #7 ")]
    [InlineData(Priority.Low, "LOW #7 ")]
    public void The_priority_comes_first(Priority priority, string start) =>
        Assert.StartsWith(start, SmsComposer.Page(new PagedIncident(7, priority, "Disk full"), Link).Text);

    [Fact]
    public void Without_a_link_or_title_the_lines_are_left_out()
    {
        Assert.Equal("HIGH #5 Disk full\nReply ACK 5, RESOLVE 5 or SNOOZE 5 30m",
            SmsComposer.Page(new PagedIncident(5, Priority.High, "Disk full"), null).Text);
        Assert.Equal("HIGH #5\nAck: " + Link + "\nReply ACK 5, RESOLVE 5 or SNOOZE 5 30m",
            SmsComposer.Page(new PagedIncident(5, Priority.High, " \n "), Link).Text);
        Assert.Equal("HIGH #5\nReply ACK 5, RESOLVE 5 or SNOOZE 5 30m",
            SmsComposer.Page(new PagedIncident(5, Priority.High, null), "  ").Text);
    }

    [Fact]
    public void A_long_title_is_shortened_at_a_word_to_fill_two_segments()
    {
        var sms = SmsComposer.Page(new PagedIncident(1234, Priority.Critical, LongTitle), Link);

        Assert.Equal(SmsEncoding.Gsm7, sms.Size.Encoding);
        Assert.Equal(2, sms.Size.Segments);
        Assert.True(sms.Size.Units > 306 - SmsText.Gsm7PerPart / 10, $"only {sms.Size.Units} septets used");
        var lines = sms.Text.Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("CRITICAL #1234 Database connection pool exhausted", lines[0]);
        Assert.EndsWith("...", lines[0]);
        Assert.Matches(@"[a-z0-9]\.\.\.$", lines[0]);
        Assert.StartsWith(lines[0][..^3], "CRITICAL #1234 " + LongTitle);
        // Cut at a word: what precedes the ellipsis is a whole word of the title.
        var lastWord = lines[0][..^3].Split(' ')[^1];
        Assert.Contains(" " + lastWord + " ", LongTitle);
        Assert.Equal("Ack: " + Link, lines[1]);
        Assert.Equal("Reply ACK 1234, RESOLVE 1234 or SNOOZE 1234 30m", lines[2]);
    }

    [Fact]
    public void Typography_in_a_title_does_not_force_ucs2()
    {
        var title = "\u201CCheckout\u201D p99 \u2013 850\u00A0ms\u2026 it\u2019s the payment provider";
        var sms = SmsComposer.Page(new PagedIncident(42, Priority.High, title), Link);
        Assert.Equal(SmsEncoding.Gsm7, sms.Size.Encoding);
        Assert.Equal(1, sms.Size.Segments);
        Assert.StartsWith("HIGH #42 \"Checkout\" p99 - 850 ms... it's the payment provider\n", sms.Text);
    }

    [Fact]
    public void A_title_that_needs_ucs2_gets_the_ucs2_budget()
    {
        var title = string.Concat(Enumerable.Repeat("数据库主节点连接池耗尽，", 20));
        var sms = SmsComposer.Page(new PagedIncident(42, Priority.Critical, title), Link);

        Assert.Equal(SmsEncoding.Ucs2, sms.Size.Encoding);
        Assert.Equal(2, sms.Size.Segments);
        Assert.True(sms.Size.Units > 134 - 10);
        var lines = sms.Text.Split('\n');
        Assert.StartsWith("CRITICAL #42 数据库主节点", lines[0]);
        Assert.EndsWith("\u2026", lines[0]);
        Assert.Equal("Ack: " + Link, lines[1]);
        Assert.Equal("Reply ACK 42, RESOLVE 42 or SNOOZE 42 30m", lines[2]);
    }

    [Fact]
    public void Cutting_the_only_non_gsm_character_returns_to_the_gsm_budget()
    {
        var title = LongTitle + " 🔥";
        var sms = SmsComposer.Page(new PagedIncident(42, Priority.Critical, title), Link);
        Assert.Equal(SmsEncoding.Gsm7, sms.Size.Encoding);
        Assert.Equal(2, sms.Size.Segments);
        Assert.DoesNotContain("🔥", sms.Text);
    }

    [Fact]
    public void A_short_title_with_an_emoji_stays_whole_in_ucs2()
    {
        var sms = SmsComposer.Page(new PagedIncident(42, Priority.Low, "Backup done 🔥"), Link);
        Assert.Equal(SmsEncoding.Ucs2, sms.Size.Encoding);
        Assert.Equal(2, sms.Size.Segments);
        Assert.StartsWith("LOW #42 Backup done 🔥\n", sms.Text);
    }

    [Fact]
    public void Surrogate_pairs_are_never_split()
    {
        var title = string.Concat(Enumerable.Repeat("🔥", 200));
        var sms = SmsComposer.Page(new PagedIncident(42, Priority.Critical, title), Link);
        Assert.True(sms.Fits);
        for (var i = 0; i < sms.Text.Length; i++)
        {
            if (char.IsHighSurrogate(sms.Text[i])) Assert.True(char.IsLowSurrogate(sms.Text[++i]));
            else Assert.False(char.IsLowSurrogate(sms.Text[i]));
        }
    }

    [Fact]
    public void A_long_link_squeezes_the_title_then_the_reply_codes_but_is_never_cut()
    {
        var link = "https://oncall.example.com/a/" + new string('k', 200);
        var sms = SmsComposer.Page(new PagedIncident(42, Priority.Critical, LongTitle), link);
        Assert.True(sms.Fits);
        Assert.Equal("CRITICAL #42 Database...\nAck: " + link + "\nReply ACK 42, RESOLVE 42 or SNOOZE 42 30m", sms.Text);

        // No room for 16 characters of title next to all reply codes: the short code goes first.
        var longer = "https://oncall.example.com/a/" + new string('k', 215);
        var shortCodes = SmsComposer.Page(new PagedIncident(42, Priority.Critical, LongTitle), longer);
        Assert.True(shortCodes.Fits);
        Assert.Matches("^CRITICAL #42 Database connection[a-z ]*\\.\\.\\.\nAck: " + longer + "\nReply ACK 42$", shortCodes.Text);

        // Then the codes go before the title does.
        var longest = "https://oncall.example.com/a/" + new string('k', 240);
        var squeezed = SmsComposer.Page(new PagedIncident(42, Priority.Critical, LongTitle), longest);
        Assert.True(squeezed.Fits);
        Assert.Equal("CRITICAL #42 Database...\nAck: " + longest, squeezed.Text);
        Assert.Equal(2, squeezed.Size.Segments);
    }

    [Fact]
    public void A_link_too_long_for_two_segments_is_still_sent_whole()
    {
        var link = "https://oncall.example.com/a/" + new string('k', 400);
        var sms = SmsComposer.Page(new PagedIncident(42, Priority.Critical, LongTitle), link);
        Assert.False(sms.Fits);
        Assert.Equal("CRITICAL #42\nAck: " + link, sms.Text);
        Assert.Equal(3, sms.Size.Segments);
    }

    [Fact]
    public void Extension_characters_in_a_title_count_double()
    {
        var title = string.Concat(Enumerable.Repeat("{x}[y]|", 60));
        var sms = SmsComposer.Page(new PagedIncident(42, Priority.Critical, title), Link);
        Assert.Equal(SmsEncoding.Gsm7, sms.Size.Encoding);
        Assert.Equal(2, sms.Size.Segments);
        Assert.Contains("...\nAck: ", sms.Text);
    }

    [Fact]
    public void Several_incidents_share_one_sms_most_urgent_first()
    {
        var sms = SmsComposer.Bundle([
            new PagedIncident(44, Priority.Low, "Certificate expires in 14 days"),
            new PagedIncident(43, Priority.High, "Queue backlog"),
            new PagedIncident(42, Priority.Critical, "Disk full on db-1"),
        ]);
        Assert.Equal(
            "3 incidents: CRITICAL #42 Disk full on db-1; HIGH #43 Queue backlog; LOW #44 Certificate expires in 14 days\n" +
            "Reply ACK, RESOLVE or SNOOZE + number, e.g. ACK 42",
            sms.Text);
        Assert.Equal((SmsEncoding.Gsm7, 1), (sms.Size.Encoding, sms.Size.Segments));
    }

    [Fact]
    public void Long_titles_in_a_bundle_are_shortened_evenly()
    {
        var sms = SmsComposer.Bundle([
            new PagedIncident(42, Priority.Critical, LongTitle),
            new PagedIncident(43, Priority.High, LongTitle),
            new PagedIncident(44, Priority.Medium, "Short one"),
        ]);
        Assert.Equal((SmsEncoding.Gsm7, 2), (sms.Size.Encoding, sms.Size.Segments));
        Assert.StartsWith("3 incidents: CRITICAL #42 Database connection pool", sms.Text);
        Assert.Contains("; HIGH #43 Database connection pool", sms.Text);
        Assert.Contains("; MEDIUM #44 Short one\n", sms.Text);
        Assert.DoesNotContain("more", sms.Text);
    }

    [Fact]
    public void A_bundle_lists_what_fits_and_counts_the_rest()
    {
        var incidents = Enumerable.Range(100, 30)
            .Select(n => new PagedIncident(n, n % 3 == 0 ? Priority.Critical : Priority.Medium, $"Host web-{n} is not responding to health checks"))
            .ToList();
        var sms = SmsComposer.Bundle(incidents);

        Assert.Equal((SmsEncoding.Gsm7, 2), (sms.Size.Encoding, sms.Size.Segments));
        var body = sms.Text.Split('\n')[0];
        Assert.StartsWith("30 incidents: CRITICAL #102 Host web-102", body);
        var items = body["30 incidents: ".Length..].Split("; ");
        var more = items[^1];
        var listed = items[..^1];
        Assert.Equal($"+{30 - listed.Length} more", more);
        Assert.True(listed.Length >= 3, sms.Text);
        // Every listed incident keeps at least 20 characters of its title.
        Assert.All(listed, item => Assert.True(item.Split(' ', 3)[2].Length >= SmsComposer.MinBundleTitle, item));
        // Critical ones (multiples of 3) come before medium ones.
        Assert.All(listed.Take(Math.Min(listed.Length, 10)), item => Assert.StartsWith("CRITICAL", item));
        Assert.Equal("Reply ACK, RESOLVE or SNOOZE + number, e.g. ACK 102", sms.Text.Split('\n')[1]);
    }

    [Fact]
    public void Many_untitled_incidents_are_all_listed_when_they_fit()
    {
        var incidents = Enumerable.Range(1, 12).Select(n => new PagedIncident(n, Priority.High, null)).ToList();
        var sms = SmsComposer.Bundle(incidents);
        Assert.Equal("12 incidents: " + string.Join("; ", Enumerable.Range(1, 12).Select(n => $"HIGH #{n}")) +
                     "\nReply ACK, RESOLVE or SNOOZE + number, e.g. ACK 1", sms.Text);
    }

    [Fact]
    public void A_bundle_of_one_is_a_page_without_a_link()
    {
        var incident = new PagedIncident(42, Priority.Critical, Twilio11200);
        Assert.Equal(SmsComposer.Page(incident, null), SmsComposer.Bundle([incident]));
        Assert.Throws<ArgumentException>(() => SmsComposer.Bundle([]));
    }

    [Fact]
    public void Huge_titles_still_give_a_message_that_fits()
    {
        // 4 MB titles: the composers take what fits and never fail on size (speed is for bench/, not for tests).
        var huge = string.Concat(Enumerable.Repeat("word ", 800_000));
        var incidents = Enumerable.Range(1, 200).Select(n => new PagedIncident(n, Priority.Critical, huge)).ToList();
        Assert.True(SmsComposer.Page(incidents[0], Link).Fits);
        var bundle = SmsComposer.Bundle(incidents);
        Assert.True(bundle.Fits);
        Assert.Contains(" more\n", bundle.Text);
    }
}
