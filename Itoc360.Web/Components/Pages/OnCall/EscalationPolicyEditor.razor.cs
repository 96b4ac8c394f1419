using Itoc360.Web.Components.Controls;
using Itoc360.Web.Features.Paging;
using Itoc360.Web.Features.People;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace Itoc360.Web.Components.Pages.OnCall;

/// <summary>
/// Creates or edits an escalation policy: a name, ordered steps (targets, then a wait) and a repeat count.
/// The service validates; its errors (keyed <c>steps[1].delayMinutes</c>) show at the step they concern.
/// </summary>
public sealed partial class EscalationPolicyEditor
{
    /// <summary>The wait a new step starts with.</summary>
    public const int DefaultDelayMinutes = 5;

    private string _name = "";
    private int _repeat;
    private List<StepModel> _steps = [];
    private IReadOnlyList<TargetOption> _options = [];
    private IReadOnlyList<SourceRef>? _blockedBy;
    private FieldErrors _errors = FieldErrors.None;
    private bool _isAdmin;
    private bool _loaded;
    private bool _notFound;
    private bool _busy;
    private string _title = "New escalation policy";
    private List<BreadcrumbItem> _crumbs = [new("Escalation policies", "escalation-policies")];

    /// <summary>Null for a new policy.</summary>
    [Parameter]
    public Guid? Id { get; set; }

    [Inject]
    public required OnCallSetup OnCall { get; init; }

    [Inject]
    public required PeopleDirectory People { get; init; }

    [Inject]
    public required IAuthorizationService Authorization { get; init; }

    [Inject]
    public required IDialogService Dialogs { get; init; }

    [Inject]
    public required ISnackbar Snackbar { get; init; }

    [Inject]
    public required NavigationManager Navigation { get; init; }

    [CascadingParameter]
    public required Task<AuthenticationState> AuthenticationState { get; init; }

    private string RepeatHelp => _repeat == 0 ? "Runs the steps once." : $"After the last step, starts over {(_repeat == 1 ? "once" : $"{_repeat} times")}.";

    protected override async Task OnParametersSetAsync()
    {
        _isAdmin = await AdminGate.IsAdminAsync(AuthenticationState, Authorization);
        _errors = FieldErrors.None;
        _blockedBy = null;
        var users = await People.ListAsync(CancellationToken.None);
        var schedules = await OnCall.ListSchedulesAsync(CancellationToken.None);
        _options =
        [
            .. users.Select(u => new TargetOption($"u:{u.Id}", string.IsNullOrWhiteSpace(u.Name) ? u.Email : u.Name, false)),
            .. schedules.Select(s => new TargetOption($"s:{s.Id}", s.Name, true)),
        ];

        if (Id is not { } id)
        {
            _title = "New escalation policy";
            _name = "";
            _repeat = 0;
            _steps = [new StepModel()];
            _crumbs = [new("Escalation policies", "escalation-policies"), new("New", null, disabled: true)];
            _loaded = true;
            return;
        }

        var policy = await OnCall.GetPolicyAsync(id, CancellationToken.None);
        _notFound = policy is null;
        if (policy is not null)
        {
            Show(policy);
        }

        _loaded = true;
    }

    private void Show(PolicyDto policy)
    {
        _title = policy.Name;
        _name = policy.Name;
        _repeat = policy.Repeat;
        _steps = policy.Steps.Select(s => new StepModel
        {
            DelayMinutes = s.DelayMinutes,
            Targets = (s.Targets ?? []).OfType<TargetDto>().Select(t => new TargetModel(t.UserId, t.ScheduleId, t.Name)).ToList(),
        }).ToList();
        _crumbs = [new("Escalation policies", "escalation-policies"), new(policy.Name, null, disabled: true)];
    }

    private string NameOf(TargetModel target) =>
        _options.FirstOrDefault(o => o.Token == target.Token)?.Name ?? target.Name ?? target.UserId ?? target.ScheduleId?.ToString() ?? "?";

    /// <summary>The keys a field of the editor shows: name, repeat, steps, and each step's own, delay and targets.</summary>
    private static bool Shown(string key) =>
        key is "name" or "repeat" or "steps" || StepKey().IsMatch(key);

    [System.Text.RegularExpressions.GeneratedRegex(@"^steps\[\d+\](\.delayMinutes|\.targets.*)?$")]
    private static partial System.Text.RegularExpressions.Regex StepKey();

    private void AddTarget(StepModel step, string? token)
    {
        if (token is null || step.Targets.Any(t => t.Token == token))
        {
            return;
        }

        step.Targets.Add(token.StartsWith("s:", StringComparison.Ordinal)
            ? new TargetModel(null, Guid.Parse(token[2..]), null)
            : new TargetModel(token[2..], null, null));
    }

    private void AddStep() => _steps.Add(new StepModel());

    private void Move(int index, int by)
    {
        var target = index + by;
        if (target >= 0 && target < _steps.Count)
        {
            (_steps[index], _steps[target]) = (_steps[target], _steps[index]);
        }
    }

    private PolicyRequest Request() => new(_name.Trim(), _repeat,
        _steps.Select(s => new StepDto(s.DelayMinutes, s.Targets.Select(t => new TargetDto(t.UserId, t.ScheduleId)).ToArray())).ToArray());

    private async Task SaveAsync()
    {
        if (await AdminGate.ActorAsync(AuthenticationState, Authorization, Snackbar, "escalation policies") is not { } actor)
        {
            return;
        }

        _busy = true;
        try
        {
            var (saved, invalid) = await OnCall.SavePolicyAsync(Id, Request(), actor, CancellationToken.None);
            if (saved is null)
            {
                _errors = new FieldErrors(invalid?.Errors ?? new Dictionary<string, string[]> { [""] = ["The policy no longer exists."] });
                return;
            }

            _errors = FieldErrors.None;
            Snackbar.Add($"Escalation policy '{saved.Name}' saved.", Severity.Success);
            if (Id is null)
            {
                Navigation.NavigateTo($"escalation-policies/{saved.Id}", replace: true);
                return;
            }

            Show(saved);
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task DeleteAsync()
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync("Delete escalation policy?",
            $"'{_title}' is deleted. Incidents already escalating through it keep their current pages.",
            yesText: "Delete", cancelText: "Cancel");
        if (confirmed != true || Id is not { } id
            || await AdminGate.ActorAsync(AuthenticationState, Authorization, Snackbar, "escalation policies") is not { } actor)
        {
            return;
        }

        var (found, usedBy) = await OnCall.DeletePolicyAsync(id, actor, CancellationToken.None);
        if (usedBy.Count > 0)
        {
            _blockedBy = usedBy;
            return;
        }

        Snackbar.Add(found ? $"Escalation policy '{_title}' deleted." : "That policy was already deleted.", Severity.Success);
        Navigation.NavigateTo("escalation-policies");
    }

    private sealed class StepModel
    {
        public Guid Key { get; } = Guid.NewGuid();

        public int DelayMinutes { get; set; } = DefaultDelayMinutes;

        public List<TargetModel> Targets { get; init; } = [];
    }

    private sealed record TargetModel(string? UserId, Guid? ScheduleId, string? Name)
    {
        public string Token => ScheduleId is { } s ? $"s:{s}" : $"u:{UserId}";
    }

    private sealed record TargetOption(string Token, string Name, bool IsSchedule);
}
