using Itoc360.Domain;
using Microsoft.AspNetCore.Identity;

namespace Itoc360.Web.Data;

/// <summary>A configured inbound source. Secrets (tokens, Twilio auth tokens) are stored protected.</summary>
public sealed class Source
{
    public SourceId Id { get; set; }
    public required string Name { get; set; }
    public required string Kind { get; set; }
    public bool Enabled { get; set; } = true;
    public DateTime CreatedAt { get; set; }
    public DateTime? LastDeliveryAt { get; set; }
    /// <summary>The priority mapping as JSON (<see cref="Features.Sources.PriorityMappingJson"/>).</summary>
    public required string PriorityMappingJson { get; set; }
    public string? TwilioAuthTokenProtected { get; set; }
    public string? TwilioAlternateAuthTokenProtected { get; set; }
    public int Version { get; set; }
    public List<SourceToken> Tokens { get; set; } = [];

    /// <summary>An acknowledged incident not resolved within this many hours is triggered again; null = never.</summary>
    public int? AcknowledgementTimeoutHours { get; set; }

    /// <summary>An open incident without a new alert for this many hours is resolved; null = never (for kinds that send recoveries).</summary>
    public int? AutoResolveHours { get; set; }

    /// <summary>Deliveries older than this many days are deleted; null = the configured default (30 days).</summary>
    public int? DeliveryRetentionDays { get; set; }

    /// <summary>The escalation policy that pages for this source's incidents unless a routing rule picks another; null = nobody is paged.</summary>
    public Guid? EscalationPolicyId { get; set; }

    /// <summary>Ordered routing rules as JSON (<see cref="Features.Paging.RoutingJson"/>); null = none.</summary>
    public string? RoutingRulesJson { get; set; }
}

/// <summary>A webhook token of a source. The current one has no <see cref="ValidUntil"/>; a rotated one works until then.</summary>
public sealed class SourceToken
{
    public long Id { get; set; }
    public SourceId SourceId { get; set; }
    /// <summary>The token, protected with ASP.NET Data Protection so that admins can copy the URL later.</summary>
    public required string TokenProtected { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? ValidUntil { get; set; }
    public DateTime? LastUsedAt { get; set; }
}

public static class DeliveryOutcomes
{
    public const string Accepted = "accepted";
    public const string Duplicate = "duplicate";
    public const string Ignored = "ignored";
    public const string Rejected = "rejected";
}

/// <summary>One inbound webhook request, kept whatever became of it.</summary>
public sealed class Delivery
{
    public DeliveryId Id { get; set; }
    public SourceId SourceId { get; set; }
    public DateTime ReceivedAt { get; set; }
    public required string Method { get; set; }
    public string? ContentType { get; set; }
    /// <summary>The query string without the token.</summary>
    public string? Query { get; set; }
    /// <summary>The body bytes, up to the size cap.</summary>
    public byte[] Body { get; set; } = [];
    /// <summary>The body length as sent (may exceed <see cref="Body"/>'s when over the cap).</summary>
    public long BodyLength { get; set; }
    public string? Headers { get; set; }
    public string? RemoteAddress { get; set; }
    public required string Outcome { get; set; }
    public int StatusCode { get; set; }
    public string? Error { get; set; }
    public IncidentId? IncidentId { get; set; }
    /// <summary>The vendor's event id of an accepted delivery; unique per source, so a redelivery is a duplicate.</summary>
    public string? EventId { get; set; }
    public DeliveryId? ReplayOfId { get; set; }
}

public static class JobStates
{
    public const string Queued = "Queued";
    public const string Running = "Running";
    public const string Succeeded = "Succeeded";
    public const string Failed = "Failed";
}

/// <summary>
/// A bulk acknowledge or resolve: the request, its progress and its result. The row is the truth
/// (Hangfire only runs it), so a job cut short by a restart is picked up again and continues.
/// </summary>
public sealed class BulkJob
{
    public Guid Id { get; set; }
    /// <summary><c>acknowledge</c> or <c>resolve</c>.</summary>
    public required string Action { get; set; }
    /// <summary>The incident ids, as a JSON array, in the order they are worked through.</summary>
    public required string IncidentIdsJson { get; set; }
    public string? Note { get; set; }
    public required string RequestedBy { get; set; }
    public Domain.Incidents.Via Via { get; set; }
    public required string State { get; set; }
    public int Total { get; set; }
    /// <summary>How many of the ids have been worked through (the next one to do is at this index).</summary>
    public int Processed { get; set; }
    public int Changed { get; set; }
    /// <summary>Already in the asked-for state.</summary>
    public int Unchanged { get; set; }
    /// <summary>Not found, or the action does not apply (e.g. acknowledging a resolved incident).</summary>
    public int Failed { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? StartedAt { get; set; }
    public DateTime? UpdatedAt { get; set; }
    public DateTime? FinishedAt { get; set; }
    public string? Error { get; set; }
}

public sealed class ApiKey
{
    public long Id { get; set; }
    public required string Name { get; set; }
    /// <summary>The first characters of the key, to recognise it in lists.</summary>
    public required string Prefix { get; set; }
    /// <summary>SHA-256 of the key, hex.</summary>
    public required string Hash { get; set; }
    public required string Role { get; set; }
    public DateTime CreatedAt { get; set; }
    public string? CreatedBy { get; set; }
    public DateTime? LastUsedAt { get; set; }
    public DateTime? RevokedAt { get; set; }
}

/// <summary>Who changed configuration, and how.</summary>
public sealed class AuditEntry
{
    public long Id { get; set; }
    public DateTime At { get; set; }
    public required string Actor { get; set; }
    public required string Action { get; set; }
    public required string Target { get; set; }
    public string? Details { get; set; }
}

public sealed class AppUser : IdentityUser
{
    public string DisplayName { get; set; } = "";

