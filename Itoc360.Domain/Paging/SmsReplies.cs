using System.Globalization;

namespace Itoc360.Domain.Paging;

/// <summary>
/// The short texts sent back after a reply was handled. Each is plain GSM-7 and one segment, because a
/// confirmation is sent per reply and should cost as little as possible. Nothing is sent for STOP or START:
/// Twilio answers those itself.
/// </summary>
public static class SmsReplies
{
    public const string Usage = "Reply ACK 42, RESOLVE 42 or SNOOZE 42 30m";

    public static string Acknowledged(long number) => $"#{N(number)} acknowledged.";

    public static string Resolved(long number) => $"#{N(number)} resolved.";

    public static string AlreadyAcknowledged(long number) => $"#{N(number)} was already acknowledged.";

    public static string AlreadyResolved(long number) => $"#{N(number)} is already resolved.";

    public static string NotFound(long number) => $"Not found: #{N(number)}.";

    /// <summary>A command without a number from someone who has not been paged recently.</summary>
    public const string WhichIncident = "Which incident? Reply e.g. ACK 42.";

    public const string NotUnderstood = "Not understood. " + Usage + ", or HELP.";

    public const string HelpText =
        "Itoc360 paging: " + Usage + " (1m to 24h). No number = your last page. STOP ends SMS pages, START resumes.";

    /// <summary>The reason from <see cref="ReplyCommand.Invalid"/>, which is already written to be texted back.</summary>
    public static string Invalid(ReplyCommand.Invalid invalid) => invalid.Reason;

    /// <summary>
    /// <c>#42 snoozed until 14:30 UTC.</c>, in the person's zone when known (<c>15:30 UTC+1</c>,
    /// <c>20:00 UTC+5:30</c>), with the weekday when that is not today there (<c>Thu 09:15 UTC</c>).
    /// </summary>
    public static string Snoozed(long number, DateTime untilUtc, DateTime nowUtc, TimeZoneInfo? zone = null)
    {
        zone ??= TimeZoneInfo.Utc;
        var until = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(untilUtc, DateTimeKind.Utc), zone);
        var now = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(nowUtc, DateTimeKind.Utc), zone);
        var offset = zone.GetUtcOffset(DateTime.SpecifyKind(untilUtc, DateTimeKind.Utc));

        var day = until.Date == now.Date ? "" : until.ToString("ddd ", CultureInfo.InvariantCulture);
        var time = until.ToString("HH:mm", CultureInfo.InvariantCulture);
        return $"#{N(number)} snoozed until {day}{time} {OffsetLabel(offset)}.";
    }

    /// <summary>UTC, UTC+1, UTC-3, UTC+5:30: short, unambiguous, and needs no time-zone abbreviations.</summary>
    internal static string OffsetLabel(TimeSpan offset)
    {
        if (offset == TimeSpan.Zero) return "UTC";
        var sign = offset < TimeSpan.Zero ? "-" : "+";
        var abs = offset.Duration();
        var hours = ((int)abs.TotalHours).ToString(CultureInfo.InvariantCulture);
        return abs.Minutes == 0 ? $"UTC{sign}{hours}" : $"UTC{sign}{hours}:{abs.Minutes:00}";
    }

    private static string N(long number) => number.ToString(CultureInfo.InvariantCulture);
}
