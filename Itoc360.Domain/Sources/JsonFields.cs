using System.Text.Json;
using System.Text.Unicode;

namespace Itoc360.Domain.Sources;

/// <summary>
/// Tolerant reading of vendor JSON into string fields: nested objects become dotted names
/// (<c>more_info.Msg</c>), array items get their index (<c>items.0</c>), numbers keep their text,
/// booleans are <c>true</c>/<c>false</c> and JSON <c>null</c> is left out. Pure; never throws.
/// </summary>
public static class JsonFields
{
    /// <summary>Below this depth a value is kept as its raw JSON text instead of being flattened further.</summary>
    public const int MaxFlattenDepth = 16;

    private static readonly JsonDocumentOptions Options = new()
    {
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
        MaxDepth = 64,
    };

    /// <summary>
    /// Parses a JSON object. When it cannot, <paramref name="problem"/> says why: <see cref="ProblemKind.Malformed"/>
    /// for text that is not JSON, <see cref="ProblemKind.Unprocessable"/> for JSON that is not an object.
    /// </summary>
    /// <param name="what">How to name the text in the problem, e.g. <c>Body</c> or <c>Field 'Payload'</c>.</param>
    public static bool TryParseObject(ReadOnlyMemory<byte> utf8, string what, out JsonDocument? document, out ParseResult.Invalid? problem)
    {
        document = null;
        problem = null;
        if (utf8.Span.StartsWith("\uFEFF"u8))
        {
            utf8 = utf8[3..];
        }

        // The JSON reader checks the UTF-8 of strings only when they are read: check it all up front.
        if (!Utf8.IsValid(utf8.Span))
        {
            problem = new ParseResult.Invalid(ProblemKind.Malformed, $"{what} is not valid UTF-8.");
            return false;
        }

        try
        {
            document = JsonDocument.Parse(utf8, Options);
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException)
        {
            problem = new ParseResult.Invalid(ProblemKind.Malformed, $"{what} is not valid JSON: {ex.Message}");
            return false;
        }

        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            problem = new ParseResult.Invalid(ProblemKind.Unprocessable,
                $"{what} must be a JSON object, not {Describe(document.RootElement.ValueKind)}.");
            document.Dispose();
            document = null;
            return false;
        }

        return true;
    }

    /// <inheritdoc cref="TryParseObject(ReadOnlyMemory{byte}, string, out JsonDocument?, out ParseResult.Invalid?)"/>
    public static bool TryParseObject(string json, string what, out JsonDocument? document, out ParseResult.Invalid? problem) =>
        TryParseObject(System.Text.Encoding.UTF8.GetBytes(json), what, out document, out problem);

    /// <summary>Writes <paramref name="value"/> into <paramref name="into"/> under <paramref name="name"/> (later values replace earlier ones).</summary>
    public static void Flatten(JsonElement value, string name, IDictionary<string, string> into) => Flatten(value, name, into, 0);

    /// <summary>Every property of <paramref name="obj"/> flattened under its own name, except those named in <paramref name="except"/> (ignoring case).</summary>
    public static void FlattenObject(JsonElement obj, IDictionary<string, string> into, params string[] except)
    {
        if (obj.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        foreach (var property in obj.EnumerateObject())
        {
            var name = SafeName(property);
            if (!except.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                Flatten(property.Value, name, into, 1);
            }
        }
    }

    /// <summary>The value as text: a string's value, a number's text, <c>true</c>/<c>false</c>, raw JSON for objects and arrays; null for JSON null.</summary>
    public static string? Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => SafeString(value),
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Object or JsonValueKind.Array => value.GetRawText(),
        _ => null,
    };

    /// <summary>A property's value when <paramref name="obj"/> is an object that has it (exact name first, then ignoring case).</summary>
    public static bool TryGetProperty(JsonElement obj, string name, out JsonElement value)
    {
        value = default;
        if (obj.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        if (obj.TryGetProperty(name, out value))
        {
            return true;
        }

        foreach (var property in obj.EnumerateObject())
        {
            if (string.Equals(SafeName(property), name, StringComparison.OrdinalIgnoreCase))
            {
                value = property.Value;
                return true;
            }
        }

        return false;
    }

    private static void Flatten(JsonElement value, string name, IDictionary<string, string> into, int depth)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object or JsonValueKind.Array when depth >= MaxFlattenDepth:
                into[name] = value.GetRawText();
                break;
            case JsonValueKind.Object:
                foreach (var property in value.EnumerateObject())
                {
                    Flatten(property.Value, Join(name, SafeName(property)), into, depth + 1);
                }

                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in value.EnumerateArray())
                {
                    Flatten(item, Join(name, index.ToString(System.Globalization.CultureInfo.InvariantCulture)), into, depth + 1);
                    index++;
                }

                break;
            default:
                if (Text(value) is { } text)
                {
                    into[name] = text;
                }

                break;
        }
    }

    private static string Join(string prefix, string name) => prefix.Length == 0 ? name : prefix + "." + name;

    // A JSON string may hold a lone surrogate escape ("\ud800"), which GetString refuses: keep the escaped text instead.
    private static string SafeString(JsonElement value)
    {
        try
        {
            return value.GetString() ?? "";
        }
        catch (InvalidOperationException)
        {
            var raw = value.GetRawText();
            return raw.Length >= 2 ? raw[1..^1] : raw;
        }
    }

    private static string SafeName(JsonProperty property)
    {
        try
        {
            return property.Name;
        }
        catch (InvalidOperationException)
        {
            return "(invalid name)";
        }
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => kind.ToString(),
    };
}
