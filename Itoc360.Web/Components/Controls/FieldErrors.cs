namespace Itoc360.Web.Components.Controls;

/// <summary>
/// A service's validation errors (keyed by the API's JSON paths such as <c>rotation.handoff</c> or
/// <c>steps[1].delayMinutes</c>) for showing next to the fields of a form.
/// </summary>
public sealed class FieldErrors(IReadOnlyDictionary<string, string[]> errors)
{
    public static readonly FieldErrors None = new(new Dictionary<string, string[]>());

    public bool Any => errors.Count > 0;

    /// <summary>The messages for exactly this key; null when there are none.</summary>
    public string? For(string key) => errors.TryGetValue(key, out var messages) ? string.Join(" ", messages) : null;

    /// <summary>The messages for this key and everything under it (<c>steps[0].targets</c> also takes <c>steps[0].targets[2].userId</c>).</summary>
    public string? Under(string key)
    {
        var messages = errors.Where(e => IsUnder(e.Key, key)).SelectMany(e => e.Value).Distinct().ToArray();
        return messages.Length == 0 ? null : string.Join(" ", messages);
    }

    /// <summary>The errors no field of the form shows (<paramref name="shown"/> says which keys a field shows).</summary>
    public IReadOnlyList<string> Rest(Func<string, bool> shown) =>
        errors.Where(e => !shown(e.Key)).SelectMany(e => e.Value.Select(m => e.Key.Length == 0 ? m : $"{e.Key}: {m}")).ToList();

    public static bool IsUnder(string key, string prefix) =>
        key == prefix || (key.StartsWith(prefix, StringComparison.Ordinal) && key.Length > prefix.Length && key[prefix.Length] is '.' or '[');
}
