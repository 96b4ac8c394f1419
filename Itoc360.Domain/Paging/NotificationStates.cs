namespace Itoc360.Domain.Paging;

/// <summary>
/// Where one outgoing notification (an outbox row: one SMS, call or WhatsApp message to one person) stands.
/// Declared roughly in the order a notification moves through them.
/// </summary>
public enum NotificationStatus
{
    /// <summary>Written to the outbox, not yet handed to Twilio.</summary>
    Pending,
    /// <summary>Our create request to Twilio is in flight.</summary>
    Sending,
    /// <summary>
    /// The create request ended ambiguously (a 500, a timeout): Twilio may or may not have it. Never resent
    /// blindly, since that could page twice; escalation carries on, and a later status callback settles it.
    /// </summary>
    Uncertain,
    /// <summary>Twilio has it but has not handed it on (Twilio: accepted, scheduled, queued, sending; a call: queued).</summary>
    Queued,
    /// <summary>Handed to the carrier (SMS: sent) or dialling (call: initiated).</summary>
    Sent,
    /// <summary>A call is ringing.</summary>
    Ringing,
    /// <summary>A call was answered and is going on.</summary>
    InProgress,
    /// <summary>The carrier confirmed delivery to the handset.</summary>
    Delivered,
    /// <summary>A WhatsApp message was read. Final.</summary>
    Read,
    /// <summary>A call was answered and has ended. Final.</summary>
    Completed,
    /// <summary>The carrier could not deliver it. Final; the person's next channel is tried at once.</summary>
    Undelivered,
    /// <summary>Twilio could not send it (or the call failed). Final; the person's next channel is tried at once.</summary>
    Failed,
    /// <summary>The callee was busy. Final; the next channel is tried at once.</summary>
    Busy,
    /// <summary>Nobody answered the call. Final; the next channel is tried at once.</summary>
    NoAnswer,
    /// <summary>Not sent on its own: it went out as part of another notification (a bundle or a quiet-hours digest). Final.</summary>
    Bundled,
    /// <summary>Canceled before it went out (by us, e.g. the incident was acknowledged, or at Twilio). Final.</summary>
    Canceled,
}

/// <summary>
/// The one place that decides how a notification's status changes on a Twilio status callback. Callbacks
/// arrive late, twice and out of order, so a status never moves backwards: a late <c>sent</c> after
/// <c>delivered</c> changes nothing, while <c>failed</c> or <c>undelivered</c> after <c>sent</c> applies,
/// and final statuses stay.
/// </summary>
/// <remarks>
/// Message and call statuses share one mapping (the strings Twilio uses for both mean the same thing).
/// Progress has an order: Pending, Sending/Uncertain &lt; Queued &lt; Sent &lt; Ringing &lt; InProgress &lt;
/// Delivered; a status applies only when it is further along. A final outcome (failed, undelivered, busy,
/// no-answer, canceled, completed, read) applies over any progress except two that already prove the person
/// was reached: after Delivered only Read applies, and after InProgress (answered) only Completed or Failed.
/// Unknown strings, and the inbound statuses <c>receiving</c>/<c>received</c>, change nothing.
/// </remarks>
public static class NotificationStates
{
    /// <summary>The status after Twilio reported <paramref name="twilioStatus"/> (case and '-'/'_' insensitive).</summary>
    public static NotificationStatus Apply(NotificationStatus current, string? twilioStatus)
    {
        if (FromTwilio(twilioStatus) is not { } next || IsFinal(current))
        {
            return current;
        }

        return current switch
        {
            NotificationStatus.Delivered => next == NotificationStatus.Read ? next : current,
            NotificationStatus.InProgress => next is NotificationStatus.Completed or NotificationStatus.Failed ? next : current,
            _ when IsFinal(next) => next,
            _ => Rank(next) > Rank(current) ? next : current,
        };
    }

    /// <summary>Our status for a Twilio message or call status, or null for one that is not an outbound status.</summary>
    public static NotificationStatus? FromTwilio(string? twilioStatus) =>
        twilioStatus?.Trim().Replace('_', '-').ToLowerInvariant() switch
        {
            "accepted" or "scheduled" or "queued" or "sending" => NotificationStatus.Queued,
            "sent" or "initiated" => NotificationStatus.Sent,
            "ringing" => NotificationStatus.Ringing,
            "in-progress" => NotificationStatus.InProgress,
            "delivered" => NotificationStatus.Delivered,
            "read" => NotificationStatus.Read,
            "completed" => NotificationStatus.Completed,
            "undelivered" => NotificationStatus.Undelivered,
            "failed" => NotificationStatus.Failed,
            "busy" => NotificationStatus.Busy,
            "no-answer" => NotificationStatus.NoAnswer,
            "canceled" or "cancelled" => NotificationStatus.Canceled,
            _ => null,
        };

    /// <summary>Nothing Twilio reports later changes these.</summary>
    public static bool IsFinal(NotificationStatus status) => status is
        NotificationStatus.Read or NotificationStatus.Completed or NotificationStatus.Undelivered
        or NotificationStatus.Failed or NotificationStatus.Busy or NotificationStatus.NoAnswer or NotificationStatus.Canceled or NotificationStatus.Bundled;

    /// <summary>
    /// True when this notification will not reach the person, so escalation should move to their next
    /// channel now rather than wait out the step's delay. Uncertain is not one of them: it may well have
    /// arrived, so escalation simply carries on at its usual pace.
    /// </summary>
    public static bool MovesToNextChannel(NotificationStatus status) => status is
        NotificationStatus.Undelivered or NotificationStatus.Failed or NotificationStatus.Busy or NotificationStatus.NoAnswer;

    /// <summary>
    /// Acknowledging or resolving stops pages that have not gone out: a Pending notification becomes Canceled.
    /// Anything already handed over (or possibly handed over, Sending/Uncertain) is left as it is.
    /// </summary>
    public static NotificationStatus Cancel(NotificationStatus current) =>
        current == NotificationStatus.Pending ? NotificationStatus.Canceled : current;

    private static int Rank(NotificationStatus status) => status switch
    {
        NotificationStatus.Pending => 0,
        NotificationStatus.Sending or NotificationStatus.Uncertain => 1,
        NotificationStatus.Queued => 2,
        NotificationStatus.Sent => 3,
        NotificationStatus.Ringing => 4,
        NotificationStatus.InProgress => 5,
        NotificationStatus.Delivered => 6,
        _ => 7,
    };
}
