using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Itoc360.Domain.Incidents;
using Itoc360.Domain.Priorities;
using static Itoc360.Domain.Sources.Parsers.ParserSupport;

namespace Itoc360.Domain.Sources.Parsers;

/// <summary>
/// Alibaba Cloud CloudMonitor: the threshold alert callback (a form POST; JSON with the same names is
/// accepted too), whose <c>OK</c> resolves the incident, and the system event callback (a JSON object
/// with <c>id</c> and <c>level</c>/<c>eventType</c>), where each event is its own incident.
/// </summary>
public sealed class AlibabaCloudMonitorParser : ISourceParser
{
    public const string KindName = "alibaba-cloudmonitor";

    private const string Expected = "a CloudMonitor callback as an application/x-www-form-urlencoded or JSON body";

    public string Kind => KindName;

    public string DisplayName => "Alibaba Cloud CloudMonitor (threshold alerts and events)";

    public PriorityMapping DefaultMapping { get; } = new(
    [
        new PriorityRule("triggerLevel", "CRITICAL", Priority.Critical),
        new PriorityRule("triggerLevel", "WARN", Priority.Medium),
        new PriorityRule("triggerLevel", "INFO", Priority.Low),
    ], Priority.Medium);

    public IReadOnlyList<string> Fields { get; } =
    [
        "triggerLevel", "alertState", "alertName", "metricName", "metricProject", "namespace", "ruleId",
        "instanceName", "regionId", "productGroupName", "groupId", "dimensions", "dimensions.instanceId", "userId",
        "level", "product", "eventType", "name", "status", "resourceId",
    ];

    public SignaturePolicy Signatures => SignaturePolicy.None;

    public bool SendsRecoveries => true;

    public ParseResult Parse(InboundRequest request)
    {
        if (IsUrlCheck(request))
        {
            return UrlCheck;
        }

        var fields = NewFields();
        switch (ContentTypes.Classify(request.ContentType, request.Body.Span))
        {
            case BodyFormat.None:
                return NoBody(Expected);
            case BodyFormat.Unsupported:
                return Unsupported(request.ContentType, Expected);
            case BodyFormat.Form:
                if (!FormBody.TryParse(request.Body.Span, out var pairs, out var formProblem))
                {
                    return ParseResult.Malformed(formProblem!);
                }

                Add(fields, pairs);
                break;
            case BodyFormat.Json:
                if (!JsonFields.TryParseObject(request.Body, "Body", out var document, out var problem))
                {
                    return problem!;
                }

                using (document)
                {
                    var root = document!.RootElement;
                    JsonFields.FlattenObject(root, fields, "dimensions");
                    // Dimensions are read as a whole below, whether they came as text, an object or an array.
                    if (JsonFields.TryGetProperty(root, "dimensions", out var dimensions) && JsonFields.Text(dimensions) is { } text)
                    {
                        fields["dimensions"] = text;
                    }
                }

                break;
        }

        DropNullText(fields);
        FlattenContent(fields);
        return IsSystemEvent(fields) ? ParseEvent(fields) : ParseThreshold(fields);
    }

    /// <summary>A system event has an <c>id</c> and a <c>level</c> or <c>eventType</c>, and no <c>alertState</c>.</summary>
    private static bool IsSystemEvent(IReadOnlyDictionary<string, string> fields) =>
        Get(fields, "id") is not null &&
        (Get(fields, "level") is not null || Get(fields, "eventType") is not null) &&
        Get(fields, "alertState") is null;

