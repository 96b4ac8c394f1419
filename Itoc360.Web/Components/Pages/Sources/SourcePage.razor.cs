using Itoc360.Domain;
using Itoc360.Domain.Priorities;
using Itoc360.Domain.Sources;
using Itoc360.Web.Features.Auth;
using Itoc360.Web.Features.Paging;
using Itoc360.Web.Features.Sources;
using Itoc360.Web.Features.Webhooks;
using Itoc360.Web.Components.Controls;
using Itoc360.Web.Hosting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.JSInterop;
using MudBlazor;

namespace Itoc360.Web.Components.Pages.Sources;

public sealed partial class SourcePage
{
    private const int PreviewChoices = 20;

    private SourceDetails? _source;
    private ISourceParser? _parser;
    private bool _notFound;
    private bool _isAdmin;
    private bool _canReplay;
    private bool _busy;
    private string? _webhookUrl;
    private string _newName = "";
    private DateTime? _rotatedUntil;
    private IReadOnlyList<DeliveryRow> _recent = [];
    private List<BreadcrumbItem> _crumbs = [new("Sources", "sources")];

    [Parameter]
    public Guid Id { get; set; }

    [Inject]
    public required SourceQueries Queries { get; init; }

    [Inject]
    public required SourceAdmin Admin { get; init; }

    [Inject]
    public required OnCallSetup OnCall { get; init; }

    [Inject]
    public required PublicUrls Urls { get; init; }

    [Inject]
    public required NavigationManager Navigation { get; init; }

    [Inject]
    public required IAuthorizationService Authorization { get; init; }

    [Inject]
    public required IDialogService Dialogs { get; init; }

    [Inject]
    public required ISnackbar Snackbar { get; init; }

    [Inject]
    public required IJSRuntime JS { get; init; }

    [Inject]
    public required TimeProvider Time { get; init; }

    [Inject]
    public required Microsoft.Extensions.Options.IOptions<Itoc360Options> Options { get; init; }

    [CascadingParameter]
    public required Task<AuthenticationState> AuthenticationState { get; init; }

    private DateTime Now => Time.GetUtcNow().UtcDateTime;

    private int DefaultRetentionDays => Options.Value.Jobs.DeliveryRetentionDays;

    /// <summary>The vendor's short name ("Twilio" for "Twilio Debugger (errors and warnings)") for the workflow hints.</summary>
    private string VendorName => _parser?.DisplayName.Split(' ')[0] ?? "This vendor";

    private SourceId SourceId => new(Id);

    private string BaseUrl => Urls.BaseUrl(Navigation.BaseUri);

    protected override async Task OnParametersSetAsync()
    {
        var user = (await AuthenticationState).User;
        _isAdmin = (await Authorization.AuthorizeAsync(user, Policies.Admin)).Succeeded;
        _canReplay = (await Authorization.AuthorizeAsync(user, Policies.Responder)).Succeeded;
        _rotatedUntil = null;
        await LoadAsync();
        await RefreshRecentAsync();
    }

    private async Task LoadAsync()
    {
        _source = await Queries.GetAsync(SourceId, CancellationToken.None);
        _notFound = _source is null;
        if (_source is null)
        {
            return;
        }

        _parser = SourceCatalog.TryGet(_source.Kind, out var parser) ? parser : null;
        _newName = _source.Name;
        _crumbs = [new("Sources", "sources"), new(_source.Name, null, disabled: true)];

        // The URL carries the token: it is only ever read for admins, so no other role's page holds it.
        _webhookUrl = _isAdmin ? (await Admin.GetAsync(SourceId, BaseUrl, CancellationToken.None))?.WebhookUrl : null;
    }

    private async Task RefreshRecentAsync() =>
        _recent = (await Queries.DeliveriesAsync(SourceId, null, 0, PreviewChoices, CancellationToken.None)).Items;

    private async Task<InboundRequest?> LoadRequestAsync(Guid deliveryId) =>
        await Queries.GetDeliveryAsync(SourceId, new DeliveryId(deliveryId), CancellationToken.None) is { } delivery
            ? AlertIngestion.StoredRequest(delivery)
            : null;

    /// <summary>Checks the role on the server for every change and returns the actor name for the audit.</summary>
    private Task<string?> AdminActorAsync() => AdminGate.ActorAsync(AuthenticationState, Authorization, Snackbar, "sources");

    private async Task<string?> SaveMappingAsync(PriorityMapping mapping)
    {
        if (await AdminActorAsync() is not { } actor)
        {
            return "Only admins can change the mapping.";
        }

        if (await Admin.SetMappingAsync(SourceId, mapping, actor, BaseUrl, CancellationToken.None) is null)
        {
            return "The source no longer exists.";
        }

        Snackbar.Add("Priority mapping saved; it applies to new alerts.", Severity.Success);
        await LoadAsync();
        return null;
    }

