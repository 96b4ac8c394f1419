using Itoc360.Domain.Paging;

namespace Itoc360.Tests.Domain.Paging;

public class NotificationStatesTests
{
    /// <summary>Every Twilio status string we must handle, plus ones that must change nothing.</summary>
    private static readonly string?[] Reported =
    [
        "accepted", "scheduled", "queued", "sending", "sent", "delivered", "undelivered", "failed", "read",
        "canceled", "receiving", "received", "initiated", "ringing", "in-progress", "completed", "busy",
        "no-answer", "bogus", null,
    ];

    // The expected next status for every current status (rows) and reported string (columns, in the order of
    // Reported), written out by hand: "." = unchanged.
    //                                      acc sch que sndg sent dlv und fail read canc rcvg rcvd init ring inpr comp busy noan bogus null
    private static readonly Dictionary<NotificationStatus, string> Table = new()
    {
        [NotificationStatus.Pending] =     "Q   Q   Q   Q    S    D   U   F    Rd   X    .    .    S    Rg   IP   C    B    N    .     .",
        [NotificationStatus.Sending] =     "Q   Q   Q   Q    S    D   U   F    Rd   X    .    .    S    Rg   IP   C    B    N    .     .",
        [NotificationStatus.Uncertain] =   "Q   Q   Q   Q    S    D   U   F    Rd   X    .    .    S    Rg   IP   C    B    N    .     .",
        [NotificationStatus.Queued] =      ".   .   .   .    S    D   U   F    Rd   X    .    .    S    Rg   IP   C    B    N    .     .",
        [NotificationStatus.Sent] =        ".   .   .   .    .    D   U   F    Rd   X    .    .    .    Rg   IP   C    B    N    .     .",
        [NotificationStatus.Ringing] =     ".   .   .   .    .    D   U   F    Rd   X    .    .    .    .    IP   C    B    N    .     .",
        [NotificationStatus.InProgress] =  ".   .   .   .    .    .   .   F    .    .    .    .    .    .    .    C    .    .    .     .",
        [NotificationStatus.Delivered] =   ".   .   .   .    .    .   .   .    Rd   .    .    .    .    .    .    .    .    .    .     .",
        [NotificationStatus.Read] =        ".   .   .   .    .    .   .   .    .    .    .    .    .    .    .    .    .    .    .     .",
        [NotificationStatus.Completed] =   ".   .   .   .    .    .   .   .    .    .    .    .    .    .    .    .    .    .    .     .",
        [NotificationStatus.Undelivered] = ".   .   .   .    .    .   .   .    .    .    .    .    .    .    .    .    .    .    .     .",
        [NotificationStatus.Failed] =      ".   .   .   .    .    .   .   .    .    .    .    .    .    .    .    .    .    .    .     .",
        [NotificationStatus.Busy] =        ".   .   .   .    .    .   .   .    .    .    .    .    .    .    .    .    .    .    .     .",
        [NotificationStatus.NoAnswer] =    ".   .   .   .    .    .   .   .    .    .    .    .    .    .    .    .    .    .    .     .",
        [NotificationStatus.Canceled] =    ".   .   .   .    .    .   .   .    .    .    .    .    .    .    .    .    .    .    .     .",
        [NotificationStatus.Bundled] =     ".   .   .   .    .    .   .   .    .    .    .    .    .    .    .    .    .    .    .     .",
    };

    private static readonly Dictionary<string, NotificationStatus> Codes = new()
    {
        ["Q"] = NotificationStatus.Queued, ["S"] = NotificationStatus.Sent, ["Rg"] = NotificationStatus.Ringing,
        ["IP"] = NotificationStatus.InProgress, ["D"] = NotificationStatus.Delivered, ["Rd"] = NotificationStatus.Read,
        ["C"] = NotificationStatus.Completed, ["U"] = NotificationStatus.Undelivered, ["F"] = NotificationStatus.Failed,
        ["B"] = NotificationStatus.Busy, ["N"] = NotificationStatus.NoAnswer, ["X"] = NotificationStatus.Canceled,
    };

