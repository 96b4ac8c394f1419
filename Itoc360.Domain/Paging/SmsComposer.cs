using System.Globalization;
using System.Text;
using Itoc360.Domain.Incidents;

namespace Itoc360.Domain.Paging;

/// <summary>What a page says about one incident.</summary>
public readonly record struct PagedIncident(long Number, Priority Priority, string? Title);

/// <summary>A composed SMS body and what it costs.</summary>
public sealed record ComposedSms(string Text, SmsSegments Size)
{
    /// <summary>False only when even the bare minimum (priority, number, link) is over the budget.</summary>
    public bool Fits => Size.Segments <= SmsComposer.MaxSegments;
}

/// <summary>
/// Writes the text of pages. A page must be readable on a lock screen and cheap: priority first, then
/// the number people reply with, the title, the one-tap acknowledge link and the reply codes, in at most
/// <see cref="MaxSegments"/> segments. Only the title gives way: it is cleaned to one line, GSM look-alikes
/// replace typographic characters, and it is shortened with an ellipsis, preferably at a word boundary.
/// </summary>
public static class SmsComposer
{
    public const int MaxSegments = 2;

    /// <summary>In a bundle each listed incident keeps at least this much title (or all of a shorter one).</summary>
    public const int MinBundleTitle = 20;

    /// <summary>A page drops its reply codes before it shortens the title below this.</summary>
    public const int MinPageTitle = 16;

    private const int MaxBundleListed = 40;

    // A shortened title with less than this before the ellipsis says nothing ("Da..."): leave it out.
    private const int MinUsefulPrefix = 4;

    // A title longer than this can never fit in two segments; cutting early keeps the search cheap.
    private const int MaxTitleConsidered = 320;
    // Prefer ending at a word boundary if that drops no more than this many characters.
    private const int WordBoundarySlack = 12;

    /// <summary>
    /// <c>CRITICAL #42 Twilio 11200: HTTP retrieval failure</c> / <c>Ack: https://…</c> /
    /// <c>Reply ACK 42, RESOLVE 42 or SNOOZE 42 30m</c>, one per line. Without a link the middle line is left
    /// out. When a long link leaves no room for <see cref="MinPageTitle"/> characters of title, the reply codes
    /// shrink to <c>Reply ACK 42</c> and then go, before the title does; the link and the number are never
    /// cut (if they alone are over the budget, <see cref="ComposedSms.Fits"/> is false).
    /// </summary>
    public static ComposedSms Page(PagedIncident incident, string? acknowledgeLink)
    {
        var number = Number(incident.Number);
        var head = $"{Label(incident.Priority)} #{number}";
        var link = string.IsNullOrWhiteSpace(acknowledgeLink) ? null : $"Ack: {acknowledgeLink.Trim()}";
        string[] hints = [$"Reply ACK {number}, RESOLVE {number} or SNOOZE {number} 30m", $"Reply ACK {number}", ""];

        var title = CleanTitle(incident.Title);
        ComposedSms? last = null;
        for (var tier = 0; tier < hints.Length; tier++)
        {
            var hint = hints[tier];
            string Build(string shortTitle) => JoinLines(shortTitle.Length == 0 ? head : $"{head} {shortTitle}", link, hint);
            // A title is worth more than the full list of reply codes, so each richer tier must keep some of it;
            // the last tier takes whatever fits.
            var least = tier == hints.Length - 1 ? 0 : Math.Min(MinPageTitle, title.Elements);
            last = FitTitle(title, Build, least);
            if (last.Fits) return last;
        }
        return last!;
    }

    /// <summary>
    /// Several incidents in one SMS, most urgent first (then by number):
    /// <c>3 incidents: CRITICAL #42 Disk full; HIGH #43 Queue backlog; +1 more</c> and one reply hint.
    /// Lists as many as fit while each keeps at least <see cref="MinBundleTitle"/> characters of title; the
    /// rest are counted as "+N more". One incident is an ordinary <see cref="Page"/> without a link.
    /// </summary>
    public static ComposedSms Bundle(IReadOnlyList<PagedIncident> incidents)
    {
        ArgumentNullException.ThrowIfNull(incidents);
        if (incidents.Count == 0) throw new ArgumentException("A bundle needs at least one incident.", nameof(incidents));
        if (incidents.Count == 1) return Page(incidents[0], null);

        // No more than ~25 incidents can ever share two segments ("LOW #1; " is 8 septets), so only the
        // most urgent 40 are looked at; the rest are only counted.
        var ordered = incidents
            .OrderBy(i => i.Priority)
            .ThenBy(i => i.Number)
            .Take(MaxBundleListed)
            .Select(i => (Head: $"{Label(i.Priority)} #{Number(i.Number)}", Title: CleanTitle(i.Title)))
            .ToList();
        var example = Number(incidents.OrderBy(i => i.Priority).ThenBy(i => i.Number).First().Number);
        var header = $"{incidents.Count.ToString(CultureInfo.InvariantCulture)} incidents: ";
        var hint = $"Reply ACK, RESOLVE or SNOOZE + number, e.g. ACK {example}";

        ComposedSms? fallback = null;
        for (var listed = ordered.Count; listed >= 1; listed--)
        {
            var shown = ordered.Take(listed).ToList();
            var more = incidents.Count - listed;
            var longest = shown.Max(s => s.Title.Elements);
            var least = listed == 1 ? 0 : Math.Min(MinBundleTitle, longest);

            // Cheap rejection first: if the shortest acceptable titles do not fit, list fewer.
            fallback = Attempt(shown, more, least);
            if (!fallback.Fits) continue;

            for (var cap = Math.Min(longest, MaxTitleConsidered); cap > least; cap--)
            {
                var attempt = Attempt(shown, more, cap);
                if (attempt.Fits) return attempt;
            }
            return fallback;
        }
        return fallback!;

        ComposedSms Attempt(List<(string Head, Title Title)> shown, int more, int cap)
        {
            var text = Compose(shown.Select(s => Item(s.Head, s.Title, cap, gsm: true)), more);
            if (!SmsText.IsGsm7(text))
            {
                // A title that needs UCS-2 anyway gets the real ellipsis (1 unit rather than 3).
                text = Compose(shown.Select(s => Item(s.Head, s.Title, cap, gsm: false)), more);
            }
            return new ComposedSms(text, SmsText.Measure(text));
        }

        string Compose(IEnumerable<string> items, int more)
        {
            var list = string.Join("; ", items);
            if (more > 0) list += $"; +{more.ToString(CultureInfo.InvariantCulture)} more";
            return $"{header}{list}\n{hint}";
        }
    }

