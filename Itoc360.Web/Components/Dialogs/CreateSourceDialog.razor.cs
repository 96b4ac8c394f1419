using Itoc360.Domain.Sources;
using Itoc360.Web.Features.Auth;
using Itoc360.Web.Features.Sources;
using Itoc360.Web.Hosting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace Itoc360.Web.Components.Dialogs;

/// <summary>Creates a source (admins only) and closes with its id.</summary>
public sealed partial class CreateSourceDialog
{
    private static readonly ISourceParser[] Kinds = SourceCatalog.All.OrderBy(p => p.DisplayName, StringComparer.Ordinal).ToArray();

    private string _kind = Kinds.FirstOrDefault()?.Kind ?? "";
    private string _name = "";
    private string? _twilioAuthToken;
    private string? _error;
    private bool _busy;

    [CascadingParameter]
    public required IMudDialogInstance MudDialog { get; init; }

    [CascadingParameter]
    public required Task<AuthenticationState> AuthenticationState { get; init; }

    [Inject]
    public required SourceAdmin Admin { get; init; }

    [Inject]
    public required IAuthorizationService Authorization { get; init; }

    [Inject]
    public required PublicUrls Urls { get; init; }

    [Inject]
    public required NavigationManager Navigation { get; init; }

    private void KindChanged(string kind)
    {
        _kind = kind;
        if (!SourceSetupGuide.TakesTwilioAuthToken(kind))
        {
            _twilioAuthToken = null;
        }
    }

    private void Cancel() => MudDialog.Cancel();

    private async Task CreateAsync()
    {
        _error = null;
        var name = _name.Trim();
        if (name.Length is 0 or > 200)
        {
            _error = "A name of 1 to 200 characters is required.";
            return;
        }

        if (!SourceCatalog.TryGet(_kind, out var parser))
        {
            _error = "Pick a kind.";
            return;
        }

        // The dialog is only offered to admins, but the server decides.
        var user = (await AuthenticationState).User;
        if (!(await Authorization.AuthorizeAsync(user, Policies.Admin)).Succeeded)
        {
            _error = "Only admins can create sources.";
            return;
        }

        _busy = true;
        try
        {
            var token = string.IsNullOrWhiteSpace(_twilioAuthToken) ? null : _twilioAuthToken.Trim();
            var created = await Admin.CreateAsync(name, parser, token, SourceEndpoints.Actor(user), Urls.BaseUrl(Navigation.BaseUri), CancellationToken.None);
            MudDialog.Close(DialogResult.Ok(created.Id));
        }
        finally
        {
            _busy = false;
        }
    }
}
