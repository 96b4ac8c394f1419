using System.Text.Json;
using System.Text.Json.Serialization;
using Itoc360.Domain.Paging;
using Itoc360.Web.Data;

namespace Itoc360.Web.Features.Paging;

/// <summary>A step target on the wire: <c>{"userId"}</c> or <c>{"scheduleId"}</c>; responses add the name.</summary>
public sealed record TargetDto(string? UserId = null, Guid? ScheduleId = null, string? Name = null);

public sealed record StepDto(int DelayMinutes, IReadOnlyList<TargetDto?>? Targets);

public sealed record PolicyRequest(string? Name, int? Repeat, IReadOnlyList<StepDto?>? Steps);

/// <summary>A source that uses a policy, as its default or through a routing rule.</summary>
public sealed record SourceRef(Guid Id, string Name, bool AsDefault);

public sealed record PolicyDto(Guid Id, string Name, int Repeat, IReadOnlyList<StepDto> Steps, DateTime CreatedAt, DateTime UpdatedAt,
    IReadOnlyList<SourceRef> UsedBy);

public sealed record RotationDto(string? Kind, string? Handoff, IReadOnlyList<string>? UserIds, string? Start = null);

public sealed record ScheduleRequest(string? Name, string? TimeZone, RotationDto? Rotation);

public sealed record ShiftDto(string UserId, string UserName, DateTime From, DateTime Until, bool IsOverride);

public sealed record OverrideDto(long Id, string UserId, string UserName, DateTime Start, DateTime End, DateTime CreatedAt, string? CreatedBy);

public sealed record ScheduleDto(Guid Id, string Name, string TimeZone, RotationDto Rotation, ShiftDto? OnCallNow, ShiftDto? Next,
    IReadOnlyList<OverrideDto> Overrides, DateTime CreatedAt);

public sealed record OverrideRequest(string? UserId, DateTime? Start, DateTime? End);

public sealed record ConditionDto(string? Field, string? Op, string? Value);

public sealed record RoutingRuleDto(string? Match, IReadOnlyList<ConditionDto?>? Conditions, Guid? EscalationPolicyId);

public sealed record RoutingRequest(IReadOnlyList<RoutingRuleDto?>? Rules);

public sealed record RoutingDto(Guid? EscalationPolicyId, IReadOnlyList<RoutingRuleDto> Rules);

/// <summary>Validation failures keyed by the API's JSON paths.</summary>
public sealed record Invalid(IReadOnlyDictionary<string, string[]> Errors)
{
    public static Invalid One(string field, string message) => new(new Dictionary<string, string[]> { [field] = [message] });

    public (string Field, string Message) First => (Errors.First().Key, string.Join(" ", Errors.First().Value));
}

/// <summary>Storage and wire conversions of policies and routing rules.</summary>
public static class PagingJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static IReadOnlyList<EscalationStep?> ToSteps(IReadOnlyList<StepDto?>? steps) =>
        (steps ?? []).Select(s => s is null ? null : new EscalationStep(s.DelayMinutes,
            (s.Targets ?? []).Select(t => t switch
            {
                { ScheduleId: { } schedule } => EscalationTarget.OnCall(new ScheduleId(schedule)),
                { UserId: { } user } when !string.IsNullOrWhiteSpace(user) => EscalationTarget.User(user.Trim()),
                _ => null!,
            }).ToArray())).ToArray();

    public static StepDto[] FromSteps(IEnumerable<EscalationStep> steps, Func<EscalationTarget, string?>? name = null) =>
        steps.Select(s => new StepDto(s.DelayMinutes, s.Targets.Select(t => t switch
        {
            EscalationTarget.ScheduleTarget schedule => new TargetDto(ScheduleId: schedule.ScheduleId.Value, Name: name?.Invoke(t)),
            EscalationTarget.UserTarget user => new TargetDto(UserId: user.UserId, Name: name?.Invoke(t)),
            _ => new TargetDto(),
        }).ToArray())).ToArray();

    public static string SerializeSteps(IEnumerable<EscalationStep> steps) =>
        JsonSerializer.Serialize(FromSteps(steps).Select(s => s with { Targets = s.Targets!.Select(t => t! with { Name = null }).ToArray() }), Options);

    public static EscalationPolicy ParsePolicy(EscalationPolicyRow row)
    {
        var steps = ToSteps(JsonSerializer.Deserialize<StepDto[]>(row.StepsJson, Options) ?? []);
        return EscalationPolicy.TryCreate(row.Name, row.Repeat, steps, out var policy, out var errors)
            ? policy
            : throw new InvalidOperationException($"Stored policy {row.Id} is invalid: {string.Join("; ", errors.Select(e => e.Key + ": " + string.Join(" ", e.Value)))}");
    }

    /// <summary>The wire rules as domain rules; a rule with an unknown operator or match keeps its slot (as null) so errors name it.</summary>
    public static IReadOnlyList<RoutingRule?> ToRules(IReadOnlyList<RoutingRuleDto?>? rules, out Dictionary<string, string[]> errors)
    {
        errors = [];
        var result = new List<RoutingRule?>();
        for (var i = 0; i < (rules?.Count ?? 0); i++)
        {
            var dto = rules![i];
            if (dto is null)
            {
                result.Add(null);
                continue;
            }

            var match = RoutingMatch.All;
            if (dto.Match is { } m && !Enum.TryParse(m, ignoreCase: true, out match))
            {
                errors[$"rules[{i}].match"] = ["match is \"all\" or \"any\"."];
            }

            var conditions = new List<RoutingCondition>();
            for (var c = 0; c < (dto.Conditions?.Count ?? 0); c++)
            {
                var condition = dto.Conditions![c];
                if (condition is null)
                {
                    errors[$"rules[{i}].conditions[{c}]"] = ["A condition needs field, op and value."];
                    continue;
                }

                if (!RoutingOperators.TryParse(condition.Op, out var op))
                {
                    errors[$"rules[{i}].conditions[{c}].op"] = ["op is one of equals, contains, regex, gt, lt."];
                    continue;
                }

                conditions.Add(new RoutingCondition(condition.Field ?? "", op, condition.Value ?? ""));
            }

            result.Add(new RoutingRule(match, conditions,
                dto.EscalationPolicyId is { } policy ? new EscalationPolicyId(policy) : null));
        }

        return result;
    }

    public static RoutingRuleDto[] FromRules(IEnumerable<RoutingRule> rules) =>
        rules.Select(r => new RoutingRuleDto(r.Match == RoutingMatch.Any ? "any" : "all",
            r.Conditions.Select(c => new ConditionDto(c.Field, c.Op.ToToken(), c.Value)).ToArray(),
            r.EscalationPolicyId?.Value)).ToArray();

    public static string SerializeRules(IEnumerable<RoutingRule> rules) => JsonSerializer.Serialize(FromRules(rules), Options);

    /// <summary>The stored routing of a source (its default policy and rules); invalid stored rules route by the default only.</summary>
    public static RoutingRules ParseRouting(Guid? defaultPolicyId, string? rulesJson)
    {
        var policy = defaultPolicyId is { } p ? new EscalationPolicyId(p) : (EscalationPolicyId?)null;
        var dtos = rulesJson is null ? [] : JsonSerializer.Deserialize<RoutingRuleDto[]>(rulesJson, Options) ?? [];
        var rules = ToRules(dtos, out _);
        return RoutingRules.TryCreate(rules, policy, out var routing, out _) ? routing
            : RoutingRules.TryCreate([], policy, out var fallback, out _) ? fallback
            : throw new InvalidOperationException("An empty routing cannot be invalid.");
    }
}