    /// <summary>A cleaned title with its text-element boundaries, computed once per composition.</summary>
    private sealed record Title(string Text, int[] Starts)
    {
        public int Elements => Starts.Length;
    }

    private static string Item(string head, Title title, int cap, bool gsm)
    {
        var shortened = Shorten(title, cap, gsm);
        return shortened.Length == 0 ? head : $"{head} {shortened}";
    }

    /// <summary>
    /// The longest version of <paramref name="title"/> (the whole, or a prefix with an ellipsis) for which
    /// <paramref name="build"/> fits. Searched from long to short rather than bisected, because cutting a
    /// title can drop its only non-GSM character and so double the room.
    /// </summary>
    private static ComposedSms FitTitle(Title title, Func<string, string> build, int least)
    {
        var whole = build(title.Text);
        var size = SmsText.Measure(whole);
        if (size.Segments <= MaxSegments) return new(whole, size);

        var elements = title.Elements;
        ComposedSms? smallest = null;
        for (var cap = Math.Min(elements - 1, MaxTitleConsidered); cap >= least; cap--)
        {
            var text = build(Shorten(title, cap, gsm: true));
            if (!SmsText.IsGsm7(text)) text = build(Shorten(title, cap, gsm: false));
            size = SmsText.Measure(text);
            smallest = new(text, size);
            if (size.Segments <= MaxSegments) return smallest;
        }
        return smallest ?? new(whole, size);
    }

    /// <summary>
    /// At most <paramref name="cap"/> text elements of <paramref name="title"/> plus an ellipsis ("..." in
    /// GSM, "…" in UCS-2) when anything was cut; never splits a surrogate pair or a combining sequence.
    /// Cuts at a word boundary when that loses little, and never leaves a dangling space or separator.
    /// </summary>
    private static string Shorten(Title shortened, int cap, bool gsm)
    {
        var (title, starts) = (shortened.Text, shortened.Starts);
        if (starts.Length <= cap) return title;
        if (cap <= 0) return "";

        var ellipsis = gsm ? "..." : "\u2026";
        var budget = cap - (gsm ? 3 : 1);
        if (budget <= 0) return "";

        var cut = starts[budget];
        var prefix = title[..cut];
        var space = prefix.LastIndexOf(' ');
        if (space > 0 && cut - space <= WordBoundarySlack && !char.IsWhiteSpace(title[cut]))
        {
            prefix = prefix[..space];
        }
        prefix = prefix.TrimEnd(' ', ',', ';', ':', '-', '.', '/', '(');
        return prefix.Length < MinUsefulPrefix ? "" : prefix + ellipsis;
    }

    /// <summary>
    /// The title as one clean line, cut (on a text-element boundary) to a length that can never fit anyway,
    /// so that shortening it costs the same for a 40-character title as for a 4 MB one.
    /// </summary>
    private static Title CleanTitle(string? title)
    {
        var clean = SmsText.CleanLine(title, maxLength: 2 * MaxTitleConsidered);
        var starts = TextElements(clean);
        return starts.Length > MaxTitleConsidered + 1
            ? new Title(clean[..starts[MaxTitleConsidered + 1]], starts[..(MaxTitleConsidered + 1)])
            : new Title(clean, starts);
    }

    private static int[] TextElements(string text) =>
        text.Length == 0 ? [] : StringInfo.ParseCombiningCharacters(text);

    private static string JoinLines(params string?[] lines) =>
        string.Join('\n', lines.Where(l => !string.IsNullOrEmpty(l)));

    internal static string Label(Priority priority) => priority switch
    {
        Priority.Critical => "CRITICAL",
        Priority.High => "HIGH",
        Priority.Medium => "MEDIUM",
        Priority.Low => "LOW",
        _ => priority.ToString().ToUpperInvariant(),
    };

    internal static string Number(long number) => number.ToString(CultureInfo.InvariantCulture);
}
