using Bunit;
using Itoc360.Domain;
using Itoc360.Domain.Incidents;
using Itoc360.Domain.Priorities;
using Itoc360.Domain.Sources;
using Itoc360.Web.Components.Controls;
using Itoc360.Web.Data;
using Itoc360.Web.Features.Sources;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace Itoc360.Tests.Web.Components;

public sealed class MappingEditorTests : IAsyncLifetime
{
    private readonly BunitContext _bunit = new();

    private static readonly DateTime Received = new(2026, 11, 20, 8, 0, 0, DateTimeKind.Utc);

    public MappingEditorTests()
    {
        _bunit.Services.AddMudServices();
        _bunit.JSInterop.Mode = JSRuntimeMode.Loose;
        _bunit.Render<MudPopoverProvider>();
    }

    public Task InitializeAsync() => Task.CompletedTask;

    // MudBlazor's services are only async-disposable.
    public async Task DisposeAsync() => await _bunit.DisposeAsync();

    private IRenderedComponent<MappingEditor> RenderEditor(string kind, IReadOnlyDictionary<Guid, string> deliveries,
        bool readOnly = false, Func<PriorityMapping, Task<string?>>? save = null)
    {
        var parser = SourceCatalog.Get(kind);
        var rows = deliveries.Select(d => new DeliveryRow(d.Key, Received, "POST", DeliveryOutcomes.Accepted, 202, null, null, false)).ToArray();
        return _bunit.Render<MappingEditor>(ps => ps
            .Add(p => p.Parser, parser)
            .Add(p => p.Mapping, PriorityMappingDto.From(parser.DefaultMapping))
            .Add(p => p.ReadOnly, readOnly)
            .Add(p => p.Deliveries, rows)
            .Add(p => p.LoadRequest, id => Task.FromResult<InboundRequest?>(
                deliveries.TryGetValue(id, out var fixture) ? PreviewDeliveries.Request(fixture) : null))
            .Add(p => p.Save, save));
    }

    private static async Task PickAsync(IRenderedComponent<MappingEditor> cut, Guid id)
    {
        var picker = cut.FindComponents<MudSelect<Guid?>>().Single();
        await cut.InvokeAsync(() => picker.Instance.ValueChanged.InvokeAsync(id));
    }

    private static (string Priority, string Match) PreviewOf(IRenderedComponent<MappingEditor> cut)
    {
        var row = cut.Find("[data-testid=preview-alert]");
        return (row.QuerySelector(".priority-chip")!.GetAttribute("data-priority")!, row.QuerySelector("[data-testid=preview-match]")!.TextContent.Trim());
    }

    [Fact]
    public async Task Editing_a_rule_changes_the_preview_of_the_picked_delivery_before_saving()
    {
        var id = Guid.NewGuid();
        var saved = new List<PriorityMapping>();
        var cut = RenderEditor("twilio-alarms", new Dictionary<Guid, string> { [id] = "twilio-alarms/03-alarm-one-hour-json" },
            save: mapping => { saved.Add(mapping); return Task.FromResult<string?>(null); });

        await PickAsync(cut, id);
        Assert.Equal(("Medium", "rule 3"), PreviewOf(cut));

        // Rule 1 was TimePeriod = FIVE_MINS → Critical; now it catches this one-hour alarm.
        cut.Find("input[data-testid=rule-value-0]").Input("one_hour");

        cut.WaitForAssertion(() => Assert.Equal(("Critical", "rule 1"), PreviewOf(cut)));
        Assert.Empty(saved);
        Assert.Contains("Unsaved changes", cut.Markup);
    }

    [Fact]
    public async Task Removing_the_matching_rule_falls_back_to_the_default_and_save_sends_the_edited_mapping()
    {
        var id = Guid.NewGuid();
        var saved = new List<PriorityMapping>();
        var cut = RenderEditor("twilio-errors", new Dictionary<Guid, string> { [id] = "twilio-errors/01-error-11200" },
            save: mapping => { saved.Add(mapping); return Task.FromResult<string?>(null); });
        await PickAsync(cut, id);
        Assert.Equal(("High", "rule 1"), PreviewOf(cut));

        cut.Find("button[aria-label='Remove rule 1']").Click();

        cut.WaitForAssertion(() => Assert.Equal(("Medium", "default"), PreviewOf(cut)));
        cut.Find("[data-testid=save-mapping]").Click();
        var mapping = Assert.Single(saved);
        Assert.Equal(3, mapping.Rules.Count);
        Assert.DoesNotContain(mapping.Rules, r => r.Value == "ERROR");
    }

    [Fact]
    public async Task Moving_a_rule_up_changes_which_rule_matches_first()
    {
        var id = Guid.NewGuid();
        var parser = SourceCatalog.Get("twilio-errors");
        var cut = _bunit.Render<MappingEditor>(ps => ps
            .Add(p => p.Parser, parser)
            .Add(p => p.Mapping, new PriorityMappingDto(
                [new PriorityRuleDto("Level", "ERROR", Priority.High), new PriorityRuleDto("error_code", "11200", Priority.Low)], Priority.Medium))
            .Add(p => p.Deliveries, [new DeliveryRow(id, Received, "POST", DeliveryOutcomes.Accepted, 202, null, null, false)])
            .Add(p => p.LoadRequest, _ => Task.FromResult<InboundRequest?>(PreviewDeliveries.Request("twilio-errors/01-error-11200"))));
        await PickAsync(cut, id);
        Assert.Equal(("High", "rule 1"), PreviewOf(cut));

        cut.Find("button[aria-label='Move rule 2 up']").Click();

        cut.WaitForAssertion(() => Assert.Equal(("Low", "rule 1"), PreviewOf(cut)));
    }

    [Fact]
    public async Task Read_only_shows_the_rules_and_the_preview_without_any_editing_control()
    {
        var id = Guid.NewGuid();
        var cut = RenderEditor("twilio-errors", new Dictionary<Guid, string> { [id] = "twilio-errors/02-warning-30008" }, readOnly: true);

        Assert.Empty(cut.FindAll("[data-testid=save-mapping]"));
        Assert.Empty(cut.FindAll("[data-testid=add-rule]"));
        Assert.Empty(cut.FindAll("[data-testid=mapping-rules] input"));
        Assert.Equal(4, cut.FindAll("[data-testid=rule-row]").Count);

        await PickAsync(cut, id);
        Assert.Equal(("Medium", "rule 2"), PreviewOf(cut));
    }
}
