using System.Text.Json;
using System.Text.Json.Serialization;
using Itoc360.Domain.Incidents;
using Itoc360.Domain.Priorities;

namespace Itoc360.Web.Features.Sources;

/// <summary>The wire and storage shape of a priority mapping: <c>{"rules":[{"field","equals","priority"}],"default"}</c>.</summary>
public sealed record PriorityMappingDto(IReadOnlyList<PriorityRuleDto> Rules, Priority Default)
{
    public static PriorityMappingDto From(PriorityMapping mapping) =>
        new(mapping.Rules.Select(r => new PriorityRuleDto(r.Field, r.Value, r.Priority)).ToArray(), mapping.Default);

    public PriorityMapping ToMapping() =>
        new((Rules ?? []).Select(r => new PriorityRule(r.Field.Trim(), r.EqualsValue.Trim(), r.Priority)).ToArray(), Default);
}

public sealed record PriorityRuleDto(
    string Field,
    [property: JsonPropertyName("equals")] string EqualsValue,
    Priority Priority);

public static class PriorityMappingJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    public static string Serialize(PriorityMapping mapping) => JsonSerializer.Serialize(PriorityMappingDto.From(mapping), Options);

    public static PriorityMapping Parse(string json) =>
        (JsonSerializer.Deserialize<PriorityMappingDto>(json, Options) ?? throw new JsonException("Empty priority mapping.")).ToMapping();
}
