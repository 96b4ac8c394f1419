using System.Text;
using System.Text.Json;
using Itoc360.Domain.Sources;

namespace Itoc360.Web.Components.Controls;

/// <summary>Makes a stored request body readable. Never throws: what cannot be decoded is shown as it is.</summary>
public static class PayloadFormatter
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Format(string? contentType, byte[] body)
    {
        if (body.Length == 0)
        {
            return "(empty body)";
        }

        var text = Encoding.UTF8.GetString(body);
        var trimmed = text.TrimStart();
        if (trimmed.StartsWith('{') || trimmed.StartsWith('['))
        {
            return IndentJson(text) ?? text;
        }

        if ((contentType?.Contains("x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) ?? false) || LooksLikeForm(text))
        {
            if (FormBody.TryParse(body, out var fields, out _))
            {
                var sb = new StringBuilder();
                foreach (var (key, value) in fields)
                {
                    var shown = value.TrimStart().StartsWith('{') ? IndentJson(value) ?? value : value;
                    sb.Append(key).Append(" = ").AppendLine(shown.Contains('\n') ? "\n" + shown : shown);
                }

                return sb.ToString().TrimEnd();
            }
        }

        return text;
    }

    private static bool LooksLikeForm(string text) => text.Contains('=') && !text.Contains(' ') && !text.Contains('\n');

    private static string? IndentJson(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            return JsonSerializer.Serialize(doc.RootElement, Indented);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
