using System.Globalization;
using Itoc360.Domain.Paging;
using Itoc360.Web.Data;
using MudBlazor;

namespace Itoc360.Web.Components.Controls;

/// <summary>How paging things read on every page: channels, masked numbers, notification states, contact rules.</summary>
public static class PagingText
{
    /// <summary>The settings that turn paging on, as the pages name them when it is off.</summary>
    public static readonly string[] TwilioSettings = ["Itoc360__Twilio__AccountSid", "Itoc360__Twilio__AuthToken", "Itoc360__Twilio__FromNumber"];

    public static string Channel(ContactChannel channel) => channel switch
    {
        ContactChannel.Sms => "SMS",
        ContactChannel.Voice => "Call",
        ContactChannel.WhatsApp => "WhatsApp",
        _ => channel.ToString(),
    };

    public static string ChannelIcon(ContactChannel channel) => channel switch
    {
        ContactChannel.Voice => Icons.Material.Filled.Call,
        ContactChannel.WhatsApp => Icons.Material.Filled.Chat,
        _ => Icons.Material.Filled.Sms,
    };

    public static string KindLabel(string kind) =>
        kind == ContactKinds.WhatsApp ? "WhatsApp" : "Phone (SMS and calls)";

    public static string KindIcon(string kind) =>
        kind == ContactKinds.WhatsApp ? Icons.Material.Filled.Chat : Icons.Material.Filled.PhoneIphone;

    /// <summary>"+49…5678": enough to recognise a number without showing all of it.</summary>
    public static string Mask(string number) =>
        number.Length <= 8 ? number : $"{number[..3]}…{number[^4..]}";

    /// <summary>Grey while on its way, green once it arrived, red when it did not, amber when nobody knows.</summary>
    public static (Color Color, Variant Variant) StatusStyle(NotificationStatus status) => status switch
    {
        NotificationStatus.Pending or NotificationStatus.Sending or NotificationStatus.Queued => (Color.Default, Variant.Outlined),
        NotificationStatus.Sent or NotificationStatus.Ringing or NotificationStatus.InProgress => (Color.Success, Variant.Outlined),
        NotificationStatus.Delivered or NotificationStatus.Read or NotificationStatus.Completed => (Color.Success, Variant.Filled),
        NotificationStatus.Undelivered or NotificationStatus.Failed or NotificationStatus.Busy or NotificationStatus.NoAnswer => (Color.Error, Variant.Filled),
        NotificationStatus.Uncertain => (Color.Warning, Variant.Filled),
        _ => (Color.Default, Variant.Text),
    };

    public static string StatusLabel(NotificationStatus status) => status switch
    {
        NotificationStatus.InProgress => "In progress",
        NotificationStatus.NoAnswer => "No answer",
        _ => status.ToString(),
    };

    /// <summary>Why a notification waits (or waited), and until when.</summary>
    public static string? HeldFor(string? heldFor, DateTime sendAfter, NotificationStatus status)
    {
        if (heldFor is null)
        {
            return null;
        }

        var why = heldFor switch
        {
            "quiet-hours" => "quiet hours",
            "rate-cap" => "the rate cap",
            "retry" => "a retry",
            _ => heldFor,
        };
        return $"{(status == NotificationStatus.Pending ? "Held" : "Was held")} for {why} until {TimeText.Utc(sendAfter)}";
    }

    public static string Price(decimal price, string? unit) =>
        $"{price.ToString("0.00##", CultureInfo.InvariantCulture)} {unit ?? ""}".TrimEnd();

    /// <summary>"SMS at once, a call after 5 minutes if nobody acknowledges".</summary>
    public static string Describe(IReadOnlyList<ContactRule> rules)
    {
        if (rules.Count == 0)
        {
            return "Nobody is paged: add at least one way to reach you.";
        }

        var parts = rules.Select((r, i) =>
        {
            var what = r.Channel switch
            {
                ContactChannel.Sms => i == 0 ? "SMS" : "an SMS",
                ContactChannel.Voice => "a call",
                ContactChannel.WhatsApp => "a WhatsApp message",
                _ => r.Channel.ToString(),
            };
            var when = r.AfterMinutes <= 0 ? "at once" : r.AfterMinutes == 1 ? "after 1 minute" : $"after {r.AfterMinutes} minutes";
            return $"{what} {when}";
        }).ToList();
        var text = string.Join(", ", parts);
        text = char.ToUpperInvariant(text[0]) + text[1..];
        return rules.Any(r => r.AfterMinutes > 0) ? text + " if nobody acknowledges" : text;
    }
}
