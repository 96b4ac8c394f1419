using Itoc360.Domain;
using Itoc360.Domain.Priorities;
using Itoc360.Domain.Sources;
using Itoc360.Web.Data;
using Itoc360.Web.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Itoc360.Web.Features.Sources;

/// <summary>Creating and changing sources: names, tokens, Twilio auth tokens and priority mappings. Every change is audited.</summary>
public sealed class SourceAdmin(
    IDbContextFactory<AppDbContext> dbFactory,
    SourceSecrets secrets,
    SourceDirectory directory,
    PublicUrls urls,
    IOptions<Itoc360Options> options,
    TimeProvider time)
{
    public async Task<SourceDto[]> ListAsync(string baseUrl, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var sources = await db.Sources.AsNoTracking().Include(s => s.Tokens).OrderBy(s => s.Name).ToListAsync(ct);
        return sources.Select(s => ToDto(s, baseUrl)).ToArray();
    }

    public async Task<SourceDto?> GetAsync(SourceId id, string baseUrl, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var source = await db.Sources.AsNoTracking().Include(s => s.Tokens).FirstOrDefaultAsync(s => s.Id == id, ct);
        return source is null ? null : ToDto(source, baseUrl);
    }

    public async Task<SourceDto> CreateAsync(string name, ISourceParser parser, string? twilioAuthToken, string actor, string baseUrl, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var source = new Source
        {
            Id = SourceId.New(),
            Name = name,
            Kind = parser.Kind,
            CreatedAt = now,
            PriorityMappingJson = PriorityMappingJson.Serialize(parser.DefaultMapping),
            TwilioAuthTokenProtected = secrets.ProtectTwilio(twilioAuthToken),
            Version = 1,
        };
        source.Tokens.Add(new SourceToken { TokenProtected = secrets.ProtectToken(SourceSecrets.NewToken()), CreatedAt = now });
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        db.Sources.Add(source);
        Audit(db, actor, "source.create", source.Id, $"{parser.Kind} '{name}'");
        await db.SaveChangesAsync(ct);
        directory.Invalidate(source.Id);
        return ToDto(source, baseUrl);
    }

    public async Task<SourceDto?> PatchAsync(SourceId id, PatchSourceRequest patch, string actor, string baseUrl, CancellationToken ct)
    {
        return await ChangeAsync(id, actor, baseUrl, ct, (source, db) =>
        {
            var changes = new List<string>();
            if (patch.Name is not null && patch.Name.Trim() != source.Name)
            {
                source.Name = patch.Name.Trim();
                changes.Add("name");
            }

            if (patch.Enabled is { } enabled && enabled != source.Enabled)
            {
                source.Enabled = enabled;
                changes.Add(enabled ? "enabled" : "disabled");
            }

            if (patch.TwilioAuthToken is not null)
            {
                source.TwilioAuthTokenProtected = secrets.ProtectTwilio(patch.TwilioAuthToken);
                changes.Add("twilio auth token");
            }

            if (patch.TwilioAlternateAuthToken is not null)
            {
                source.TwilioAlternateAuthTokenProtected = secrets.ProtectTwilio(patch.TwilioAlternateAuthToken);
                changes.Add("twilio alternate auth token");
            }

            // 0 turns the timeout and auto-resolve off (stored as null); for retention 0 is stored: "keep forever".
            if (patch.AcknowledgementTimeoutHours is { } ackHours && OffWhenZero(ackHours) != source.AcknowledgementTimeoutHours)
            {
                source.AcknowledgementTimeoutHours = OffWhenZero(ackHours);
                changes.Add($"acknowledgement timeout {(ackHours == 0 ? "off" : $"{ackHours} h")}");
            }

            if (patch.AutoResolveHours is { } resolveHours && OffWhenZero(resolveHours) != source.AutoResolveHours)
            {
                source.AutoResolveHours = OffWhenZero(resolveHours);
                changes.Add($"auto-resolve {(resolveHours == 0 ? "off" : $"after {resolveHours} h without alerts")}");
            }

            if (patch.DeliveryRetentionDays is { } days && days != source.DeliveryRetentionDays)
            {
                source.DeliveryRetentionDays = days;
                changes.Add($"delivery retention {(days == 0 ? "forever" : $"{days} days")}");
            }

            if (patch.EscalationPolicyId is { } policyText)
            {
                Guid? policy = Guid.TryParse(policyText, out var p) ? p : null;
                if (policy != source.EscalationPolicyId)
                {
                    source.EscalationPolicyId = policy;
                    changes.Add(policy is null ? "pages nobody by default" : $"default escalation policy {policy}");
                }
            }

            return changes.Count == 0 ? null : ("source.update", string.Join(", ", changes));
        });
    }

    /// <summary>Null when the patch names no policy or an existing one; otherwise what is wrong.</summary>
    public async Task<string?> CheckPolicyAsync(PatchSourceRequest patch, CancellationToken ct)
    {
        if (patch.EscalationPolicyId is not { Length: > 0 } text || !Guid.TryParse(text, out var id))
        {
            return null;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.EscalationPolicies.AnyAsync(p => p.Id == id, ct) ? null : "No such escalation policy.";
    }

    /// <summary>The longest acknowledgement timeout or auto-resolve period (30 days).</summary>
    public const int MaxWorkflowHours = 720;

    /// <summary>The longest delivery retention (about 10 years).</summary>
    public const int MaxRetentionDays = 3650;

    /// <summary>The first workflow setting of <paramref name="patch"/> out of range, named as the API spells it; null when all are fine.</summary>
    public static (string Field, string Message)? ValidateWorkflow(PatchSourceRequest patch) =>
        patch.AcknowledgementTimeoutHours is < 0 or > MaxWorkflowHours
            ? ("acknowledgementTimeoutHours", $"acknowledgementTimeoutHours must be a whole number of hours from 0 (off) to {MaxWorkflowHours}.")
        : patch.AutoResolveHours is < 0 or > MaxWorkflowHours
            ? ("autoResolveHours", $"autoResolveHours must be a whole number of hours from 0 (off) to {MaxWorkflowHours}.")
        : patch.DeliveryRetentionDays is < 0 or > MaxRetentionDays
            ? ("deliveryRetentionDays", $"deliveryRetentionDays must be a whole number of days from 0 (keep forever) to {MaxRetentionDays}.")
        : null;

    private static int? OffWhenZero(int value) => value == 0 ? null : value;

    public Task<SourceDto?> SetMappingAsync(SourceId id, PriorityMapping mapping, string actor, string baseUrl, CancellationToken ct) =>
        ChangeAsync(id, actor, baseUrl, ct, (source, _) =>
        {
            var json = PriorityMappingJson.Serialize(mapping);
            if (json == source.PriorityMappingJson)
            {
                return null;
            }

            var before = source.PriorityMappingJson;
            source.PriorityMappingJson = json;
            return ("source.priority-mapping", $"from {before} to {json}");
        });

    public async Task<RotateTokenResponse?> RotateTokenAsync(SourceId id, string actor, string baseUrl, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var validUntil = now.AddHours(options.Value.Webhooks.TokenOverlapHours);
        string? newToken = null;
        var dto = await ChangeAsync(id, actor, baseUrl, ct, (source, db) =>
        {
            foreach (var token in source.Tokens)
            {
                // The current token keeps working for the overlap; older ones keep their earlier end.
                if (token.ValidUntil is null || token.ValidUntil > validUntil)
                {
                    token.ValidUntil = validUntil;
                }
            }

            // Tokens that ended long ago are of no use any more.
            db.SourceTokens.RemoveRange(source.Tokens.Where(t => t.ValidUntil < now.AddDays(-7)));
            newToken = SourceSecrets.NewToken();
            source.Tokens.Add(new SourceToken { TokenProtected = secrets.ProtectToken(newToken), CreatedAt = now });
            return ("source.rotate-token", $"previous token valid until {validUntil:O}");
        });
        return dto is null ? null : new RotateTokenResponse(dto.WebhookUrl, validUntil);
    }

    private async Task<SourceDto?> ChangeAsync(SourceId id, string actor, string baseUrl, CancellationToken ct,
        Func<Source, AppDbContext, (string Action, string Details)?> change)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var source = await db.Sources.Include(s => s.Tokens).FirstOrDefaultAsync(s => s.Id == id, ct);
        if (source is null)
        {
            return null;
        }

        if (change(source, db) is { } audit)
        {
            source.Version++;
            Audit(db, actor, audit.Action, id, audit.Details);
            await db.SaveChangesAsync(ct);
            directory.Invalidate(id);
        }

        return ToDto(source, baseUrl);
    }

    private void Audit(AppDbContext db, string actor, string action, SourceId id, string details) =>
        db.Audit.Add(new AuditEntry { At = time.GetUtcNow().UtcDateTime, Actor = actor, Action = action, Target = $"source:{id}", Details = details });

    /// <summary>The current token is the newest one without an end; its URL is what admins copy.</summary>
    private SourceDto ToDto(Source source, string baseUrl)
    {
        var current = source.Tokens.Where(t => t.ValidUntil is null).MaxBy(t => t.CreatedAt)
            ?? source.Tokens.MaxBy(t => t.CreatedAt);
        var url = current is null ? "" : urls.WebhookUrl(baseUrl, source.Id, secrets.UnprotectToken(current.TokenProtected));
        return new SourceDto(source.Id.Value, source.Name, source.Kind, source.Enabled, url,
            PriorityMappingDto.From(PriorityMappingJson.Parse(source.PriorityMappingJson)),
            source.CreatedAt, source.LastDeliveryAt, source.TwilioAuthTokenProtected is not null,
            source.Tokens.OrderBy(t => t.ValidUntil is not null).ThenByDescending(t => t.CreatedAt).ThenByDescending(t => t.Id).Select(t => new TokenInfo(t.CreatedAt, t.ValidUntil, t.LastUsedAt)).ToArray(),
            source.AcknowledgementTimeoutHours, source.AutoResolveHours, source.DeliveryRetentionDays, source.EscalationPolicyId);
    }
}