    private async Task<string?> SaveWorkflowsAsync(PatchSourceRequest patch)
    {
        if (await AdminActorAsync() is not { } actor)
        {
            return "Only admins can change the workflow settings.";
        }

        // The same checks as the API; the form keeps within them, so this only guards against a stale form.
        if (SourceAdmin.ValidateWorkflow(patch) is { } invalid)
        {
            return invalid.Message;
        }

        if (await Admin.PatchAsync(SourceId, patch, actor, BaseUrl, CancellationToken.None) is null)
        {
            return "The source no longer exists.";
        }

        Snackbar.Add("Workflow settings saved.", Severity.Success);
        await LoadAsync();
        return null;
    }

    private async Task<string?> SaveDefaultPolicyAsync(Guid? policyId)
    {
        if (await AdminActorAsync() is not { } actor)
        {
            return "Only admins can change who is paged.";
        }

        // "" is "nobody" on the wire, as in the API.
        var patch = new PatchSourceRequest(EscalationPolicyId: policyId?.ToString() ?? "");
        if (await Admin.CheckPolicyAsync(patch, CancellationToken.None) is { } problem)
        {
            return problem;
        }

        if (await Admin.PatchAsync(SourceId, patch, actor, BaseUrl, CancellationToken.None) is null)
        {
            return "The source no longer exists.";
        }

        Snackbar.Add(policyId is null ? "Saved: this source pages nobody by default." : "Default escalation policy saved.", Severity.Success);
        await LoadAsync();
        return null;
    }

    private async Task<Invalid?> SaveRoutingAsync(RoutingRequest request)
    {
        if (await AdminActorAsync() is not { } actor)
        {
            return Invalid.One("", "Only admins can change who is paged.");
        }

        var (routing, invalid) = await OnCall.SetRoutingAsync(SourceId, request, actor, CancellationToken.None);
        if (routing is null)
        {
            return invalid ?? Invalid.One("", "The source no longer exists.");
        }

        Snackbar.Add("Routing rules saved; they apply to new incidents.", Severity.Success);
        return null;
    }

    private async Task CopyAsync()
    {
        if (_webhookUrl is null)
        {
            return;
        }

        var copied = await JS.InvokeAsync<bool>("itoc360.copy", _webhookUrl);
        Snackbar.Add(copied ? "Copied" : "Could not copy: select the URL and copy it by hand.", copied ? Severity.Success : Severity.Warning);
    }

    private async Task RotateAsync()
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync("Rotate token?",
            "A new webhook URL is issued. The current one keeps working for an overlap period, then stops: paste the new URL into the vendor's console before then.",
            yesText: "Rotate", cancelText: "Cancel");
        if (confirmed != true || await AdminActorAsync() is not { } actor)
        {
            return;
        }

        _busy = true;
        try
        {
            var rotated = await Admin.RotateTokenAsync(SourceId, actor, BaseUrl, CancellationToken.None);
            if (rotated is null)
            {
                Snackbar.Add("The source no longer exists.", Severity.Error);
                return;
            }

            await LoadAsync();
            _webhookUrl = rotated.WebhookUrl;
            _rotatedUntil = rotated.PreviousTokenValidUntil;
        }
        finally
        {
            _busy = false;
        }
    }

    private Task RenameAsync()
    {
        var name = _newName.Trim();
        if (name.Length is 0 or > 200)
        {
            Snackbar.Add("A name of 1 to 200 characters is required.", Severity.Warning);
            return Task.CompletedTask;
        }

        return PatchAsync(new PatchSourceRequest(Name: name), "Renamed.");
    }

    private Task SetEnabledAsync(bool enabled) =>
        PatchAsync(new PatchSourceRequest(Enabled: enabled), enabled ? "Enabled: the source receives alerts again." : "Disabled: requests are refused with 410 and recorded.");

    private async Task PatchAsync(PatchSourceRequest patch, string done)
    {
        if (await AdminActorAsync() is not { } actor)
        {
            return;
        }

        _busy = true;
        try
        {
            if (await Admin.PatchAsync(SourceId, patch, actor, BaseUrl, CancellationToken.None) is null)
            {
                Snackbar.Add("The source no longer exists.", Severity.Error);
                return;
            }

            Snackbar.Add(done, Severity.Success);
            await LoadAsync();
        }
        finally
        {
            _busy = false;
        }
    }
}
