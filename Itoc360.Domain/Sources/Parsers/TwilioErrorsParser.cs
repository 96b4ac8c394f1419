using System.Text.Json;
using Itoc360.Domain.Incidents;
using Itoc360.Domain.Priorities;
using static Itoc360.Domain.Sources.Parsers.ParserSupport;

namespace Itoc360.Domain.Sources.Parsers;

/// <summary>
/// Twilio Debugger webhook: a signed form POST with <c>Sid</c>, <c>Level</c> and a JSON <c>Payload</c>.
/// Every event is its own incident; Twilio sends no recoveries.
/// </summary>
public sealed class TwilioErrorsParser : ISourceParser
{
    public const string KindName = "twilio-errors";

    private const string Expected = "an application/x-www-form-urlencoded body with Sid, Level and Payload";

    public string Kind => KindName;

    public string DisplayName => "Twilio Debugger (errors and warnings)";

    public PriorityMapping DefaultMapping { get; } = new(
    [
        new PriorityRule("Level", "ERROR", Priority.High),
        new PriorityRule("Level", "WARNING", Priority.Medium),
        new PriorityRule("Level", "INFO", Priority.Low),
        new PriorityRule("Level", "DEBUG", Priority.Low),
    ], Priority.Medium);

    public IReadOnlyList<string> Fields { get; } =
    [
        "Level", "error_code", "resource_sid", "service_sid", "AccountSid", "ParentAccountSid",
        "more_info.Msg", "more_info.LogLevel", "more_info.httpResponse", "more_info.url", "more_info.sourceComponent",
        "webhook.request.url", "webhook.response.status_code",
    ];

    public SignaturePolicy Signatures => SignaturePolicy.Required;

    public bool SendsRecoveries => false;

    public ParseResult Parse(InboundRequest request)
    {
        if (IsUrlCheck(request))
        {
            return UrlCheck;
        }

        switch (ContentTypes.Classify(request.ContentType, request.Body.Span))
        {
            case BodyFormat.None:
                return NoBody(Expected);
            case BodyFormat.Json or BodyFormat.Unsupported:
                return Unsupported(request.ContentType, Expected);
        }

        if (!FormBody.TryParse(request.Body.Span, out var pairs, out var formProblem))
        {
            return ParseResult.Malformed(formProblem!);
        }

        var fields = NewFields();
        Add(fields, pairs, except: "Payload");
        var payloadText = pairs.LastOrDefault(p => string.Equals(p.Key.Trim(), "Payload", StringComparison.OrdinalIgnoreCase)).Value;

        if (Get(fields, "Sid") is not { } sid)
        {
            return Missing("Sid");
        }

        if (Get(fields, "Level") is null)
        {
            return Missing("Level");
        }

        if (string.IsNullOrWhiteSpace(payloadText))
        {
            return Missing("Payload");
        }

        if (!JsonFields.TryParseObject(payloadText, "Field 'Payload'", out var document, out var problem))
        {
            return problem!;
        }

        using (document)
        {
            var payload = document!.RootElement;
            AddPayload(payload, fields);
            UpperCase(fields, "Level");
            var errorCode = Get(fields, "error_code");
            return ParseResult.Of(new NormalizedAlert(
                AlertAction.Trigger,
                DedupKey: sid,
                EventId: sid,
                Title: TitleOf(errorCode, Message(payload), fields),
                OccurredAt: VendorTime.ParseIso8601(Get(fields, "Timestamp")),
                Fields: fields,
                ReferenceUrl: TwilioErrorUrl(errorCode)));
        }
    }

    /// <summary>
    /// The payload's own fields (a form field of the same name wins), with <c>more_info</c> flattened. Of
    /// <c>webhook</c> (which can carry whole request and response bodies) only the URL, method and status are kept.
    /// </summary>
    private static void AddPayload(JsonElement payload, Dictionary<string, string> fields)
    {
        var fromPayload = NewFields();
        JsonFields.FlattenObject(payload, fromPayload, "webhook", "response");
        CopyText(payload, ["webhook", "type"], fromPayload);
        CopyText(payload, ["webhook", "request", "url"], fromPayload);
        CopyText(payload, ["webhook", "request", "method"], fromPayload);
        CopyText(payload, ["webhook", "response", "status_code"], fromPayload);
        // The docs also show the response at the top level: file it under the same name.
        if (!fromPayload.ContainsKey("webhook.response.status_code") &&
            JsonFields.TryGetProperty(payload, "response", out var response) &&
            JsonFields.TryGetProperty(response, "status_code", out var status) &&
            JsonFields.Text(status) is { } statusText)
        {
            fromPayload["webhook.response.status_code"] = statusText;
        }

        foreach (var (name, value) in fromPayload)
        {
            fields.TryAdd(name, value);
        }
    }

    private static void CopyText(JsonElement root, string[] path, Dictionary<string, string> into)
    {
        var current = root;
        foreach (var name in path)
        {
            if (!JsonFields.TryGetProperty(current, name, out current))
            {
                return;
            }
        }

        if (current.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array) && JsonFields.Text(current) is { } text)
        {
            into[string.Join('.', path)] = text;
        }
    }

    /// <summary><c>more_info.Msg</c>, else <c>more_info.msg</c> (exact names first: Twilio sends both spellings).</summary>
    private static string? Message(JsonElement payload)
    {
        if (!JsonFields.TryGetProperty(payload, "more_info", out var moreInfo) || moreInfo.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var name in (string[])["Msg", "msg"])
        {
            if (moreInfo.TryGetProperty(name, out var value) && JsonFields.Text(value) is { } text && !string.IsNullOrWhiteSpace(text))
            {
                return text;
            }
        }

        return JsonFields.TryGetProperty(moreInfo, "msg", out var any) && JsonFields.Text(any) is { } anyText && !string.IsNullOrWhiteSpace(anyText)
            ? anyText
            : null;
    }

    private static string TitleOf(string? errorCode, string? message, IReadOnlyDictionary<string, string> fields)
    {
        var head = errorCode is null ? "Twilio debugger event" : $"Twilio {errorCode}";
        var level = Get(fields, "Level") ?? "event";
        var detail = message ?? (Get(fields, "resource_sid") is { } resource ? $"{level} on {resource}" : level);
        return Title($"{head}: {detail}");
    }
}
