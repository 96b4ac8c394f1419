using Itoc360.Web.Features.Sources;
using Microsoft.AspNetCore.Components;

namespace Itoc360.Web.Components.Pages.Sources;

/// <summary>
/// Edits a source's workflow settings. Off is a switch in the form and 0 on the wire; an empty retention
/// means the configured default, which the form shows as its number of days.
/// </summary>
public sealed partial class SourceWorkflows
{
    /// <summary>What the form suggests for auto-resolve on sources that never send recoveries.</summary>
    public const int SuggestedHours = 24;

    private bool _ackOn;
    private int _ackHours;
    private bool _resolveOn;
    private int _resolveHours;
    private int _retentionDays;
    private bool _dirty;
    private bool _saving;
    private string? _error;
    private (int?, int?, int?, int)? _loaded;

    [Parameter]
    public int? AcknowledgementTimeoutHours { get; set; }

    [Parameter]
    public int? AutoResolveHours { get; set; }

    /// <summary>Null: the configured default; 0: keep forever.</summary>
    [Parameter]
    public int? DeliveryRetentionDays { get; set; }

    [Parameter]
    public int DefaultRetentionDays { get; set; } = 30;

    /// <summary>False for kinds whose vendor never sends a recovery (the form then suggests auto-resolve).</summary>
    [Parameter]
    public bool SendsRecoveries { get; set; } = true;

    [Parameter]
    public string VendorName { get; set; } = "This vendor";

    [Parameter]
    public bool ReadOnly { get; set; }

    /// <summary>Saves the settings (0 for off / keep forever); returns an error text, or null when saved.</summary>
    [Parameter]
    public Func<PatchSourceRequest, Task<string?>>? Save { get; set; }

    private string? AckProblem => _ackOn && _ackHours is < 1 or > SourceAdmin.MaxWorkflowHours ? $"From 1 to {SourceAdmin.MaxWorkflowHours} hours." : null;

    private string? ResolveProblem => _resolveOn && _resolveHours is < 1 or > SourceAdmin.MaxWorkflowHours ? $"From 1 to {SourceAdmin.MaxWorkflowHours} hours." : null;

    private string? RetentionProblem => _retentionDays is < 0 or > SourceAdmin.MaxRetentionDays ? $"From 0 (forever) to {SourceAdmin.MaxRetentionDays} days." : null;

    private bool HasProblem => AckProblem is not null || ResolveProblem is not null || RetentionProblem is not null;

    protected override void OnParametersSet()
    {
        // Reset only when the saved values change (after a save, or another admin's change), not on every render of the page.
        var loaded = (AcknowledgementTimeoutHours, AutoResolveHours, DeliveryRetentionDays, DefaultRetentionDays);
        if (_loaded != loaded)
        {
            _loaded = loaded;
            Revert();
        }
    }

    private void Revert()
    {
        _ackOn = AcknowledgementTimeoutHours is > 0;
        _ackHours = AcknowledgementTimeoutHours is > 0 ? AcknowledgementTimeoutHours.Value : 4;
        _resolveOn = AutoResolveHours is > 0;
        _resolveHours = AutoResolveHours is > 0 ? AutoResolveHours.Value : SuggestedHours;
        _retentionDays = DeliveryRetentionDays ?? DefaultRetentionDays;
        _dirty = false;
        _error = null;
    }

    private void SetAckOn(bool on) => Change(() => _ackOn = on);

    private void SetAckHours(int hours) => Change(() => _ackHours = hours);

    private void SetResolveOn(bool on) => Change(() => _resolveOn = on);

    private void SetResolveHours(int hours) => Change(() => _resolveHours = hours);

    private void SetRetentionDays(int days) => Change(() => _retentionDays = days);

    private void UseSuggestion() => Change(() =>
    {
        _resolveOn = true;
        _resolveHours = SuggestedHours;
    });

    private void Change(Action change)
    {
        change();
        _dirty = true;
        _error = null;
    }

    /// <summary>The form as a patch. Retention equal to the default while none was set stays unset, so a later default change applies.</summary>
    private PatchSourceRequest Edited() => new(
        AcknowledgementTimeoutHours: _ackOn ? _ackHours : 0,
        AutoResolveHours: _resolveOn ? _resolveHours : 0,
        DeliveryRetentionDays: DeliveryRetentionDays is null && _retentionDays == DefaultRetentionDays ? null : _retentionDays);

    private async Task SaveAsync()
    {
        if (ReadOnly || Save is null || HasProblem)
        {
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
}
