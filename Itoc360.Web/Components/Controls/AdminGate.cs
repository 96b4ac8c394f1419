using Itoc360.Web.Features.Auth;
using Itoc360.Web.Features.Sources;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace Itoc360.Web.Components.Controls;

/// <summary>The server-side role check every admin change goes through, whatever buttons the page showed.</summary>
public static class AdminGate
{
    /// <summary>Checks the Admin policy now and returns the actor name for the audit; null (with a message) for anyone else.</summary>
    public static async Task<string?> ActorAsync(Task<AuthenticationState> state, IAuthorizationService authorization, ISnackbar snackbar, string what)
    {
        var user = (await state).User;
        if ((await authorization.AuthorizeAsync(user, Policies.Admin)).Succeeded)
        {
            return SourceEndpoints.Actor(user);
        }

        snackbar.Add($"Only admins can change {what}.", Severity.Error);
        return null;
    }

    public static async Task<bool> IsAdminAsync(Task<AuthenticationState> state, IAuthorizationService authorization) =>
        (await authorization.AuthorizeAsync((await state).User, Policies.Admin)).Succeeded;
}
