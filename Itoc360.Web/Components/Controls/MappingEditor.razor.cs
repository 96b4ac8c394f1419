using Itoc360.Domain.Incidents;
using Itoc360.Domain.Priorities;
using Itoc360.Domain.Sources;
using Itoc360.Web.Features.Sources;
using Microsoft.AspNetCore.Components;

namespace Itoc360.Web.Components.Controls;

/// <summary>
/// Edits a priority mapping (or shows it read-only) and previews the edited, unsaved mapping over a
/// stored delivery through <see cref="MappingPreview"/>.
/// </summary>
public sealed partial class MappingEditor
{
    private static readonly Priority[] Priorities = Enum.GetValues<Priority>();

    private List<RuleRow> _rules = [];
    private Priority _default;
    private PriorityMappingDto? _loaded;
    private bool _dirty;
    private bool _saving;
    private string? _error;
    private Guid? _pickedId;
    private InboundRequest? _picked;
    private string? _loadProblem;

    /// <summary>The parser of the source's kind: its fields feed the picker and it reads the previewed delivery.</summary>
    [Parameter, EditorRequired]
    public required ISourceParser Parser { get; set; }

    /// <summary>The saved mapping. A new value (after a save elsewhere) resets the editor.</summary>
    [Parameter, EditorRequired]
    public required PriorityMappingDto Mapping { get; set; }

    [Parameter]
    public bool ReadOnly { get; set; }

    /// <summary>Recent deliveries to pick from for the preview.</summary>
    [Parameter]
    public IReadOnlyList<DeliveryRow> Deliveries { get; set; } = [];

    /// <summary>Loads a delivery's stored request (null when it is gone).</summary>
    [Parameter, EditorRequired]
    public required Func<Guid, Task<InboundRequest?>> LoadRequest { get; set; }

    /// <summary>Saves the mapping; returns an error text, or null when saved.</summary>
    [Parameter]
    public Func<PriorityMapping, Task<string?>>? Save { get; set; }

    /// <summary>The preview of the picked delivery under the mapping as it stands in the editor.</summary>
    private PreviewResult? Preview => _picked is null ? null : MappingPreview.Run(Parser, _picked, Edited());

    protected override void OnParametersSet()
    {
        if (!ReferenceEquals(_loaded, Mapping))
        {
            _loaded = Mapping;
            Reset(Mapping);
        }
    }

    private void Reset(PriorityMappingDto mapping)
    {
        _rules = mapping.Rules.Select(r => new RuleRow(r.Field, r.EqualsValue, r.Priority)).ToList();
        _default = mapping.Default;
        _dirty = false;
        _error = null;
    }

    /// <summary>The mapping as edited; every row is kept so that rule numbers match what the editor shows.</summary>
    private PriorityMapping Edited() =>
        new(_rules.Select(r => new PriorityRule((r.Field ?? "").Trim(), (r.Value ?? "").Trim(), r.Priority)).ToArray(), _default);

    private Task<IEnumerable<string>> SearchFieldsAsync(string? text, CancellationToken _)
    {
        var fields = string.IsNullOrWhiteSpace(text)
            ? Parser.Fields
            : Parser.Fields.Where(f => f.Contains(text.Trim(), StringComparison.OrdinalIgnoreCase));
        return Task.FromResult<IEnumerable<string>>(fields.ToArray());
    }

    private void SetField(RuleRow rule, string? field) => Change(() => rule.Field = field ?? "");

    private void SetValue(RuleRow rule, string? value) => Change(() => rule.Value = value ?? "");

    private void SetPriority(RuleRow rule, Priority priority) => Change(() => rule.Priority = priority);

    private void SetDefault(Priority priority) => Change(() => _default = priority);

    private void Add() => Change(() => _rules.Add(new RuleRow(Parser.Fields.FirstOrDefault() ?? "", "", Priority.Medium)));

    private void Remove(int index) => Change(() => _rules.RemoveAt(index));

    private void Move(int index, int by)
    {
        var target = index + by;
        if (target < 0 || target >= _rules.Count)
        {
            return;
        }

        Change(() => (_rules[index], _rules[target]) = (_rules[target], _rules[index]));
    }

    private void Change(Action change)
    {
        if (ReadOnly)
        {
            return;
        }

        change();
        _dirty = true;
        _error = null;
    }

    private void Revert() => Reset(Mapping);

    private async Task PickAsync(Guid? id)
    {
        _pickedId = id;
        _picked = null;
        _loadProblem = null;
        if (id is { } deliveryId)
        {
            _picked = await LoadRequest(deliveryId);
            if (_picked is null)
            {
                _loadProblem = "That delivery is no longer stored.";
            }
        }
    }

    private async Task SaveAsync()
    {
        if (ReadOnly || Save is null)
        {
            return;
        }

        var blank = _rules.FindIndex(r => string.IsNullOrWhiteSpace(r.Field));
        if (blank >= 0)
        {
            _error = $"Rule {blank + 1} needs a field.";
            return;
        }

        _saving = true;
        try
        {
            _error = await Save(Edited());
            _dirty = _error is not null;
        }
        finally
        {
            _saving = false;
        }
    }

    /// <summary>One editable rule; the key keeps row components in place while rules move.</summary>
    private sealed class RuleRow(string field, string value, Priority priority)
    {
        public Guid Key { get; } = Guid.NewGuid();
        public string Field { get; set; } = field;
        public string Value { get; set; } = value;
        public Priority Priority { get; set; } = priority;
    }
}
