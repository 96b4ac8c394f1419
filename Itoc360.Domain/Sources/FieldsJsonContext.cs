using System.Text.Json.Serialization;

namespace Itoc360.Domain.Sources;

[JsonSourceGenerationOptions(WriteIndented = false)]
[JsonSerializable(typeof(IReadOnlyDictionary<string, string>))]
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class FieldsJsonContext : JsonSerializerContext;
