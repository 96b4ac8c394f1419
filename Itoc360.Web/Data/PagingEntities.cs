using Itoc360.Domain;
using Itoc360.Domain.Incidents;
using Itoc360.Domain.Paging;

namespace Itoc360.Web.Data;

/// <summary>An on-call schedule as stored; <see cref="Features.Paging.OnCall"/> turns it into the domain's <see cref="Schedule"/>.</summary>
public sealed class ScheduleRow
{
    public Guid Id { get; set; }
    public required string Name { get; set; }
    /// <summary>IANA time zone of the hand-off time.</summary>
    public required string TimeZone { get; set; }
    /// <summary><see cref="RotationKind"/> name.</summary>
    public required string Rotation { get; set; }
    /// <summary>Hand-off wall time <c>HH:mm</c> in <see cref="TimeZone"/>.</summary>
    public required string Handoff { get; set; }
    /// <summary>The local date on which the first user's first turn starts (<c>yyyy-MM-dd</c>).</summary>
    public required string StartDate { get; set; }
    /// <summary>The rotation's users in order, as a JSON array of user ids.</summary>
    public required string UserIdsJson { get; set; }
    public DateTime CreatedAt { get; set; }
    public int Version { get; set; }
    public List<ScheduleOverrideRow> Overrides { get; set; } = [];
}

/// <summary>Someone covering a schedule for a while, whoever the rotation says.</summary>
public sealed class ScheduleOverrideRow
{
    public long Id { get; set; }
    public Guid ScheduleId { get; set; }
    public required string UserId { get; set; }
    public DateTime StartUtc { get; set; }
    public DateTime EndUtc { get; set; }
    public DateTime CreatedAt { get; set; }
    public string? CreatedBy { get; set; }
}

