using System.Globalization;

namespace Itoc360.Domain.Paging;

/// <summary>
/// Reads what a paged person texted back. Pure and total: any string (null, empty, huge, control
/// characters, lone surrogates) gives a <see cref="ReplyCommand"/>, never an exception.
/// </summary>
/// <remarks>
/// <para>The grammar, case-insensitive, with any punctuation, symbols, emoji, smart quotes or control
/// characters acting as spaces (so <c>"ack #42."</c>, <c>ACK:42</c> and <c>ack42</c> read alike) and
/// full-width letters and digits read as ASCII:</para>
/// <list type="bullet">
/// <item><c>VERB [number] [duration]</c> or <c>number VERB [duration]</c> (<c>42 ack</c> is accepted:
/// people reply with the number they see first). Verbs: <c>ACK</c>/<c>A</c>/<c>ACKNOWLEDGE</c>,
/// <c>RESOLVE</c>/<c>R</c>, <c>SNOOZE</c>/<c>S</c>; only SNOOZE takes a duration.</item>
/// <item>No number means "the incident I was last paged about": the number is <c>null</c>.</item>
/// <item>After SNOOZE, a number followed by a unit is a duration (<c>S 30m</c> snoozes the last incident
/// for 30 minutes), while a lone number is the incident (<c>S 30</c> snoozes incident 30 for the
/// default 30 minutes). After the number, <c>90</c> means 90 minutes.</item>
/// <item>Durations: <c>30m</c>, <c>30 min</c>, <c>1h</c>, <c>2 hours</c>, <c>1h30m</c>, <c>1.5h</c>,
/// <c>for 2h</c>, a bare number of minutes; units s/sec, m/min/minute(s), h/hr/hour(s), d/day(s),
/// w/week(s). A snooze must be 1 minute to 24 hours, otherwise the command is
/// <see cref="ReplyCommand.Invalid"/> with a reason to text back.</item>
/// <item>Trailing text is ignored once an incident number has been read (<c>ACK 42 on it</c>,
/// <c>ACK 42\nSent from my phone</c>). Without a number the command must stand alone
/// (<c>ACK thanks</c>, <c>R u there?</c> are <see cref="ReplyCommand.Unknown"/>), so chatty replies
/// never change the last incident by accident. Leading words are never skipped (<c>don't resolve 42</c>
/// must not resolve anything).</item>
/// <item>Twilio's opt-out, opt-in and help keywords count only as the whole message (as Twilio itself
/// treats them): <c>STOP</c> is <see cref="ReplyCommand.Stop"/>, <c>stop paging me</c> is Unknown.</item>
/// </list>
/// <para>Only the first <see cref="MaxInspectedLength"/> characters are read (Twilio's own body limit is
/// 1,600), so the cost of parsing is bounded whatever arrives.</para>
/// </remarks>
public static class ReplyGrammar
{
    public static readonly TimeSpan DefaultSnooze = TimeSpan.FromMinutes(30);
    public static readonly TimeSpan MinSnooze = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan MaxSnooze = TimeSpan.FromHours(24);

    /// <summary>Characters looked at; anything after this is trailing text by definition.</summary>
    public const int MaxInspectedLength = 2000;

    // Enough for "42 snooze for 1 h 30 m" plus one token to know whether trailing text follows.
    private const int MaxTokens = 12;

    private static readonly HashSet<string> StopWords =
        ["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"];
    private static readonly HashSet<string> StartWords = ["START", "YES", "UNSTOP"];
    private static readonly HashSet<string> HelpWords = ["HELP", "INFO"];

    private enum Verb { None, Acknowledge, Resolve, Snooze }

    private enum TokenKind { Word, Number }

    /// <summary>A word (upper-cased letters) or a number (ASCII digits, possibly with one decimal point).</summary>
    private readonly record struct Token(TokenKind Kind, string Text);