    private static ParseResult ParseThreshold(Dictionary<string, string> fields)
    {
        if (Get(fields, "alertState") is not { } alertState)
        {
            return Missing("alertState");
        }

        var rule = Get(fields, "ruleId") ?? Get(fields, "alertName");
        if (rule is null)
        {
            return ParseResult.Unprocessable("Field 'ruleId' is missing (and so is 'alertName').");
        }

        if (Get(fields, "metricName") is not { } metricName)
        {
            return Missing("metricName");
        }

        alertState = alertState.ToUpperInvariant() is "ALARM" ? "ALERT" : alertState.ToUpperInvariant();
        fields["alertState"] = alertState;
        UpperCase(fields, "triggerLevel");

        var dimensions = "";
        if (Get(fields, "dimensions") is { } rawDimensions)
        {
            var pairs = ParseDimensions(rawDimensions);
            // Text that holds no pair (an empty "{}", or something unrecognizable) is keyed as it is.
            dimensions = pairs.Count == 0
                ? rawDimensions.Trim('{', '}', '[', ']', ' ')
                : string.Join(',', pairs.Select(p => $"{p.Key}={p.Value}"));
            fields["dimensions"] = dimensions;
            foreach (var (name, value) in pairs)
            {
                fields.TryAdd("dimensions." + name, value);
            }
        }

        var dedupKey = $"{rule}|{metricName}|{dimensions}";
        var triggerLevel = Get(fields, "triggerLevel") ?? "";
        return ParseResult.Of(new NormalizedAlert(
            alertState == "OK" ? AlertAction.Resolve : AlertAction.Trigger,
            DedupKey: dedupKey,
            EventId: DeliveryKey(dedupKey, Get(fields, "timestamp") ?? "", alertState, triggerLevel),
            Title: ThresholdTitle(fields, alertState, metricName),
            OccurredAt: VendorTime.ParseUnix(Get(fields, "timestamp")),
            Fields: fields,
            ReferenceUrl: null));
    }

    private static ParseResult ParseEvent(Dictionary<string, string> fields)
    {
        var id = Get(fields, "id")!;
        UpperCase(fields, "level");
        if (Get(fields, "level") is { } level)
        {
            // Events say level where threshold alerts say triggerLevel: one mapping serves both.
            fields["triggerLevel"] = level;
        }

        var what = $"{Get(fields, "product") ?? "Alibaba Cloud"} {Get(fields, "name") ?? Get(fields, "eventType") ?? "event"}";
        var on = Get(fields, "instanceName") ?? Get(fields, "resourceId") ?? Get(fields, "content.resourceId");
        return ParseResult.Of(new NormalizedAlert(
            AlertAction.Trigger,
            DedupKey: id,
            EventId: id,
            Title: Title(on is null ? what : $"{what}: {on}"),
            OccurredAt: VendorTime.ParseCompact(Get(fields, "eventTime")),
            Fields: fields));
    }

