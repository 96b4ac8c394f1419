using Itoc360.Domain.Incidents;
using Itoc360.Domain.Priorities;
using static Itoc360.Domain.Sources.Parsers.ParserSupport;

namespace Itoc360.Domain.Sources.Parsers;

/// <summary>
/// Twilio Alarms and the legacy App Monitor Triggers: the same keys in a form body, the query string or
/// a JSON body (body wins over query). One incident per alarm (<c>AppMonitorTriggerSid</c>); no recoveries.
/// </summary>
public sealed class TwilioAlarmsParser : ISourceParser
{
    public const string KindName = "twilio-alarms";

    private const string Expected = "AppMonitorTriggerSid and the other alarm keys as a form body, a JSON object or query parameters";

    /// <summary>Query parameters that belong to the console's URL, not to the alarm.</summary>
    private static readonly string[] OwnQueryParameters = ["token", "bodySHA256"];

    private static readonly Dictionary<string, string> Periods = new(StringComparer.OrdinalIgnoreCase)
    {
        ["FIVE_MINS"] = "5 minutes",
        ["FIFTEEN_MINS"] = "15 minutes",
        ["ONE_HOUR"] = "1 hour",
        ["TWELVE_HOURS"] = "12 hours",
        ["ONE_DAY"] = "1 day",
        ["daily"] = "a day",
        ["monthly"] = "a month",
        ["yearly"] = "a year",
    };

    public string Kind => KindName;

    public string DisplayName => "Twilio Alarms (and App Monitor Triggers)";

    public PriorityMapping DefaultMapping { get; } = new(
    [
        new PriorityRule("TimePeriod", "FIVE_MINS", Priority.Critical),
        new PriorityRule("TimePeriod", "FIFTEEN_MINS", Priority.High),
        new PriorityRule("TimePeriod", "ONE_HOUR", Priority.Medium),
        new PriorityRule("TimePeriod", "TWELVE_HOURS", Priority.Low),
        new PriorityRule("TimePeriod", "ONE_DAY", Priority.Low),
        new PriorityRule("Log", "error", Priority.High),
        new PriorityRule("Log", "warning", Priority.Medium),
    ], Priority.Medium);

    public IReadOnlyList<string> Fields { get; } =
    [
        "TimePeriod", "Log", "ErrorCode", "Description", "AppMonitorTriggerSid", "AccountSid", "CurrentValue", "TriggerValue",
    ];

    public SignaturePolicy Signatures => SignaturePolicy.WhenPresent;

    public bool SendsRecoveries => false;

    public ParseResult Parse(InboundRequest request)
    {
        if (IsUrlCheck(request))
        {
            return UrlCheck;
        }

        var fields = NewFields();
        Add(fields, request.Query ?? [], OwnQueryParameters);
        switch (ContentTypes.Classify(request.ContentType, request.Body.Span))
        {
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
                    JsonFields.FlattenObject(document!.RootElement, fields);
                }

                break;
        }

        if (Get(fields, "AppMonitorTriggerSid") is not { } alarmSid)
        {
            return fields.Count == 0 ? NoBody(Expected) : Missing("AppMonitorTriggerSid");
        }

        NormalizeLog(fields);
        return ParseResult.Of(new NormalizedAlert(
            AlertAction.Trigger,
            DedupKey: alarmSid,
            EventId: Get(fields, "IdempotencyToken"),
            Title: TitleOf(fields),
            OccurredAt: VendorTime.ParseRfc2822(Get(fields, "DateFired")),
            Fields: fields,
            ReferenceUrl: TwilioErrorUrl(Get(fields, "ErrorCode"))));
    }

    /// <summary>Legacy triggers send <c>Log</c> as 0 (error) or 1 (warning); modern alarms send the words.</summary>
    private static void NormalizeLog(Dictionary<string, string> fields)
    {
        if (Get(fields, "Log") is not { } log)
        {
            return;
        }

        fields["Log"] = log.ToLowerInvariant() switch
        {
            "0" or "error" => "error",
            "1" or "warning" or "warn" => "warning",
            _ => log,
        };
    }

    /// <summary>A human period: <c>FIVE_MINS</c> → "5 minutes", <c>daily</c> → "a day"; unknown values as sent.</summary>
    internal static string? PeriodText(string? timePeriod) =>
        timePeriod is null ? null : Periods.GetValueOrDefault(timePeriod, timePeriod.Replace('_', ' ').ToLowerInvariant());

    private static string TitleOf(IReadOnlyDictionary<string, string> fields)
    {
        var title = Get(fields, "Description") ?? "Twilio alarm";
        if (Get(fields, "ErrorCode") is { } errorCode)
        {
            title += $" (error {errorCode})";
        }

        var measure = "";
        if (Get(fields, "CurrentValue") is { } current)
        {
            measure = Number(current);
            if (PeriodText(Get(fields, "TimePeriod")) is { } period)
            {
                measure += $" in {period}";
            }
        }

        if (Get(fields, "TriggerValue") is { } threshold)
        {
            measure += (measure.Length == 0 ? "" : ", ") + $"threshold {Number(threshold)}";
        }

        return Title(measure.Length == 0 ? title : $"{title}: {measure}");
    }
}
