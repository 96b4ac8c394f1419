using Itoc360.Web.Components.Dialogs;
using Itoc360.Web.Features.Auth;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Itoc360.Web.Components.Pages.Admin;

public partial class AdminApiKeysTab
{
    private ApiKeyRow[]? _keys;

    [Inject]
    public required ApiKeyStore ApiKeys { get; set; }

    [Inject]
    public required IDialogService Dialogs { get; set; }

    [Inject]
    public required ISnackbar Snackbar { get; set; }

    [Parameter, EditorRequired]
    public AdminActor Actor { get; set; } = default!;

    protected override Task OnInitializedAsync() => LoadAsync();

    private async Task LoadAsync() => _keys = await ApiKeys.ListAsync(CancellationToken.None);

    private async Task CreateAsync()
    {
        var dialog = await Dialogs.ShowAsync<ApiKeyCreateDialog>("New API key",
            new DialogParameters<ApiKeyCreateDialog> { { d => d.Actor, Actor } },
            new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true, CloseOnEscapeKey = true });
        if (await dialog.Result is { Canceled: false, Data: IssuedApiKey issued })
        {
            await LoadAsync();
            await AdminSecretDialog.ShowAsync(Dialogs, "API key created", "API key", issued.Key,
                $"Store this key for '{issued.Row.Name}' now: only its hash is kept.");
        }
    }

    private async Task RevokeAsync(ApiKeyRow key)
    {
        if (await Dialogs.ShowMessageBoxAsync("Revoke API key",
                $"Revoke the key '{key.Name}' ({key.Prefix}…)? Everything using it stops authenticating at once.",
                yesText: "Revoke key", cancelText: "Cancel") != true)
        {
            return;
        }

        var revoked = await ApiKeys.RevokeAsync(key.Id, Actor.Name, CancellationToken.None);
        Snackbar.Add(revoked ? $"Key '{key.Name}' revoked." : "This key was already revoked.", revoked ? Severity.Success : Severity.Info);
        await LoadAsync();
    }
}