    public static ReplyCommand Parse(string? body)
    {
        var tokens = Tokenize(body);
        if (tokens.Count == 0)
        {
            return new ReplyCommand.Unknown();
        }

        if (tokens.Count == 1 && tokens[0].Kind == TokenKind.Word)
        {
            var word = tokens[0].Text;
            if (StopWords.Contains(word)) return new ReplyCommand.Stop();
            if (StartWords.Contains(word)) return new ReplyCommand.Start();
            if (HelpWords.Contains(word)) return new ReplyCommand.Help();
        }

        var first = VerbOf(tokens[0]);
        if (first != Verb.None)
        {
            return ParseAfterVerb(first, tokens, 1);
        }

        // "42 ack", "#42 s 1h"
        if (tokens[0].Kind == TokenKind.Number && tokens.Count >= 2 && VerbOf(tokens[1]) is var second and not Verb.None)
        {
            if (!TryReadIncidentNumber(tokens[0].Text, out var number, out var problem))
            {
                return new ReplyCommand.Invalid(problem);
            }
            return Finish(second, number, tokens, 2);
        }

        return new ReplyCommand.Unknown();
    }

    private static ReplyCommand ParseAfterVerb(Verb verb, List<Token> tokens, int index)
    {
        if (index == tokens.Count)
        {
            return Build(verb, null, DefaultSnooze);
        }

        var next = tokens[index];
        if (verb == Verb.Snooze && StartsDuration(tokens, index))
        {
            // "S 30m": a duration for the last incident; nothing may follow it (no number was given).
            var duration = ReadDuration(tokens, ref index, null);
            if (duration.Problem is not null) return new ReplyCommand.Invalid(duration.Problem);
            return index == tokens.Count ? Build(verb, null, duration.Value) : new ReplyCommand.Unknown();
        }

        if (next.Kind != TokenKind.Number)
        {
            return new ReplyCommand.Unknown();
        }

        if (!TryReadIncidentNumber(next.Text, out var number, out var problem))
        {
            return new ReplyCommand.Invalid(problem);
        }
        return Finish(verb, number, tokens, index + 1);
    }

    /// <summary>After the incident number: an optional duration for SNOOZE, then anything (ignored).</summary>
    private static ReplyCommand Finish(Verb verb, long number, List<Token> tokens, int index)
    {
        if (verb != Verb.Snooze)
        {
            return Build(verb, number, DefaultSnooze);
        }

        var duration = ReadDuration(tokens, ref index, number);
        return duration.Problem is null
            ? Build(verb, number, duration.Value)
            : new ReplyCommand.Invalid(duration.Problem);
    }

    private static ReplyCommand Build(Verb verb, long? number, TimeSpan snooze) => verb switch
    {
        Verb.Acknowledge => new ReplyCommand.Acknowledge(number),
        Verb.Resolve => new ReplyCommand.Resolve(number),
        _ => new ReplyCommand.Snooze(number, snooze),
    };

    private static Verb VerbOf(Token token) => token.Kind != TokenKind.Word ? Verb.None : token.Text switch
    {
        "A" or "ACK" or "ACKNOWLEDGE" => Verb.Acknowledge,
        "R" or "RESOLVE" => Verb.Resolve,
        "S" or "SNOOZE" => Verb.Snooze,
        _ => Verb.None,
    };

