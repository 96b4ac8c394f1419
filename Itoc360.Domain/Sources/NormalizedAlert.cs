using System.Text.Json;

namespace Itoc360.Domain.Sources;

public enum AlertAction
{
    /// <summary>The condition is happening: open an incident, or add to the open one.</summary>
    Trigger,
    /// <summary>The condition is over: resolve the open incident, if any.</summary>
    Resolve,
}

/// <summary>
/// One alert as a parser understood it, independent of the vendor's wire format.
/// </summary>
/// <param name="Action">Whether this opens/joins an incident or resolves it.</param>
/// <param name="DedupKey">Alerts with the same key join the same open incident.</param>
/// <param name="EventId">The vendor's own id of this event (a redelivery carries the same one); null when the vendor has none.</param>
/// <param name="Title">A one-line human title.</param>
/// <param name="OccurredAt">When the vendor says it happened (UTC), if it says.</param>
/// <param name="Fields">The normalized fields that priority rules test (case-insensitive names; string values).</param>
/// <param name="ReferenceUrl">A link for the responder (e.g. the Twilio error reference).</param>
public sealed record NormalizedAlert(
    AlertAction Action,
    string DedupKey,
    string? EventId,
    string Title,
    DateTime? OccurredAt,
    IReadOnlyDictionary<string, string> Fields,
    string? ReferenceUrl = null)
{
    public string FieldsJson() => JsonSerializer.Serialize(Fields, FieldsJsonContext.Default.IReadOnlyDictionaryStringString);
}
