using Itoc360.Web.Components.Controls;
using Itoc360.Web.Features.Paging;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace Itoc360.Web.Components.Pages.OnCall;

/// <summary>The escalation policies with their steps and the sources that page through them.</summary>
public sealed partial class EscalationPoliciesPage
{
    private IReadOnlyList<PolicyDto>? _policies;
    private bool _isAdmin;

    [Inject]
    public required OnCallSetup OnCall { get; init; }

    [Inject]
    public required IAuthorizationService Authorization { get; init; }

    [Inject]
    public required NavigationManager Navigation { get; init; }

    [CascadingParameter]
    public required Task<AuthenticationState> AuthenticationState { get; init; }

    protected override async Task OnInitializedAsync()
    {
        _isAdmin = await AdminGate.IsAdminAsync(AuthenticationState, Authorization);
        _policies = await OnCall.ListPoliciesAsync(CancellationToken.None);
    }

    private void OpenRow(TableRowClickEventArgs<PolicyDto> row)
    {
        if (row.Item is { } item)
        {
            Navigation.NavigateTo($"escalation-policies/{item.Id}");
        }
    }
}
