namespace Itoc360.Domain.Paging;

/// <summary>
/// What a paged person meant by a text message. <see cref="ReplyGrammar.Parse"/> returns one of these
/// and never throws. An incident number of <c>null</c> means "the incident I was last paged about":
/// the grammar cannot know which one that is, the caller does.
/// </summary>
public abstract record ReplyCommand
{
    private ReplyCommand() { }

    /// <summary><c>ACK 42</c>, <c>A 42</c>, <c>ack #42</c>, <c>42 ack</c>, or just <c>ACK</c>.</summary>
    public sealed record Acknowledge(long? Number) : ReplyCommand;

    /// <summary><c>RESOLVE 42</c>, <c>R 42</c>, <c>42 resolve</c>, or just <c>RESOLVE</c>.</summary>
    public sealed record Resolve(long? Number) : ReplyCommand;

    /// <summary><c>SNOOZE 42 30m</c>, <c>S 42</c> (the default duration), <c>S 1h</c> (no number).</summary>
    public sealed record Snooze(long? Number, TimeSpan Duration) : ReplyCommand;

    /// <summary>One of Twilio's opt-out keywords (STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT, REVOKE, OPTOUT).</summary>
    public sealed record Stop : ReplyCommand;

    /// <summary>One of Twilio's opt-in keywords (START, YES, UNSTOP).</summary>
    public sealed record Start : ReplyCommand;

    /// <summary>HELP or INFO.</summary>
    public sealed record Help : ReplyCommand;

    /// <summary>
    /// Clearly a command, but one that cannot be carried out as written (a snooze of 3 days, an
    /// incident number of 0). <see cref="Reason"/> is a short sentence that can be texted back.
    /// </summary>
    public sealed record Invalid(string Reason) : ReplyCommand;

    /// <summary>Not a command at all ("thanks", "who is this?", an empty message).</summary>
    public sealed record Unknown : ReplyCommand;
}
