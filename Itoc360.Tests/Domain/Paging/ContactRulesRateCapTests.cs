using Itoc360.Domain.Paging;

namespace Itoc360.Tests.Domain.Paging;

public class ContactRulesRateCapTests
{
    private static readonly DateTime Now = new(2026, 5, 4, 10, 0, 0, DateTimeKind.Utc);

    private static DateTime[] MinutesAgo(params double[] minutes) => minutes.Select(m => Now.AddMinutes(-m)).ToArray();

    [Theory]
    [InlineData(new double[0], true, 0, 0)]
    [InlineData(new double[] { 1, 2, 3, 4 }, true, 0, 4)]
    [InlineData(new double[] { 1, 2, 3, 4, 14 }, false, 1, 5)] // the send 14 minutes ago drops out in 1 minute
    [InlineData(new double[] { 14, 1, 3, 2, 4 }, false, 1, 5)] // order does not matter
    [InlineData(new double[] { 1, 2, 3, 4, 15 }, true, 0, 4)] // exactly one window ago no longer counts
    [InlineData(new double[] { 1, 2, 3, 4, 30, 60 }, true, 0, 4)]
    [InlineData(new double[] { 0, 1, 2, 3, 4, 5, 6 }, false, 11, 7)] // over the cap (e.g. sent under an older setting): the three oldest must drop out, the last of them 4 minutes ago
    public void Five_sms_per_fifteen_minutes(double[] sentMinutesAgo, bool allowed, double waitMinutes, int counted)
    {
        var decision = ContactRateCaps.Default.Check(ContactChannel.Sms, MinutesAgo(sentMinutesAgo), Now);

        Assert.Equal(new RateCapDecision(allowed, Now.AddMinutes(waitMinutes), counted), decision);
    }

    [Fact]
    public void Three_calls_per_fifteen_minutes()
    {
        Assert.True(ContactRateCaps.Default.Check(ContactChannel.Voice, MinutesAgo(1, 2), Now).Allowed);

        var capped = ContactRateCaps.Default.Check(ContactChannel.Voice, MinutesAgo(1, 2, 10), Now);
        Assert.False(capped.Allowed);
        Assert.Equal(Now.AddMinutes(5), capped.AvailableAtUtc);
    }

    [Fact]
    public void Sending_at_the_time_a_cap_gives_is_then_allowed()
    {
        var sent = MinutesAgo(1, 2, 3, 4, 14);
        var decision = ContactRateCaps.Default.Sms.Check(sent, Now);

        Assert.True(ContactRateCaps.Default.Sms.Check(sent, decision.AvailableAtUtc).Allowed);
        Assert.False(ContactRateCaps.Default.Sms.Check(sent, decision.AvailableAtUtc.AddTicks(-1)).Allowed);
    }

    [Fact]
    public void WhatsApp_has_its_own_cap_and_each_channel_is_counted_apart()
    {
        Assert.Same(ContactRateCaps.Default.WhatsApp, ContactRateCaps.Default.For(ContactChannel.WhatsApp));
        Assert.Equal(5, ContactRateCaps.Default.WhatsApp.Max);
        Assert.Equal(TimeSpan.FromMinutes(15), ContactRateCaps.Default.For(ContactChannel.Voice).Window);
    }

    [Theory]
    [InlineData(0, 15)]
    [InlineData(101, 15)]
    [InlineData(5, 0)]
    [InlineData(5, 24 * 60 + 1)]
    public void Caps_outside_the_limits_are_refused(int max, int windowMinutes)
    {
        Assert.False(RateCap.TryCreate(max, TimeSpan.FromMinutes(windowMinutes), out var cap, out var problem));
        Assert.Null(cap);
        Assert.False(string.IsNullOrWhiteSpace(problem));
    }

    [Fact]
    public void A_custom_cap_counts_its_own_window()
    {
        Assert.True(RateCap.TryCreate(1, TimeSpan.FromHours(1), out var hourly, out _));
        var decision = hourly.Check(MinutesAgo(20), Now);
        Assert.Equal(new RateCapDecision(false, Now.AddMinutes(40), 1), decision);
    }
}
