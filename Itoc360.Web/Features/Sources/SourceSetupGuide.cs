namespace Itoc360.Web.Features.Sources;

/// <summary>Where to paste the webhook URL in each vendor's console, step by step, for the create dialog.</summary>
public static class SourceSetupGuide
{
    public static IReadOnlyList<string> Steps(string kind) => kind switch
    {
        "twilio-errors" =>
        [
            "Create the source here, then copy its webhook URL from the source page.",
            "In the Twilio Console open Monitor → Logs → Debugger (Errors) and choose the Webhooks settings.",
            "Paste the URL as the Debugger webhook (HTTP POST) and save. Twilio then posts every error and warning.",
            "Optional: enter the account's auth token here so that requests are checked against X-Twilio-Signature.",
            "Each event opens its own incident; Twilio sends no recovery, so incidents are resolved by a person.",
        ],
        "twilio-alarms" =>
        [
            "Create the source here, then copy its webhook URL from the source page.",
            "In the Twilio Console open Monitor → Alarms and create or edit an alarm (error code, threshold, time period).",
            "Under notifications choose webhook and paste the URL; save the alarm.",
            "Optional: enter the account's auth token here; a signature is checked when Twilio sends one.",
            "Repeated firings of one alarm join its open incident; there is no recovery payload.",
        ],
        "alibaba-cloudmonitor" =>
        [
            "Create the source here, then copy its webhook URL from the source page.",
            "In the CloudMonitor console create an alert contact and give it the URL as its webhook (callback) address; the console checks it with a GET, which this source answers.",
            "Add that contact to an alert contact group.",
            "In each alert rule select the contact group and set the same URL as the rule's alert callback.",
            "An OK notification resolves the open incident of the same rule, metric and instance.",
        ],
        _ => ["Create the source, copy its webhook URL from the source page and paste it into the vendor's webhook settings."],
    };

    public static bool TakesTwilioAuthToken(string kind) => kind.StartsWith("twilio-", StringComparison.OrdinalIgnoreCase);
}
