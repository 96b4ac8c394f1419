using Itoc360.Domain.Incidents;
using Itoc360.Domain.Priorities;
using Itoc360.Domain.Sources;
using Itoc360.Tests.TestSupport;
using Itoc360.Web.Features.Sources;

namespace Itoc360.Tests.Web.Components;

public class MappingPreviewTests
{
    public static TheoryData<string> FixturesWithPriority =>
        new(HttpFixture.All().Where(f => f.ExpectedString("priority") is not null).Select(f => f.Id));

    [Theory]
    [MemberData(nameof(FixturesWithPriority))]
    public void A_stored_fixture_previews_with_the_priority_the_default_mapping_gives(string id)
    {
        var fixture = HttpFixture.Get(id);
        var parser = SourceCatalog.Get(fixture.Kind);
        Assert.True(PriorityExtensions.TryParse(fixture.ExpectedString("priority"), out var expected));

        var preview = MappingPreview.Run(parser, PreviewDeliveries.Request(id), parser.DefaultMapping);

        var alert = Assert.Single(preview.Alerts);
        Assert.Null(preview.Problem);
        Assert.Equal(expected, alert.Priority);
        Assert.Equal(parser.DefaultMapping.Evaluate(alert.Fields), new PriorityEvaluation(alert.Priority, alert.RuleIndex));
    }

    [Fact]
    public void An_edited_rule_decides_before_the_saved_ones_and_is_reported_by_its_index()
    {
        var parser = SourceCatalog.Get("twilio-errors");
        var request = PreviewDeliveries.Request("twilio-errors/01-error-11200");
        var edited = parser.DefaultMapping with
        {
            Rules = [new PriorityRule("error_code", "11200", Priority.Critical), .. parser.DefaultMapping.Rules],
        };

        var before = Assert.Single(MappingPreview.Run(parser, request, parser.DefaultMapping).Alerts);
        var after = Assert.Single(MappingPreview.Run(parser, request, edited).Alerts);

        Assert.Equal((Priority.High, (int?)0), (before.Priority, before.RuleIndex));
        Assert.Equal((Priority.Critical, (int?)0), (after.Priority, after.RuleIndex));
        Assert.Equal("rule 1", MappingPreview.Describe(after.RuleIndex));
    }

    [Fact]
    public void When_no_rule_matches_the_default_is_used_and_named()
    {
        var parser = SourceCatalog.Get("twilio-alarms");
        var request = PreviewDeliveries.Request("twilio-alarms/03-alarm-one-hour-json");

        var alert = Assert.Single(MappingPreview.Run(parser, request, new PriorityMapping([new PriorityRule("TimePeriod", "FIVE_MINS", Priority.Critical)], Priority.Low)).Alerts);

        Assert.Equal(Priority.Low, alert.Priority);
        Assert.Null(alert.RuleIndex);
        Assert.Equal("default", MappingPreview.Describe(alert.RuleIndex));
    }

    [Fact]
    public void A_recovery_is_previewed_as_a_resolve()
    {
        var parser = SourceCatalog.Get("alibaba-cloudmonitor");

        var alert = Assert.Single(MappingPreview.Run(parser, PreviewDeliveries.Request("alibaba-cloudmonitor/03-threshold-ok-recovery"), parser.DefaultMapping).Alerts);

        Assert.Equal(AlertAction.Resolve, alert.Action);
    }

    [Fact]
    public void An_ignored_request_has_no_alerts_and_says_why()
    {
        var parser = SourceCatalog.Get("alibaba-cloudmonitor");

        var preview = MappingPreview.Run(parser, PreviewDeliveries.Request("alibaba-cloudmonitor/05-url-check"), parser.DefaultMapping);

        Assert.False(preview.HasAlerts);
        Assert.StartsWith("Ignored by the parser", preview.Problem);
    }

    [Fact]
    public void A_delivery_the_parser_cannot_read_has_no_alerts_and_says_why()
    {
        // A Twilio Alarms body stored on a Debugger source: the wrong parser for it.
        var parser = SourceCatalog.Get("twilio-errors");

        var preview = MappingPreview.Run(parser, PreviewDeliveries.Request("twilio-alarms/03-alarm-one-hour-json"), parser.DefaultMapping);

        Assert.False(preview.HasAlerts);
        Assert.StartsWith("Not readable by this parser", preview.Problem);
    }
}
