using Itoc360.Web.Features.Auth;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace Itoc360.Web.Components.Pages.Admin;

/// <summary>Users and API keys, for admins. The use cases enforce the rules; the page only hides buttons that would be refused.</summary>
public partial class AdminUsersPage
{
    private AdminActor? _actor;

    [CascadingParameter]
    private Task<AuthenticationState>? AuthenticationState { get; set; }

    protected override async Task OnInitializedAsync()
    {
        if (AuthenticationState is not null)
        {
            _actor = AdminActor.From((await AuthenticationState).User);
        }
    }
}