/// <summary>An escalation policy as stored: the steps as JSON (<see cref="Features.Paging.PolicyJson"/>).</summary>
public sealed class EscalationPolicyRow
{
    public Guid Id { get; set; }
    public required string Name { get; set; }
    public int Repeat { get; set; }
    public required string StepsJson { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public int Version { get; set; }
}

public static class EscalationStates
{
    /// <summary>Paging goes on: the next step is due at <see cref="Escalation.DueAt"/> (null after the last step).</summary>
    public const string Active = "Active";
    /// <summary>The incident was acknowledged, resolved or snoozed: pending pages are canceled and the people already paged are still to be told.</summary>
    public const string Stopping = "Stopping";
    /// <summary>Over: nothing more is sent for it.</summary>
    public const string Stopped = "Stopped";
}

/// <summary>
/// One run of an escalation policy for an incident, written in the same transaction as the change that
/// started it (an incident opening, or triggering again). The row is the truth: where escalation stands
/// and when its next step is due, so a restart continues where it was.
/// </summary>
public sealed class Escalation
{
    public long Id { get; set; }
    public IncidentId IncidentId { get; set; }
    public Guid PolicyId { get; set; }
    public DateTime StartedAt { get; set; }
    /// <summary>The next step to page and its pass; meaningless once <see cref="DueAt"/> is null.</summary>
    public int StepIndex { get; set; }
    public int Repetition { get; set; }
    /// <summary>When the next step is due; null when every step has been paged.</summary>
    public DateTime? DueAt { get; set; }
    /// <summary><see cref="EscalationStates"/>.</summary>
    public required string State { get; set; }
    /// <summary>Why it stopped: the timeline kind of the change (acknowledged, resolved, snoozed…).</summary>
    public string? StopKind { get; set; }
    public string? StoppedBy { get; set; }
    public DateTime? StoppedAt { get; set; }
    public int Version { get; set; }
}

/// <summary>
/// One person paged by an escalation: where they stand in their own contact rules (SMS now, a call in 5
/// minutes…) and when their next channel is due.
/// </summary>
public sealed class PageTarget
{
    public long Id { get; set; }
    public long EscalationId { get; set; }
    public IncidentId IncidentId { get; set; }
    public required string UserId { get; set; }
    public DateTime PagedAt { get; set; }
    /// <summary><see cref="ContactRulesProgress"/>: the anchor time and index, and how many rules are used.</summary>
    public DateTime AnchorAt { get; set; }
    public int AnchorIndex { get; set; }
    public int UsedCount { get; set; }
    /// <summary>When the next contact rule is due; null when none is left or escalation stopped.</summary>
    public DateTime? DueAt { get; set; }
}

public static class NotificationPurposes
{
    /// <summary>A page for one incident (or a bundle of several).</summary>
    public const string Page = "page";
    /// <summary>Telling someone already paged that the incident was acknowledged or resolved.</summary>
    public const string Notice = "notice";
    /// <summary>What quiet hours held back, sent as one message when they end.</summary>
    public const string Digest = "digest";
    /// <summary>A one-time code for verifying a contact method.</summary>
    public const string Verification = "verification";
    /// <summary>"Send me a test page".</summary>
    public const string Test = "test";
}

/// <summary>
/// The outbox: one outgoing SMS, call or WhatsApp message to one person, with its own state. Written before
/// anything is sent; the sender claims it (Pending → Sending), stores Twilio's sid with the status Twilio
/// gave, and status callbacks move it on (never backwards, <see cref="NotificationStates"/>).
/// </summary>
public sealed class Notification
{
    public long Id { get; set; }
    /// <summary>The incident it is about (the first of a bundle); null for verification and test messages.</summary>
    public IncidentId? IncidentId { get; set; }
    /// <summary>All incident numbers of a bundle or digest, comma-separated with leading and trailing commas (<c>,12,13,</c>).</summary>
    public string? IncidentNumbers { get; set; }
    public required string UserId { get; set; }
    public Guid? ContactMethodId { get; set; }
    public ContactChannel Channel { get; set; }
    /// <summary><see cref="NotificationPurposes"/>.</summary>
    public required string Purpose { get; set; }
    /// <summary>The number in E.164 (without a <c>whatsapp:</c> prefix).</summary>
    public required string To { get; set; }
    /// <summary>The text sent (an SMS or WhatsApp body, or what a call says).</summary>
    public string? Body { get; set; }
    public Priority? Priority { get; set; }
    public NotificationStatus Status { get; set; }
    public DateTime CreatedAt { get; set; }
    /// <summary>Not sent before this (quiet hours, a rate cap, a retry's back-off).</summary>
    public DateTime SendAfter { get; set; }
    /// <summary>Why it waits: <c>quiet-hours</c>, <c>rate-cap</c> or <c>retry</c>; null when it went out at once.</summary>
    public string? HeldFor { get; set; }
    public DateTime? SendingAt { get; set; }
    public DateTime? SentAt { get; set; }
    public DateTime? DeliveredAt { get; set; }
    public DateTime? FinishedAt { get; set; }
    public string? ProviderSid { get; set; }
    public string? Error { get; set; }
    public int? ErrorCode { get; set; }
    /// <summary>What Twilio charged (Twilio reports it negative; stored as a positive cost).</summary>
    public decimal? Price { get; set; }
    public string? PriceUnit { get; set; }
    public int Attempts { get; set; }
    /// <summary>How often Twilio was asked for the price after the notification settled (it prices a while later).</summary>
    public int PriceChecks { get; set; }
    public long? PageTargetId { get; set; }
    /// <summary>Which of the person's contact rules this is (so a failure moves on to the rule after it).</summary>
    public int? RuleIndex { get; set; }
    /// <summary>Set when this page went out as part of another notification (a bundle or a digest).</summary>
    public long? BundledIntoId { get; set; }
    /// <summary>Set when a call was answered by a person (not a voicemail).</summary>
    public DateTime? AnsweredAt { get; set; }
    public int Version { get; set; }
}

/// <summary>An SMS or WhatsApp message someone sent us, and what it did.</summary>
public sealed class InboundMessage
{
    public long Id { get; set; }
    public DateTime ReceivedAt { get; set; }
    public required string From { get; set; }
    public string? Body { get; set; }
    public string? UserId { get; set; }
    public string? MessageSid { get; set; }
    /// <summary>What happened: <c>acknowledged</c>, <c>resolved</c>, <c>snoozed</c>, <c>stop</c>, <c>start</c>, <c>help</c>, <c>not-understood</c>, <c>unknown-sender</c>…</summary>
    public required string Outcome { get; set; }
    /// <summary>True when we answered it.</summary>
    public bool Replied { get; set; }
}

/// <summary>A secret the application made for itself (e.g. the key that signs acknowledge links), protected at rest.</summary>
public sealed class AppSecret
{
    public required string Name { get; set; }
    public required string ValueProtected { get; set; }
    public DateTime CreatedAt { get; set; }
}
