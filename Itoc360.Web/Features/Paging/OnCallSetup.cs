using System.Globalization;
using System.Text.Json;
using Itoc360.Domain;
using Itoc360.Domain.Paging;
using Itoc360.Web.Data;
using Itoc360.Web.Features.Sources;
using Microsoft.EntityFrameworkCore;

namespace Itoc360.Web.Features.Paging;

/// <summary>
/// Who gets paged, as admins set it up: on-call schedules with overrides, escalation policies, and each
/// source's default policy and routing rules. Validation is the domain's; every change is audited.
/// </summary>
public sealed class OnCallSetup(IDbContextFactory<AppDbContext> dbFactory, SourceDirectory sources, TimeProvider time)
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    // ---- Schedules ----

    public async Task<IReadOnlyList<ScheduleDto>> ListSchedulesAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.Schedules.AsNoTracking().Include(s => s.Overrides).OrderBy(s => s.Name).ToListAsync(ct);
        var names = await UserNamesAsync(db, ct);
        var now = Now;
        return rows.Select(r => ToDto(r, names, now)).ToList();
    }

    public async Task<ScheduleDto?> GetScheduleAsync(Guid id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.Schedules.AsNoTracking().Include(s => s.Overrides).FirstOrDefaultAsync(s => s.Id == id, ct);
        return row is null ? null : ToDto(row, await UserNamesAsync(db, ct), Now);
    }

    /// <summary>The shifts of a schedule between two instants (for the on-call page's timeline).</summary>
    public async Task<IReadOnlyList<ShiftDto>?> ShiftsAsync(Guid id, DateTime fromUtc, DateTime untilUtc, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.Schedules.AsNoTracking().Include(s => s.Overrides).FirstOrDefaultAsync(s => s.Id == id, ct);
        if (row is null)
        {
            return null;
        }

        var names = await UserNamesAsync(db, ct);
        return ToSchedule(row).Timeline(fromUtc, untilUtc).Select(s => Shift(s, names)).ToList();
    }

    public async Task<(ScheduleDto? Schedule, Invalid? Invalid)> CreateScheduleAsync(ScheduleRequest request, string actor, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (row, invalid) = await ValidateScheduleAsync(db, request, null, ct);
        if (invalid is not null)
        {
            return (null, invalid);
        }

        db.Schedules.Add(row!);
        Audit(db, actor, "schedule.create", row!.Id.ToString(), row.Name);
        await db.SaveChangesAsync(ct);
        return (ToDto(row, await UserNamesAsync(db, ct), Now), null);
    }

    public async Task<(ScheduleDto? Schedule, Invalid? Invalid)> UpdateScheduleAsync(Guid id, ScheduleRequest request, string actor, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var existing = await db.Schedules.Include(s => s.Overrides).FirstOrDefaultAsync(s => s.Id == id, ct);
        if (existing is null)
        {
            return (null, null);
        }

        var (row, invalid) = await ValidateScheduleAsync(db, request, existing, ct);
        if (invalid is not null)
        {
            return (null, invalid);
        }

        existing.Name = row!.Name;
        existing.TimeZone = row.TimeZone;
        existing.Rotation = row.Rotation;
        existing.Handoff = row.Handoff;
        existing.StartDate = row.StartDate;
        existing.UserIdsJson = row.UserIdsJson;
        existing.Version++;
        Audit(db, actor, "schedule.update", id.ToString(), existing.Name);
        await db.SaveChangesAsync(ct);
        return (ToDto(existing, await UserNamesAsync(db, ct), Now), null);
    }

    public async Task<bool> DeleteScheduleAsync(Guid id, string actor, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.Schedules.FirstOrDefaultAsync(s => s.Id == id, ct);
        if (row is null)
        {
            return false;
        }

        db.Schedules.Remove(row);
        Audit(db, actor, "schedule.delete", id.ToString(), row.Name);
        await db.SaveChangesAsync(ct);
        return true;
    }

    public async Task<(ScheduleDto? Schedule, Invalid? Invalid)> AddOverrideAsync(Guid id, OverrideRequest request, string actor, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.Schedules.Include(s => s.Overrides).FirstOrDefaultAsync(s => s.Id == id, ct);
        if (row is null)
        {
            return (null, null);
        }

        if (request.Start is not { } start || request.End is not { } end)
        {
            return (null, Invalid.One(request.Start is null ? "start" : "end", "An override needs a start and an end (ISO 8601, UTC)."));
        }

        var now = Now;
        if (!ScheduleOverride.TryCreate(request.UserId, start.ToUniversalTime(), end.ToUniversalTime(), now, out var value, out var errors))
        {
            return (null, new Invalid(errors));
        }

        if (!await db.Users.AnyAsync(u => u.Id == value.UserId, ct))
        {
            return (null, Invalid.One("userId", "No such user."));
        }

        if (row.Overrides.Count >= Schedule.MaxOverrides)
        {
            return (null, Invalid.One("start", $"A schedule keeps at most {Schedule.MaxOverrides} overrides; remove old ones first."));
        }

        row.Overrides.Add(new ScheduleOverrideRow { UserId = value.UserId, StartUtc = value.StartUtc, EndUtc = value.EndUtc, CreatedAt = now, CreatedBy = actor });
        row.Version++;
        Audit(db, actor, "schedule.override", id.ToString(), $"{value.UserId} from {value.StartUtc:O} to {value.EndUtc:O}");
        await db.SaveChangesAsync(ct);
        return (ToDto(row, await UserNamesAsync(db, ct), now), null);
    }

    public async Task<bool> RemoveOverrideAsync(Guid id, long overrideId, string actor, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.ScheduleOverrides.FirstOrDefaultAsync(o => o.Id == overrideId && o.ScheduleId == id, ct);
        if (row is null)
        {
            return false;
        }

        db.ScheduleOverrides.Remove(row);
        Audit(db, actor, "schedule.override.remove", id.ToString(), $"{row.UserId} from {row.StartUtc:O} to {row.EndUtc:O}");
        await db.SaveChangesAsync(ct);
        return true;
    }

    private async Task<(ScheduleRow? Row, Invalid? Invalid)> ValidateScheduleAsync(AppDbContext db, ScheduleRequest request, ScheduleRow? existing, CancellationToken ct)
    {
        var rotation = request.Rotation ?? new RotationDto(null, null, null);
        var errors = new Dictionary<string, string[]>();
        if (!Enum.TryParse<RotationKind>(rotation.Kind ?? "", ignoreCase: true, out var kind) || !Enum.IsDefined(kind))
        {
            errors["rotation.kind"] = ["rotation.kind is \"Daily\" or \"Weekly\"."];
        }

        if (!TimeOnly.TryParseExact(rotation.Handoff ?? "", ["HH:mm", "H:mm"], Invariant, DateTimeStyles.None, out var handoff))
        {
            errors["rotation.handoff"] = ["rotation.handoff is a time as HH:mm, e.g. 09:00."];
        }

        var userIds = rotation.UserIds ?? [];
        var known = await db.Users.Where(u => userIds.Contains(u.Id)).Select(u => u.Id).ToListAsync(ct);
        for (var i = 0; i < userIds.Count; i++)
        {
            if (!known.Contains(userIds[i]))
            {
                errors[$"rotation.userIds[{i}]"] = ["No such user."];
            }
        }

        DateOnly? start = null;
        if (rotation.Start is { Length: > 0 } startText)
        {
            if (DateOnly.TryParseExact(startText, "yyyy-MM-dd", Invariant, DateTimeStyles.None, out var parsed))
            {
                start = parsed;
            }
            else
            {
                errors["rotation.start"] = ["rotation.start is a date as yyyy-MM-dd."];
            }
        }

        if (errors.Count > 0)
        {
            return (null, new Invalid(errors));
        }

        var zoneOk = Schedule.TryFindTimeZone(request.TimeZone ?? "", out var zone);
        // Unchanged rotation keeps its start (who is on call stays put); a new one starts with its first user now.
        var keepStart = existing is not null && existing.Rotation == kind.ToString() && existing.Handoff == handoff.ToString("HH:mm", Invariant)
            && existing.TimeZone == (zone?.Id ?? request.TimeZone) && existing.UserIdsJson == JsonSerializer.Serialize(userIds);
        var startDate = start ?? (keepStart ? DateOnly.ParseExact(existing!.StartDate, "yyyy-MM-dd", Invariant)
            : zoneOk ? Schedule.StartForFirstTurnAt(Now, handoff, zone!) : DateOnly.FromDateTime(Now));
        if (!Schedule.TryCreate(request.Name, kind, handoff, request.TimeZone, userIds.ToArray(), startDate, [], out var schedule, out var domainErrors))
        {
            return (null, new Invalid(domainErrors.ToDictionary(e => e.Key == "userIds" ? "rotation.userIds" : e.Key, e => e.Value)));
        }

        return (new ScheduleRow
        {
            Id = existing?.Id ?? Guid.CreateVersion7(),
            Name = schedule.Name,
            TimeZone = schedule.TimeZone.HasIanaId || !TimeZoneInfo.TryConvertWindowsIdToIanaId(schedule.TimeZone.Id, out var iana) ? schedule.TimeZone.Id : iana,
            Rotation = schedule.Rotation.ToString(),
            Handoff = schedule.Handoff.ToString("HH:mm", Invariant),
            StartDate = schedule.Start.ToString("yyyy-MM-dd", Invariant),
            UserIdsJson = JsonSerializer.Serialize(schedule.UserIds),
            CreatedAt = existing?.CreatedAt ?? Now,
            Version = 1,
        }, null);
    }

    /// <summary>The domain schedule of a stored row (with its overrides).</summary>
    public static Schedule ToSchedule(ScheduleRow row)
    {
        var overrides = row.Overrides.Select(o => new ScheduleOverride(o.UserId, o.StartUtc, o.EndUtc, o.CreatedAt)).ToArray();
        return Schedule.TryCreate(row.Name, Enum.Parse<RotationKind>(row.Rotation), TimeOnly.ParseExact(row.Handoff, "HH:mm", Invariant), row.TimeZone,
                JsonSerializer.Deserialize<string[]>(row.UserIdsJson) ?? [], DateOnly.ParseExact(row.StartDate, "yyyy-MM-dd", Invariant), overrides,
                out var schedule, out var errors)
            ? schedule
            : throw new InvalidOperationException($"Stored schedule {row.Id} is invalid: {string.Join("; ", errors.Keys)}");
    }

    private static ScheduleDto ToDto(ScheduleRow row, IReadOnlyDictionary<string, string> names, DateTime now)
    {
        var schedule = ToSchedule(row);
        return new ScheduleDto(row.Id, row.Name, row.TimeZone,
            new RotationDto(row.Rotation, row.Handoff, schedule.UserIds, row.StartDate),
            schedule.OnCallAt(now) is { } current ? Shift(current, names) : null,
            schedule.Next(now) is { } next ? Shift(next, names) : null,
            row.Overrides.Where(o => o.EndUtc > now).OrderBy(o => o.StartUtc)
                .Select(o => new OverrideDto(o.Id, o.UserId, names.GetValueOrDefault(o.UserId) ?? o.UserId, o.StartUtc, o.EndUtc, o.CreatedAt, o.CreatedBy)).ToList(),
            row.CreatedAt);
    }

    private static ShiftDto Shift(ScheduleShift shift, IReadOnlyDictionary<string, string> names) =>
        new(shift.UserId, names.GetValueOrDefault(shift.UserId) ?? shift.UserId, shift.FromUtc, shift.UntilUtc, shift.IsOverride);

    // ---- Escalation policies ----

    public async Task<IReadOnlyList<PolicyDto>> ListPoliciesAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.EscalationPolicies.AsNoTracking().OrderBy(p => p.Name).ToListAsync(ct);
        var context = await NamingAsync(db, ct);
        return rows.Select(r => ToDto(r, context)).ToList();
    }

    public async Task<PolicyDto?> GetPolicyAsync(Guid id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.EscalationPolicies.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, ct);
        return row is null ? null : ToDto(row, await NamingAsync(db, ct));
    }

    public async Task<(PolicyDto? Policy, Invalid? Invalid)> SavePolicyAsync(Guid? id, PolicyRequest request, string actor, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        EscalationPolicyRow? row = null;
        if (id is { } existingId)
        {
            row = await db.EscalationPolicies.FirstOrDefaultAsync(p => p.Id == existingId, ct);
            if (row is null)
            {
                return (null, null);
            }
        }

        var steps = PagingJson.ToSteps(request.Steps);
        var userIds = steps.OfType<EscalationStep>().SelectMany(s => s.Targets).OfType<EscalationTarget.UserTarget>().Select(t => t.UserId).ToArray();
        var scheduleIds = steps.OfType<EscalationStep>().SelectMany(s => s.Targets).OfType<EscalationTarget.ScheduleTarget>().Select(t => t.ScheduleId.Value).ToArray();
        var users = (await db.Users.Where(u => userIds.Contains(u.Id)).Select(u => u.Id).ToListAsync(ct)).ToHashSet();
        var schedules = (await db.Schedules.Where(s => scheduleIds.Contains(s.Id)).Select(s => s.Id).ToListAsync(ct)).ToHashSet();
        var nullTarget = (request.Steps ?? []).Select((s, i) => (s, i)).FirstOrDefault(x => x.s?.Targets?.Any(t => t is null || (t.ScheduleId is null && string.IsNullOrWhiteSpace(t.UserId))) == true);
        if (nullTarget.s is not null)
        {
            return (null, Invalid.One($"steps[{nullTarget.i}].targets", "Each target is {\"userId\": …} or {\"scheduleId\": …}."));
        }

        if (!EscalationPolicy.TryCreate(request.Name, request.Repeat ?? 0, steps, out var policy, out var errors,
                users.Contains, s => schedules.Contains(s.Value)))
        {
            return (null, new Invalid(errors));
        }

        var now = Now;
        if (row is null)
        {
            row = new EscalationPolicyRow { Id = Guid.CreateVersion7(), Name = policy.Name, StepsJson = "", CreatedAt = now, Version = 0 };
            db.EscalationPolicies.Add(row);
        }

        row.Name = policy.Name;
        row.Repeat = policy.Repeat;
        row.StepsJson = PagingJson.SerializeSteps(policy.Steps);
        row.UpdatedAt = now;
        row.Version++;
        Audit(db, actor, id is null ? "policy.create" : "policy.update", row.Id.ToString(), $"'{row.Name}', {policy.Steps.Count} steps, repeat {policy.Repeat}");
        await db.SaveChangesAsync(ct);
        return (ToDto(row, await NamingAsync(db, ct)), null);
    }

    /// <summary>Deletes a policy that no source uses; returns the sources in the way otherwise.</summary>
    public async Task<(bool Found, IReadOnlyList<SourceRef> UsedBy)> DeletePolicyAsync(Guid id, string actor, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.EscalationPolicies.FirstOrDefaultAsync(p => p.Id == id, ct);
        if (row is null)
        {
            return (false, []);
        }

        var usedBy = (await NamingAsync(db, ct)).UsedBy(id);
        if (usedBy.Count > 0)
        {
            return (true, usedBy);
        }

        db.EscalationPolicies.Remove(row);
        Audit(db, actor, "policy.delete", id.ToString(), row.Name);
        await db.SaveChangesAsync(ct);
        return (true, []);
    }

    private static PolicyDto ToDto(EscalationPolicyRow row, Naming naming)
    {
        var policy = PagingJson.ParsePolicy(row);
        return new PolicyDto(row.Id, row.Name, row.Repeat, PagingJson.FromSteps(policy.Steps, naming.Name), row.CreatedAt, row.UpdatedAt, naming.UsedBy(row.Id));
    }

    private sealed record Naming(IReadOnlyDictionary<string, string> Users, IReadOnlyDictionary<Guid, string> Schedules,
        IReadOnlyList<(Guid Id, string Name, Guid? Default, string? Rules)> Sources)
    {
        public string? Name(EscalationTarget target) => target switch
        {
            EscalationTarget.UserTarget u => Users.GetValueOrDefault(u.UserId),
            EscalationTarget.ScheduleTarget s => Schedules.GetValueOrDefault(s.ScheduleId.Value),
            _ => null,
        };

        public IReadOnlyList<SourceRef> UsedBy(Guid policyId) => Sources
            .Where(s => s.Default == policyId || (s.Rules?.Contains(policyId.ToString(), StringComparison.OrdinalIgnoreCase) ?? false))
            .Select(s => new SourceRef(s.Id, s.Name, s.Default == policyId)).ToList();
    }

    private static async Task<Naming> NamingAsync(AppDbContext db, CancellationToken ct) => new(
        await UserNamesAsync(db, ct),
        await db.Schedules.AsNoTracking().ToDictionaryAsync(s => s.Id, s => s.Name, ct),
        (await db.Sources.AsNoTracking().Select(s => new { s.Id, s.Name, s.EscalationPolicyId, s.RoutingRulesJson }).ToListAsync(ct))
            .Select(s => (s.Id.Value, s.Name, s.EscalationPolicyId, s.RoutingRulesJson)).ToList());

    // ---- Routing ----

    public async Task<RoutingDto?> GetRoutingAsync(SourceId id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var source = await db.Sources.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, ct);
        return source is null ? null : ToRoutingDto(source);
    }

    /// <summary>Validates routing rules (policies must exist); the rules as the domain reads them, or the errors.</summary>
    public async Task<(RoutingRules? Routing, Invalid? Invalid)> ValidateRoutingAsync(AppDbContext db, Guid? defaultPolicyId, RoutingRequest request, CancellationToken ct)
    {
        var rules = PagingJson.ToRules(request.Rules, out var shapeErrors);
        if (shapeErrors.Count > 0)
        {
            return (null, new Invalid(shapeErrors));
        }

        var policies = (await db.EscalationPolicies.Select(p => p.Id).ToListAsync(ct)).ToHashSet();
        return RoutingRules.TryCreate(rules, defaultPolicyId is { } d ? new EscalationPolicyId(d) : null, out var routing, out var errors, p => policies.Contains(p.Value))
            ? (routing, null)
            : (null, new Invalid(errors));
    }

    public async Task<(RoutingDto? Routing, Invalid? Invalid)> SetRoutingAsync(SourceId id, RoutingRequest request, string actor, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var source = await db.Sources.FirstOrDefaultAsync(s => s.Id == id, ct);
        if (source is null)
        {
            return (null, null);
        }

        var (routing, invalid) = await ValidateRoutingAsync(db, source.EscalationPolicyId, request, ct);
        if (invalid is not null)
        {
            return (null, invalid);
        }

        var json = routing!.Rules.Count == 0 ? null : PagingJson.SerializeRules(routing.Rules);
        if (json != source.RoutingRulesJson)
        {
            source.RoutingRulesJson = json;
            source.Version++;
            Audit(db, actor, "source.routing", id.Value.ToString(), json ?? "no rules");
            await db.SaveChangesAsync(ct);
            sources.Invalidate(id);
        }

        return (ToRoutingDto(source), null);
    }

    /// <summary>Sets the source's default policy (null: nobody is paged unless a rule says so).</summary>
    public async Task<Invalid?> SetDefaultPolicyAsync(AppDbContext db, Source source, Guid? policyId, List<string> changes, CancellationToken ct)
    {
        if (policyId == source.EscalationPolicyId)
        {
            return null;
        }

        if (policyId is { } p && !await db.EscalationPolicies.AnyAsync(x => x.Id == p, ct))
        {
            return Invalid.One("escalationPolicyId", "No such escalation policy.");
        }

        source.EscalationPolicyId = policyId;
        changes.Add(policyId is null ? "pages nobody by default" : $"default escalation policy {policyId}");
        return null;
    }

    /// <summary>What the routing (saved, or <paramref name="request"/> unsaved) decides for the alerts of a stored delivery.</summary>
    public async Task<(IReadOnlyList<RoutingPreview>? Alerts, string? Problem)> PreviewRoutingAsync(SourceId id, DeliveryId deliveryId, RoutingRequest? request, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var source = await db.Sources.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, ct);
        var delivery = await db.Deliveries.AsNoTracking().FirstOrDefaultAsync(d => d.Id == deliveryId && d.SourceId == id, ct);
        if (source is null || delivery is null)
        {
            return (null, "No such delivery for this source.");
        }

        var routing = PagingJson.ParseRouting(source.EscalationPolicyId, source.RoutingRulesJson);
        if (request is not null)
        {
            var (checkedRouting, invalid) = await ValidateRoutingAsync(db, source.EscalationPolicyId, request, ct);
            if (invalid is not null)
            {
                return (null, invalid.First.Message);
            }

            routing = checkedRouting!;
        }

        if (!Domain.Sources.SourceCatalog.TryGet(source.Kind, out var parser))
        {
            return (null, "This source's kind has no parser.");
        }

        var preview = MappingPreview.Run(parser, Webhooks.AlertIngestion.StoredRequest(delivery), PriorityMappingJson.Parse(source.PriorityMappingJson));
        if (!preview.HasAlerts)
        {
            return ([], preview.Problem);
        }

        var policyNames = await db.EscalationPolicies.AsNoTracking().ToDictionaryAsync(p => p.Id, p => p.Name, ct);
        return (preview.Alerts.Select(a =>
        {
            var explanation = routing.Explain(RoutingFields(a.Fields, a.Priority));
            return new RoutingPreview(a.Title, a.Priority.ToString(), explanation.Decision.PolicyId?.Value,
                explanation.Decision.PolicyId is { } p ? policyNames.GetValueOrDefault(p.Value) : null,
                explanation.Decision.MatchedRuleIndex, explanation.Summary, explanation);
        }).ToList(), null);
    }

    /// <summary>The fields routing conditions see: the alert's fields plus <c>priority</c> (the mapped one).</summary>
    public static IReadOnlyDictionary<string, string> RoutingFields(IReadOnlyDictionary<string, string> fields, Domain.Incidents.Priority priority)
    {
        if (fields.ContainsKey("priority"))
        {
            return fields;
        }

        var all = new Dictionary<string, string>(fields, StringComparer.OrdinalIgnoreCase) { ["priority"] = priority.ToString() };
        return all;
    }

    private static RoutingDto ToRoutingDto(Source source) =>
        new(source.EscalationPolicyId, PagingJson.FromRules(PagingJson.ParseRouting(source.EscalationPolicyId, source.RoutingRulesJson).Rules));

    // ---- Shared ----

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    /// <summary>Every user's display name (their e-mail when they have none), by id.</summary>
    internal static async Task<Dictionary<string, string>> UserNamesAsync(AppDbContext db, CancellationToken ct) =>
        await db.Users.AsNoTracking().ToDictionaryAsync(u => u.Id, u => u.ShownName, ct);

    private void Audit(AppDbContext db, string actor, string action, string target, string details) =>
        db.Audit.Add(new AuditEntry { At = Now, Actor = actor, Action = action, Target = target, Details = details });
}

/// <summary>What routing decides for one alert of a previewed delivery.</summary>
public sealed record RoutingPreview(string Title, string Priority, Guid? EscalationPolicyId, string? EscalationPolicyName, int? MatchedRuleIndex,
    string Summary, RoutingExplanation Explanation);