    public static TheoryData<NotificationStatus, string?, NotificationStatus> EveryPair()
    {
        var data = new TheoryData<NotificationStatus, string?, NotificationStatus>();
        foreach (var (current, row) in Table)
        {
            var cells = row.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(Reported.Length, cells.Length);
            for (var i = 0; i < Reported.Length; i++)
            {
                data.Add(current, Reported[i], cells[i] == "." ? current : Codes[cells[i]]);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(EveryPair))]
    public void Every_status_and_report_has_the_expected_next_status(NotificationStatus current, string? reported, NotificationStatus expected) =>
        Assert.Equal(expected, NotificationStates.Apply(current, reported));

    [Fact]
    public void The_table_covers_every_status()
    {
        Assert.Equal(Enum.GetValues<NotificationStatus>().Order(), Table.Keys.Order());
    }

    [Fact]
    public void Nothing_ever_moves_backwards_or_leaves_a_final_status()
    {
        foreach (var current in Enum.GetValues<NotificationStatus>())
        {
            foreach (var reported in Reported)
            {
                var next = NotificationStates.Apply(current, reported);
                if (NotificationStates.IsFinal(current)) Assert.Equal(current, next);
                // Applying the same report again is a no-op (callbacks are retried).
                Assert.Equal(next, NotificationStates.Apply(next, reported));
            }
        }
    }

    [Theory]
    [InlineData("DELIVERED", NotificationStatus.Delivered)]
    [InlineData(" Delivered ", NotificationStatus.Delivered)]
    [InlineData("in_progress", NotificationStatus.InProgress)]
    [InlineData("IN-PROGRESS", NotificationStatus.InProgress)]
    [InlineData("no_answer", NotificationStatus.NoAnswer)]
    [InlineData("cancelled", NotificationStatus.Canceled)]
    public void Reports_are_read_leniently(string reported, NotificationStatus expected) =>
        Assert.Equal(expected, NotificationStates.Apply(NotificationStatus.Sending, reported));

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("deliver")]
    [InlineData("partially_delivered")]
    [InlineData("answered")]
    [InlineData("\u0000")]
    public void Unknown_reports_change_nothing(string reported)
    {
        Assert.Null(NotificationStates.FromTwilio(reported));
        Assert.Equal(NotificationStatus.Sent, NotificationStates.Apply(NotificationStatus.Sent, reported));
    }

    [Fact]
    public void A_typical_sms_and_a_typical_call()
    {
        var sms = NotificationStatus.Sending;
        foreach (var reported in new[] { "queued", "sent", "delivered", "sent", "queued" })
        {
            sms = NotificationStates.Apply(sms, reported);
        }
        Assert.Equal(NotificationStatus.Delivered, sms);

        var call = NotificationStatus.Sending;
        foreach (var reported in new[] { "queued", "initiated", "ringing", "in-progress", "ringing", "completed", "failed" })
        {
            call = NotificationStates.Apply(call, reported);
        }
        Assert.Equal(NotificationStatus.Completed, call);
    }

    [Fact]
    public void An_uncertain_send_is_settled_by_a_later_callback()
    {
        Assert.Equal(NotificationStatus.Delivered, NotificationStates.Apply(NotificationStatus.Uncertain, "delivered"));
        Assert.Equal(NotificationStatus.Failed, NotificationStates.Apply(NotificationStatus.Uncertain, "failed"));
        Assert.False(NotificationStates.MovesToNextChannel(NotificationStatus.Uncertain));
    }

    [Theory]
    [InlineData(NotificationStatus.Pending, false)]
    [InlineData(NotificationStatus.Sending, false)]
    [InlineData(NotificationStatus.Uncertain, false)]
    [InlineData(NotificationStatus.Queued, false)]
    [InlineData(NotificationStatus.Sent, false)]
    [InlineData(NotificationStatus.Ringing, false)]
    [InlineData(NotificationStatus.InProgress, false)]
    [InlineData(NotificationStatus.Delivered, false)]
    [InlineData(NotificationStatus.Read, false)]
    [InlineData(NotificationStatus.Completed, false)]
    [InlineData(NotificationStatus.Undelivered, true)]
    [InlineData(NotificationStatus.Failed, true)]
    [InlineData(NotificationStatus.Busy, true)]
    [InlineData(NotificationStatus.NoAnswer, true)]
    [InlineData(NotificationStatus.Canceled, false)]
    [InlineData(NotificationStatus.Bundled, false)]
    public void Failures_move_to_the_next_channel_at_once(NotificationStatus status, bool moves) =>
        Assert.Equal(moves, NotificationStates.MovesToNextChannel(status));

    [Theory]
    [InlineData(NotificationStatus.Pending, NotificationStatus.Canceled)]
    [InlineData(NotificationStatus.Sending, NotificationStatus.Sending)]
    [InlineData(NotificationStatus.Uncertain, NotificationStatus.Uncertain)]
    [InlineData(NotificationStatus.Sent, NotificationStatus.Sent)]
    [InlineData(NotificationStatus.Failed, NotificationStatus.Failed)]
    public void Only_pending_notifications_are_canceled(NotificationStatus current, NotificationStatus expected) =>
        Assert.Equal(expected, NotificationStates.Cancel(current));
}
