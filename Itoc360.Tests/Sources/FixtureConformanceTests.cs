using Itoc360.Domain.Incidents;
using Itoc360.Domain.Sources;
using Itoc360.Tests.TestSupport;

namespace Itoc360.Tests.Sources;

/// <summary>Every sample request in <c>shared/fixtures</c> does what its <c>.expected.json</c> says.</summary>
public class FixtureConformanceTests
{
    public static TheoryData<string> Fixtures => new(HttpFixture.All().Select(f => f.Id));

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Fixture_parses_as_expected(string id)
    {
        var fixture = HttpFixture.Get(id);
        Assert.True(fixture.HasExpected, $"{id} has no .expected.json");
        Assert.True(SourceCatalog.TryGet(fixture.Kind, out var parser), $"No parser for kind '{fixture.Kind}'.");

        var result = parser.Parse(fixture.ToRequest());

        var action = fixture.ExpectedString("action");
        if (action == "none")
        {
            Assert.IsType<ParseResult.Ignored>(result);
            return;
        }

        var alert = Requests.SingleAlert(result);
        Assert.Equal(action switch
        {
            "open" => AlertAction.Trigger,
            "resolve" => AlertAction.Resolve,
            _ => throw new InvalidDataException($"{id}: unknown action '{action}'."),
        }, alert.Action);

        if (fixture.ExpectedString("priority") is { } priority)
        {
            Assert.True(PriorityExtensions.TryParse(priority, out var expected), $"{id}: unknown priority '{priority}'.");
            Assert.Equal(expected, parser.DefaultMapping.Evaluate(alert.Fields).Priority);
        }

        if (fixture.ExpectedString("dedup_key") is { } dedupKey)
        {
            Assert.Equal(dedupKey, alert.DedupKey);
        }

        if (fixture.ExpectedString("error_code") is { } errorCode)
        {
            Assert.Equal(errorCode, alert.Fields["error_code"]);
        }

        Assert.False(string.IsNullOrWhiteSpace(alert.DedupKey));
        Assert.False(string.IsNullOrWhiteSpace(alert.Title));
        Assert.True(alert.Title.Length <= Incident.MaxTitleLength);
        Assert.NotNull(alert.OccurredAt);
        Assert.Equal(DateTimeKind.Utc, alert.OccurredAt.Value.Kind);
    }

    [Fact]
    public void Every_fixture_folder_has_a_parser()
    {
        var folders = HttpFixture.KindFolders().ToList();
        Assert.NotEmpty(folders);
        Assert.All(folders, kind => Assert.True(SourceCatalog.TryGet(kind, out _), $"Fixture folder '{kind}' has no parser."));
    }

    [Fact]
    public void Every_parser_has_at_least_one_fixture()
    {
        Assert.NotEmpty(SourceCatalog.All);
        Assert.All(SourceCatalog.Kinds, kind =>
        {
            var folder = Path.Combine(HttpFixture.FixturesRoot, kind);
            Assert.True(Directory.Exists(folder), $"Parser '{kind}' has no fixture folder.");
            Assert.NotEmpty(Directory.GetFiles(folder, "*.http"));
        });
    }

    /// <summary>Later fixtures whose notes say they join (or resolve) an earlier incident share its dedup key.</summary>
    [Theory]
    [InlineData("twilio-alarms", "01-alarm-five-mins", "02-alarm-five-mins-fires-again")]
    [InlineData("alibaba-cloudmonitor", "01-threshold-warn-alert", "02-threshold-critical-alert")]
    [InlineData("alibaba-cloudmonitor", "01-threshold-warn-alert", "03-threshold-ok-recovery")]
    public void Follow_up_fixture_joins_the_earlier_incident(string kind, string first, string later)
    {
        var parser = SourceCatalog.Get(kind);
        var a = Requests.SingleAlert(parser.Parse(HttpFixture.Get($"{kind}/{first}").ToRequest()));
        var b = Requests.SingleAlert(parser.Parse(HttpFixture.Get($"{kind}/{later}").ToRequest()));
        Assert.Equal(a.DedupKey, b.DedupKey);
        Assert.NotEqual(a.EventId, b.EventId);
    }

    /// <summary>No two different sample deliveries look like redeliveries of one another.</summary>
    [Fact]
    public void Fixtures_in_a_folder_have_distinct_event_ids()
    {
        foreach (var kind in HttpFixture.KindFolders())
        {
            var parser = SourceCatalog.Get(kind);
            var eventIds = HttpFixture.InFolder(kind)
                .Select(f => parser.Parse(f.ToRequest()))
                .OfType<ParseResult.Parsed>()
                .SelectMany(p => p.Alerts)
                .Select(a => a.EventId)
                .OfType<string>()
                .ToList();
            Assert.Equal(eventIds.Count, eventIds.Distinct().Count());
        }
    }
}