    private static bool TryReadIncidentNumber(string text, out long number, out string problem)
    {
        number = 0;
        problem = "";
        if (text.Contains('.'))
        {
            problem = "Incident numbers are whole numbers, e.g. ACK 42.";
            return false;
        }

        var digits = text.TrimStart('0');
        if (digits.Length == 0)
        {
            problem = "There is no incident #0.";
            return false;
        }
        if (digits.Length > 19 || !long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out number))
        {
            problem = "That incident number is too large.";
            return false;
        }
        return true;
    }

    // ---- durations ----

    private readonly record struct DurationRead(TimeSpan Value, string? Problem);

    private static bool StartsDuration(List<Token> tokens, int index)
    {
        if (index < tokens.Count && tokens[index].Text == "FOR")
        {
            return index + 1 < tokens.Count && tokens[index + 1].Kind == TokenKind.Number;
        }
        return index + 1 < tokens.Count
            && tokens[index].Kind == TokenKind.Number
            && UnitOf(tokens[index + 1]) is not null;
    }

    /// <summary>
    /// Reads "[for] n unit [n unit]…" or "[for] n" (minutes) from <paramref name="index"/>. Nothing there
    /// gives the default. Stops at the first token that does not continue the duration.
    /// </summary>
    private static DurationRead ReadDuration(List<Token> tokens, ref int index, long? number)
    {
        if (index < tokens.Count && tokens[index].Text == "FOR"
            && index + 1 < tokens.Count && tokens[index + 1].Kind == TokenKind.Number)
        {
            index++;
        }

        double minutes = 0;
        var parts = 0;
        while (index < tokens.Count && tokens[index].Kind == TokenKind.Number)
        {
            var value = ReadQuantity(tokens[index].Text);
            var unit = index + 1 < tokens.Count ? UnitOf(tokens[index + 1]) : null;
            if (unit is { } perUnit)
            {
                minutes += value * perUnit;
                index += 2;
                parts++;
            }
            else if (parts == 0)
            {
                minutes = value;
                index++;
                parts++;
                break;
            }
            else
            {
                break;
            }
        }

        if (parts == 0)
        {
            return new(DefaultSnooze, null);
        }

        var example = $"SNOOZE {(number?.ToString(CultureInfo.InvariantCulture) ?? "42")}";
        if (double.IsNaN(minutes) || minutes < MinSnooze.TotalMinutes)
        {
            return new(TimeSpan.Zero, $"A snooze must be at least 1 minute, e.g. {example} 30m.");
        }
        if (minutes > MaxSnooze.TotalMinutes)
        {
            return new(TimeSpan.Zero, $"A snooze can be at most 24 hours, e.g. {example} 2h.");
        }
        // Whole seconds: "1.333h" should not carry a tail of ticks into the database.
        return new(TimeSpan.FromSeconds(Math.Round(minutes * 60)), null);
    }

    /// <summary>A quantity; absurdly long digit runs read as infinity (and so fail the upper bound).</summary>
    private static double ReadQuantity(string text) =>
        text.Length > 12
            ? double.PositiveInfinity
            : double.Parse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);

    /// <summary>Minutes per unit, or null for a word that is not a unit.</summary>
    private static double? UnitOf(Token token) => token.Kind != TokenKind.Word ? null : token.Text switch
    {
        "S" or "SEC" or "SECS" or "SECOND" or "SECONDS" => 1.0 / 60,
        "M" or "MIN" or "MINS" or "MINUTE" or "MINUTES" => 1,
        "H" or "HR" or "HRS" or "HOUR" or "HOURS" => 60,
        "D" or "DAY" or "DAYS" => 24 * 60,
        "W" or "WK" or "WEEK" or "WEEKS" => 7 * 24 * 60,
        _ => null,
    };

    // ---- tokens ----

    /// <summary>
    /// Splits into letter runs and digit runs (a digit run may hold one '.' between digits, for 1.5h).
    /// Format characters (zero-width spaces, soft hyphens, BOM) are skipped without splitting a word;
    /// everything else that is not a letter or an ASCII digit separates tokens.
    /// </summary>
    private static List<Token> Tokenize(string? body)
    {
        var tokens = new List<Token>();
        if (string.IsNullOrEmpty(body))
        {
            return tokens;
        }

        var length = Math.Min(body.Length, MaxInspectedLength);
        var current = new System.Text.StringBuilder();
        TokenKind? kind = null;

        void Flush()
        {
            if (kind is { } k && current.Length > 0)
            {
                tokens.Add(new Token(k, k == TokenKind.Word ? current.ToString().ToUpperInvariant() : current.ToString()));
            }
            current.Clear();
            kind = null;
        }

        for (var i = 0; i < length && tokens.Count < MaxTokens; i++)
        {
            var c = Fold(body[i]);
            if (char.IsAsciiDigit(c))
            {
                if (kind != TokenKind.Number) Flush();
                kind = TokenKind.Number;
                current.Append(c);
            }
            else if (c == '.' && kind == TokenKind.Number && !current.ToString().Contains('.')
                     && i + 1 < length && char.IsAsciiDigit(Fold(body[i + 1])))
            {
                current.Append(c);
            }
            else if (char.IsLetter(c))
            {
                if (kind != TokenKind.Word) Flush();
                kind = TokenKind.Word;
                // A word longer than any keyword is just text; stop growing it so a huge word stays cheap.
                if (current.Length < 32) current.Append(c);
            }
            else if (char.GetUnicodeCategory(c) == UnicodeCategory.Format)
            {
                // Invisible: "AC\u200BK" is still ACK.
            }
            else
            {
                Flush();
            }
        }
        Flush();
        return tokens;
    }

    /// <summary>Full-width forms (what some Asian keyboards type) to their ASCII twins.</summary>
    private static char Fold(char c) => c is >= '\uFF01' and <= '\uFF5E' ? (char)(c - 0xFEE0) : c;
}
