using System.Diagnostics.CodeAnalysis;

namespace Itoc360.Domain.Paging;

/// <summary>The answer of a rate cap: send now, or wait until <see cref="AvailableAtUtc"/>.</summary>
/// <param name="SentInWindow">Sends counted in the window ending now.</param>
public readonly record struct RateCapDecision(bool Allowed, DateTime AvailableAtUtc, int SentInWindow);

/// <summary>
/// At most <see cref="Max"/> sends in any sliding <see cref="Window"/>. A send at instant <c>s</c> counts
/// against instants in <c>[s, s + Window)</c>, so the next send is allowed exactly <see cref="Window"/>
/// after the send that drops out. Pure: the caller gives the send times it already made.
/// </summary>
/// <remarks>
/// When a cap says wait, the caller holds the page and sends it, with whatever else piled up for that
/// person meanwhile, as one message at <see cref="RateCapDecision.AvailableAtUtc"/>: that is how several
/// incidents end up bundled into one SMS.
/// </remarks>
public sealed record RateCap
{
    public const int MaxSends = 100;
    public static readonly TimeSpan MaxWindow = TimeSpan.FromHours(24);

    private RateCap(int max, TimeSpan window)
    {
        Max = max;
        Window = window;
    }

    public int Max { get; }
    public TimeSpan Window { get; }

    /// <summary>Validates a configured cap (1..100 sends in 1 minute..24 hours); never throws on it.</summary>
    public static bool TryCreate(int max, TimeSpan window, [NotNullWhen(true)] out RateCap? cap, out string? problem)
    {
        problem = max is < 1 or > MaxSends
            ? $"A cap allows between 1 and {MaxSends} sends."
            : window < TimeSpan.FromMinutes(1) || window > MaxWindow
                ? "A cap's window is between 1 minute and 24 hours."
                : null;
        cap = problem is null ? new RateCap(max, window) : null;
        return cap is not null;
    }

    /// <summary>Can one more be sent at <paramref name="nowUtc"/> given <paramref name="sentAtUtc"/> (any order; future times count too)?</summary>
    public RateCapDecision Check(IEnumerable<DateTime> sentAtUtc, DateTime nowUtc)
    {
        var windowStart = nowUtc - Window;
        var inWindow = sentAtUtc.Where(s => s > windowStart).Order().ToArray();
        if (inWindow.Length < Max)
        {
            return new RateCapDecision(true, nowUtc, inWindow.Length);
        }

        // The oldest sends must drop out until only Max - 1 remain.
        var availableAt = inWindow[inWindow.Length - Max] + Window;
        return new RateCapDecision(false, availableAt > nowUtc ? availableAt : nowUtc, inWindow.Length);
    }
}

/// <summary>A person's caps per channel. Defaults: 5 SMS, 3 calls and 5 WhatsApp messages per 15 minutes.</summary>
public sealed record ContactRateCaps(RateCap Sms, RateCap Voice, RateCap WhatsApp)
{
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromMinutes(15);

    public static ContactRateCaps Default { get; } = new(Cap(5), Cap(3), Cap(5));

    public RateCap For(ContactChannel channel) => channel switch
    {
        ContactChannel.Sms => Sms,
        ContactChannel.Voice => Voice,
        ContactChannel.WhatsApp => WhatsApp,
        _ => throw new ArgumentOutOfRangeException(nameof(channel), channel, null),
    };

    /// <summary>Checks the cap of <paramref name="channel"/> against that channel's earlier sends to this person.</summary>
    public RateCapDecision Check(ContactChannel channel, IEnumerable<DateTime> sentAtUtc, DateTime nowUtc) =>
        For(channel).Check(sentAtUtc, nowUtc);

    private static RateCap Cap(int max) =>
        RateCap.TryCreate(max, DefaultWindow, out var cap, out _) ? cap : throw new InvalidOperationException();
}