    /// <summary>The name people read: the display name, else the e-mail, else the id.</summary>
    [System.ComponentModel.DataAnnotations.Schema.NotMapped]
    public string ShownName => string.IsNullOrWhiteSpace(DisplayName) ? Email ?? Id : DisplayName;
    public string? TimeZone { get; set; }
    public DateTime CreatedAt { get; set; }

    /// <summary>When to use which channel for a page, as JSON <c>[{"channel": "Sms", "afterMinutes": 0}, …]</c>; null = SMS at once.</summary>
    public string? ContactRulesJson { get; set; }

    /// <summary>Quiet hours as local wall times <c>HH:mm</c> in <see cref="TimeZone"/>; both null = none.</summary>
    public string? QuietHoursStart { get; set; }

    public string? QuietHoursEnd { get; set; }

    public List<ContactMethod> ContactMethods { get; set; } = [];
}

public static class ContactKinds
{
    /// <summary>A phone number for SMS and voice calls.</summary>
    public const string Phone = "Phone";
    public const string WhatsApp = "WhatsApp";
}

/// <summary>Where a person can be paged. It must be verified with a one-time code before it is paged.</summary>
public sealed class ContactMethod
{
    public Guid Id { get; set; }
    public required string UserId { get; set; }
    /// <summary><see cref="ContactKinds"/>.</summary>
    public required string Kind { get; set; }
    /// <summary>The number in E.164 (<c>+4915112345678</c>).</summary>
    public required string Value { get; set; }
    /// <summary>The language of spoken calls (BCP 47, e.g. <c>en-US</c>).</summary>
    public string Language { get; set; } = "en-US";
    public DateTime CreatedAt { get; set; }
    public DateTime? VerifiedAt { get; set; }
    /// <summary>SHA-256 of the pending one-time code with this row's id; null when none is pending.</summary>
    public string? CodeHash { get; set; }
    public DateTime? CodeExpiresAt { get; set; }
    public int CodeAttempts { get; set; }
    /// <summary>Set when the person texted STOP from this number; nothing is sent until START.</summary>
    public DateTime? OptedOutAt { get; set; }
}

public static class Roles
{
    public const string Admin = "Admin";
    public const string Responder = "Responder";
    public const string Viewer = "Viewer";

    public static readonly string[] All = [Admin, Responder, Viewer];

    public static string? Normalize(string? role) =>
        All.FirstOrDefault(r => string.Equals(r, role, StringComparison.OrdinalIgnoreCase));
}

/// <summary>
/// How many incidents a source has of one priority and status. Kept by triggers on the Incidents table, in the
/// same transaction as every insert, update or delete (whoever writes it), so the console's status counts and
/// its grid totals read a few rows instead of counting every incident on each live refresh.
/// </summary>
public sealed class IncidentCount
{
    public SourceId SourceId { get; set; }
    public Itoc360.Domain.Incidents.Priority Priority { get; set; }
    public Itoc360.Domain.Incidents.IncidentStatus Status { get; set; }
    public int Count { get; set; }
}
