using System.Globalization;
using Itoc360.Web.Components.Dialogs;
using Itoc360.Web.Features.Auth;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Itoc360.Web.Components.Pages.Admin;

public partial class AdminUsersTab
{
    private static readonly DialogOptions Options = new() { MaxWidth = MaxWidth.Small, FullWidth = true, CloseOnEscapeKey = true };

    private UserRow[]? _users;

    [Inject]
    public required UserAdmin UserAdmin { get; set; }

    [Inject]
    public required IDialogService Dialogs { get; set; }

    [Inject]
    public required ISnackbar Snackbar { get; set; }

    [Parameter, EditorRequired]
    public AdminActor Actor { get; set; } = default!;

    protected override Task OnInitializedAsync() => LoadAsync();

    internal static string Format(DateTime? utc) =>
        utc is { } value ? value.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) : "—";

    private bool IsSelf(UserRow user) => user.Id == Actor.UserId;

    private async Task LoadAsync() => _users = await UserAdmin.ListAsync(CancellationToken.None);

    private async Task CreateAsync()
    {
        var dialog = await Dialogs.ShowAsync<UserCreateDialog>("New user",
            new DialogParameters<UserCreateDialog> { { d => d.Actor, Actor } }, Options);
        if (await dialog.Result is { Canceled: false, Data: UserAdminResult result })
        {
            await LoadAsync();
            Snackbar.Add("User created.", Severity.Success);
            if (result.GeneratedPassword is { } password)
            {
                await AdminSecretDialog.ShowAsync(Dialogs, "User created", "Initial password", password,
                    "Give this password to the user over a safe channel; they can change it after signing in.");
            }
        }
    }

    private async Task ChangeRoleAsync(UserRow user)
    {
        var dialog = await Dialogs.ShowAsync<UserRoleDialog>("Change role",
            new DialogParameters<UserRoleDialog> { { d => d.User, user } }, Options);
        if (await dialog.Result is { Canceled: false, Data: string role })
        {
            await ReportAsync(await UserAdmin.SetRoleAsync(user.Id, role, Actor, CancellationToken.None), $"{user.Email} is now {role}.");
        }
    }

    private async Task ResetPasswordAsync(UserRow user)
    {
        var dialog = await Dialogs.ShowAsync<UserPasswordDialog>("Reset password",
            new DialogParameters<UserPasswordDialog> { { d => d.User, user }, { d => d.Actor, Actor } }, Options);
        if (await dialog.Result is { Canceled: false, Data: UserAdminResult result })
        {
            await ReportAsync(result, $"Password of {user.Email} reset.");
            if (result.GeneratedPassword is { } password)
            {
                await AdminSecretDialog.ShowAsync(Dialogs, "Password reset", "New password", password,
                    "Give this password to the user over a safe channel.");
            }
        }
    }

    private async Task SetDisabledAsync(UserRow user, bool disabled)
    {
        if (disabled && await Dialogs.ShowMessageBoxAsync("Disable user",
                $"Disable {user.Email}? They cannot sign in until enabled again, and their open sessions end.",
                yesText: "Disable user", cancelText: "Cancel") != true)
        {
            return;
        }

        await ReportAsync(await UserAdmin.SetDisabledAsync(user.Id, disabled, Actor, CancellationToken.None),
            disabled ? $"{user.Email} is disabled." : $"{user.Email} is enabled.");
    }

    private async Task DeleteAsync(UserRow user)
    {
        if (await Dialogs.ShowMessageBoxAsync("Delete user", $"Delete {user.Email}? This cannot be undone.",
                yesText: "Delete user", cancelText: "Cancel") != true)
        {
            return;
        }

        await ReportAsync(await UserAdmin.DeleteAsync(user.Id, Actor, CancellationToken.None), $"{user.Email} deleted.");
    }

    private async Task ReportAsync(UserAdminResult result, string success)
    {
        Snackbar.Add(result.Succeeded ? success : result.Error ?? "The change failed.", result.Succeeded ? Severity.Success : Severity.Error);
        await LoadAsync();
    }
}
