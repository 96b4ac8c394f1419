using System.Text.Json;

namespace Itoc360.Web.Components.Controls;

public sealed record VendorLink(string Label, string Url);

/// <summary>Links from an alert's values to the vendor's own reference (Twilio error codes).</summary>
public static class VendorLinks
{
    public static IEnumerable<VendorLink> For(string fieldsJson)
    {
        foreach (var (key, value) in ReadFields(fieldsJson))
        {
            if (IsErrorCodeKey(key) && value is { Length: > 0 and <= 10 } && value.All(char.IsAsciiDigit))
            {
                yield return new VendorLink($"Twilio error {value}", $"https://www.twilio.com/docs/api/errors/{value}");
            }
        }
    }

    /// <summary><c>ErrorCode</c>, <c>error_code</c>, <c>more_info.ErrorCode</c>: Twilio spells it several ways.</summary>
    private static bool IsErrorCodeKey(string key) =>
        new string(key.Where(char.IsAsciiLetter).ToArray()).EndsWith("errorcode", StringComparison.OrdinalIgnoreCase);

    /// <summary>An alert's stored values; an unreadable document shows as nothing rather than failing the page.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> ReadFields(string fieldsJson)
    {
        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, string>>(fieldsJson)?.ToList() ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }
}
