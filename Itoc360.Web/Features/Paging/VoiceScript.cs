using System.Globalization;
using System.Security;
using Itoc360.Domain.Incidents;

namespace Itoc360.Web.Features.Paging;

/// <summary>What a page call says, and the TwiML documents around it.</summary>
public static class VoiceScript
{
    public const string Menu = "Press 1 to acknowledge, 2 to resolve, 3 to snooze for 30 minutes, or star to hear this again.";

    /// <summary>"Critical incident 42: Twilio 11200 HTTP retrieval failure." (several: "3 incidents need attention. Critical incident 42: …").</summary>
    public static string Say(IReadOnlyList<Incident> incidents)
    {
        if (incidents.Count == 0)
        {
            return "This is Itoc360.";
        }

        var lines = incidents.OrderBy(i => i.Priority).ThenBy(i => i.Number).Take(3)
            .Select(i => $"{i.Priority} incident {i.Number.ToString(CultureInfo.InvariantCulture)}: {Speakable(i.Title)}.");
        var head = incidents.Count > 1 ? $"This is Itoc360. {incidents.Count} incidents need attention. " : "This is Itoc360. ";
        var more = incidents.Count > 3 ? $" And {incidents.Count - 3} more." : "";
        return head + string.Join(" ", lines) + more;
    }

    /// <summary>The menu call: the script and the key menu, asked once more if no key comes.</summary>
    public static string Answer(string script, string gatherUrl, string language) =>
        Response(
            Gather(gatherUrl, language, script + " " + Menu) +
            Gather(gatherUrl, language, Menu) +
            SayElement("No key was pressed. Goodbye.", language));

    public static string Gather(string gatherUrl, string language, string text) =>
        $"<Gather input=\"dtmf\" numDigits=\"1\" timeout=\"6\" action=\"{Escape(gatherUrl)}\" method=\"POST\">{SayElement(text, language)}</Gather>";

    public static string SayElement(string text, string language) => $"<Say language=\"{Escape(language)}\">{Escape(text)}</Say>";

    public static string Response(string inner) => $"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response>{inner}</Response>";

    public static string Message(string text) => Response($"<Message>{Escape(text)}</Message>");

    public static string Empty => Response("");

    public static string Escape(string text) => SecurityElement.Escape(text) ?? "";

    /// <summary>Drops characters a speech engine reads out badly (URLs, underscores, long numbers stay).</summary>
    private static string Speakable(string? title) =>
        string.IsNullOrWhiteSpace(title) ? "no title"
            : System.Text.RegularExpressions.Regex.Replace(title, @"\bhttps?://\S+", "a web address", System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromMilliseconds(50))
                .Replace('_', ' ').Replace('/', ' ').Trim().TrimEnd('.');
}