    /// <summary>
    /// The callback's own retries (up to three) carry the same rule, dimensions, time, state and level, while
    /// <c>transId</c> is not unique across alerts: those make the idempotency key.
    /// </summary>
    internal static string DeliveryKey(string dedupKey, string timestamp, string alertState, string triggerLevel)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{dedupKey}\n{timestamp}\n{alertState}\n{triggerLevel}"));
        return "cms:" + Convert.ToHexStringLower(hash, 0, 16);
    }

    private static string ThresholdTitle(IReadOnlyDictionary<string, string> fields, string alertState, string metricName)
    {
        var name = Get(fields, "alertName") ?? Get(fields, "ruleId");
        var now = Get(fields, "curValue") is { } value ? $"{value}{Get(fields, "unit")}" : null;
        var condition = alertState switch
        {
            "OK" => now is null ? "back to normal" : $"back to normal, now {now}",
            "INSUFFICIENT_DATA" => "has insufficient data",
            _ => string.Join(", ", new[] { Get(fields, "expression"), now is null ? null : $"now {now}" }.OfType<string>()),
        };
        var title = $"{name}: {metricName} {condition}".TrimEnd();
        return Title(Get(fields, "instanceName") is { } instance ? $"{title} on {instance}" : title);
    }

    /// <summary>CloudMonitor writes the word <c>null</c> for missing values: such fields are left out.</summary>
    private static void DropNullText(Dictionary<string, string> fields)
    {
        foreach (var name in fields.Where(f => string.Equals(f.Value.Trim(), "null", StringComparison.OrdinalIgnoreCase)).Select(f => f.Key).ToList())
        {
            fields.Remove(name);
        }
    }

    /// <summary>An event's <c>content</c> may arrive as a JSON string: flatten it like an object (<c>content.state</c>).</summary>
    private static void FlattenContent(Dictionary<string, string> fields)
    {
        if (Get(fields, "content") is not { } content || !content.StartsWith('{') ||
            !JsonFields.TryParseObject(content, "Field 'content'", out var document, out _))
        {
            return;
        }

        using (document)
        {
            fields.Remove("content");
            JsonFields.Flatten(document!.RootElement, "content", fields);
        }
    }

    /// <summary>
    /// Reads dimensions in any of the shapes seen: Java map text (<c>{userId=123, instanceId=i-abc}</c>), a JSON
    /// object, or a JSON array of objects (<c>[{"instanceId":"i-abc"}]</c> or <c>[{"name":"instanceId","value":"i-abc"}]</c>).
    /// Returns the pairs sorted by name (ordinal), the canonical order; empty when nothing could be read.
    /// </summary>
    internal static IReadOnlyList<KeyValuePair<string, string>> ParseDimensions(string text)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        text = text.Trim();
        if (text.StartsWith('{') || text.StartsWith('['))
        {
            try
            {
                using var document = JsonDocument.Parse(text);
                AddJsonDimensions(document.RootElement, pairs);
                return Sorted(pairs);
            }
            catch (JsonException)
            {
                // Not JSON: Java map text below.
            }
        }

        AddMapText(text, pairs);
        return Sorted(pairs);
    }

    private static void AddJsonDimensions(JsonElement element, List<KeyValuePair<string, string>> pairs)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    AddJsonDimensions(item, pairs);
                }

                break;
            case JsonValueKind.Object when IsNameValue(element, out var name, out var value):
                pairs.Add(new(name, value));
                break;
            case JsonValueKind.Object:
                var flat = new Dictionary<string, string>(StringComparer.Ordinal);
                JsonFields.FlattenObject(element, flat);
                pairs.AddRange(flat);
                break;
            case JsonValueKind.String:
                AddMapText(JsonFields.Text(element) ?? "", pairs);
                break;
        }
    }

    /// <summary><c>{"name": "instanceId", "value": "i-abc"}</c> (or <c>key</c>/<c>value</c>).</summary>
    private static bool IsNameValue(JsonElement element, out string name, out string value)
    {
        name = value = "";
        var count = 0;
        foreach (var _ in element.EnumerateObject())
        {
            count++;
        }

        if (count != 2 ||
            !(JsonFields.TryGetProperty(element, "name", out var n) || JsonFields.TryGetProperty(element, "key", out n)) ||
            n.ValueKind != JsonValueKind.String ||
            !JsonFields.TryGetProperty(element, "value", out var v))
        {
            return false;
        }

        name = JsonFields.Text(n) ?? "";
        value = JsonFields.Text(v) ?? "";
        return true;
    }

    /// <summary>Java's <c>Map.toString()</c>: <c>{k1=v1, k2=v2}</c>. A part without '=' belongs to the value before it (a value with a comma).</summary>
    private static void AddMapText(string text, List<KeyValuePair<string, string>> pairs)
    {
        text = text.Trim();
        if (text.StartsWith('{') && text.EndsWith('}'))
        {
            text = text[1..^1];
        }

        foreach (var part in text.Split(','))
        {
            var eq = part.IndexOf('=');
            if (eq > 0)
            {
                pairs.Add(new(part[..eq].Trim(), part[(eq + 1)..].Trim()));
            }
            else if (pairs.Count > 0)
            {
                var last = pairs[^1];
                pairs[^1] = new(last.Key, $"{last.Value},{part}".Trim());
            }
        }
    }

    private static List<KeyValuePair<string, string>> Sorted(List<KeyValuePair<string, string>> pairs) =>
        pairs.Where(p => p.Key.Trim().Length > 0)
            .Select(p => new KeyValuePair<string, string>(p.Key.Trim(), p.Value.Trim()))
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .ThenBy(p => p.Value, StringComparer.Ordinal)
            .ToList();
}
