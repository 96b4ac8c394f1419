using System.Globalization;
using Itoc360.Web.Components.Controls;
using Itoc360.Web.Features.Paging;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Itoc360.Web.Components.Pages.Overview;

/// <summary>Response times per source and priority, paging delivery per channel, acknowledgement per person, and spend.</summary>
public sealed partial class OverviewPage
{
    internal static readonly int[] PeriodChoices = [1, 7, 30];

    private int _days = 7;
    private Features.Paging.Overview? _overview;
    private List<ChartSeries<double>> _timeSeries = [];
    private string[] _timeLabels = [];

    [Inject] public required PagingQueries Paging { get; init; }

    protected override Task OnInitializedAsync() => LoadAsync();

    private async Task SetDaysAsync(int days)
    {
        _days = days;
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        _overview = await Paging.OverviewAsync(_days, CancellationToken.None);
        var rows = _overview.ResponseTimes;
        _timeLabels = rows.Select(r => $"{r.Source} · {r.Priority}").ToArray();
        _timeSeries = rows.Any(r => r.MttaMinutes is not null || r.MttrMinutes is not null)
            ?
            [
                new ChartSeries<double> { Name = "MTTA (min)", Data = new ChartData<double>(rows.Select(r => Math.Round(r.MttaMinutes ?? 0, 2)).ToArray()) },
                new ChartSeries<double> { Name = "MTTR (min)", Data = new ChartData<double>(rows.Select(r => Math.Round(r.MttrMinutes ?? 0, 2)).ToArray()) },
            ]
            : [];
    }

    private static string PeriodLabel(int days) => days == 1 ? "24 hours" : $"{days} days";

    private static string Utc(DateTime at) => TimeText.Utc(at);

    internal static string Minutes(double? minutes) => minutes switch
    {
        null => "—",
        < 1 => $"{minutes.Value * 60:0} s",
        < 120 => $"{minutes.Value:0.#} min",
        _ => $"{minutes.Value / 60:0.#} h",
    };

    internal static string Seconds(double? seconds) => seconds switch
    {
        null => "—",
        < 120 => $"{seconds.Value:0.#} s",
        _ => $"{seconds.Value / 60:0.#} min",
    };

    internal static string Percent(double? rate) => rate is { } r ? r.ToString("0%", CultureInfo.InvariantCulture) : "—";

    /// <summary>"0.1290 USD" per unit; several units (an account billed in more than one) are listed side by side.</summary>
    internal static string SpendText(IEnumerable<ChannelFigures> channels)
    {
        var perUnit = channels.Where(c => c.Spend != 0 || c.SpendUnit is not null)
            .GroupBy(c => c.SpendUnit ?? "").Select(g => PagingText.Price(g.Sum(c => c.Spend), g.Key.Length == 0 ? null : g.Key)).ToList();
        return perUnit.Count == 0 ? "no price reported yet" : string.Join(" + ", perUnit);
    }
}
