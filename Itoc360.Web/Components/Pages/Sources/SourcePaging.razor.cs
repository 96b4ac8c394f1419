using Itoc360.Domain;
using Itoc360.Web.Components.Controls;
using Itoc360.Web.Features.Paging;
using Itoc360.Web.Features.Sources;
using Microsoft.AspNetCore.Components;

namespace Itoc360.Web.Components.Pages.Sources;

/// <summary>
/// A source's paging: the default escalation policy and the ordered routing rules, edited as a form and
/// previewed (unsaved) against a stored delivery through <see cref="OnCallSetup.PreviewRoutingAsync"/>.
/// Saving goes through the page, which checks the Admin policy first.
/// </summary>
public sealed partial class SourcePaging
{
    private static readonly (string Token, string Text)[] Operators =
        [("equals", "equals"), ("contains", "contains"), ("regex", "matches regex"), ("gt", "greater than"), ("lt", "less than")];

    private IReadOnlyList<PolicyDto> _policies = [];
    private Guid _default;
    private List<RuleModel> _rules = [];
    private IReadOnlyList<RoutingRuleDto> _saved = [];
    private bool _dirty;
    private bool _saving;
    private string? _defaultError;
    private FieldErrors _errors = FieldErrors.None;
    private Guid? _pickedId;
    private IReadOnlyList<RoutingPreview>? _preview;
    private string? _previewProblem;
    private (Guid, Guid?)? _loaded;

    [Parameter, EditorRequired]
    public Guid SourceId { get; set; }

    [Parameter]
    public Guid? DefaultPolicyId { get; set; }

    [Parameter]
    public bool ReadOnly { get; set; }

    /// <summary>Recent stored deliveries to preview against.</summary>
    [Parameter]
    public IReadOnlyList<DeliveryRow> Deliveries { get; set; } = [];

    /// <summary>Saves the default policy (null: nobody); an error text, or null when saved.</summary>
    [Parameter]
    public Func<Guid?, Task<string?>>? SaveDefault { get; set; }

    /// <summary>Saves the routing rules; the service's errors, or null when saved.</summary>
    [Parameter]
    public Func<RoutingRequest, Task<Invalid?>>? SaveRouting { get; set; }

    [Inject]
    public required OnCallSetup OnCall { get; init; }

    /// <summary>The rule the (first alert of the) preview matched, to mark it in the form.</summary>
    private int? MatchedIndex => _preview is [var first, ..] ? first.MatchedRuleIndex : null;

    protected override async Task OnParametersSetAsync()
    {
        // Reload when the source or its saved default changes (after a save), not on every render of the page.
        if (_loaded == (SourceId, DefaultPolicyId))
        {
            return;
        }

        _loaded = (SourceId, DefaultPolicyId);
        _policies = await OnCall.ListPoliciesAsync(CancellationToken.None);
        _default = DefaultPolicyId ?? Guid.Empty;
        _defaultError = null;
        if (!_dirty)
        {
            _saved = (await OnCall.GetRoutingAsync(new SourceId(SourceId), CancellationToken.None))?.Rules ?? [];
            Revert();
        }

        await RefreshPreviewAsync();
    }

    private string PolicyName(Guid? id) =>
        id is null ? "Nobody (no paging)" : _policies.FirstOrDefault(p => p.Id == id)?.Name ?? "a deleted policy";

    private static string Sentence(string summary) => summary.Length == 0 ? summary : char.ToUpperInvariant(summary[0]) + summary[1..] + ".";

    private void Revert()
    {
        _rules = _saved.Select(r => new RuleModel
        {
            Match = r.Match ?? "all",
            PolicyId = r.EscalationPolicyId ?? Guid.Empty,
            Conditions = (r.Conditions ?? []).OfType<ConditionDto>()
                .Select(c => new ConditionModel { Field = c.Field ?? "", Op = c.Op ?? "equals", Value = c.Value ?? "" }).ToList(),
        }).ToList();
        _dirty = false;
        _errors = FieldErrors.None;
    }

    private async Task RevertAsync()
    {
        Revert();
        await RefreshPreviewAsync();
    }

    private RoutingRequest Request() => new(_rules.Select(r => new RoutingRuleDto(r.Match,
        r.Conditions.Select(c => new ConditionDto(c.Field.Trim(), c.Op, c.Value)).ToArray(),
        r.PolicyId == Guid.Empty ? null : r.PolicyId)).ToArray());

    private async Task ChangeAsync(Action change)
    {
        change();
        _dirty = true;
        await RefreshPreviewAsync();
    }

    private Task AddRuleAsync() => ChangeAsync(() => _rules.Add(new RuleModel { Conditions = [new ConditionModel()] }));

    private Task MoveAsync(int index, int by) => ChangeAsync(() =>
    {
        var target = index + by;
        if (target >= 0 && target < _rules.Count)
        {
            (_rules[index], _rules[target]) = (_rules[target], _rules[index]);
        }
    });

    private async Task PickAsync(Guid? id)
    {
        _pickedId = id;
        await RefreshPreviewAsync();
    }

    private async Task RefreshPreviewAsync()
    {
        if (_pickedId is not { } id)
        {
            _preview = null;
            _previewProblem = null;
            return;
        }

        // Saved rules for readers; the form's rules (unsaved) for admins editing them.
        var (alerts, problem) = await OnCall.PreviewRoutingAsync(new SourceId(SourceId), new DeliveryId(id), ReadOnly ? null : Request(), CancellationToken.None);
        _preview = alerts;
        _previewProblem = problem is null ? null : alerts is null ? $"No preview: {problem}" : problem;
    }

    private async Task SaveDefaultAsync()
    {
        if (SaveDefault is null || ReadOnly)
        {
            return;
        }

        _saving = true;
        try
        {
            _defaultError = await SaveDefault(_default == Guid.Empty ? null : _default);
        }
        finally
        {
            _saving = false;
        }
    }

    private async Task SaveRoutingAsync()
    {
        if (SaveRouting is null || ReadOnly)
        {
            return;
        }

        _saving = true;
        try
        {
            var request = Request();
            var invalid = await SaveRouting(request);
            if (invalid is not null)
            {
                _errors = new FieldErrors(invalid.Errors);
                return;
            }

            _saved = (await OnCall.GetRoutingAsync(new SourceId(SourceId), CancellationToken.None))?.Rules ?? request.Rules!.OfType<RoutingRuleDto>().ToList();
            Revert();
            await RefreshPreviewAsync();
        }
        finally
        {
            _saving = false;
        }
    }

    private sealed class RuleModel
    {
        public Guid Key { get; } = Guid.NewGuid();

        public string Match { get; set; } = "all";

        public List<ConditionModel> Conditions { get; init; } = [];

        /// <summary><see cref="Guid.Empty"/>: page nobody.</summary>
        public Guid PolicyId { get; set; }
    }

    private sealed class ConditionModel
    {
        public Guid Key { get; } = Guid.NewGuid();

        public string Field { get; set; } = "";

        public string Op { get; set; } = "equals";

        public string Value { get; set; } = "";
    }
}
