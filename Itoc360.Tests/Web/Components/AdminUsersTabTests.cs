using Bunit;
using Itoc360.Tests.TestSupport;
using Itoc360.Web.Components.Pages.Admin;
using Itoc360.Web.Data;
using Itoc360.Web.Features.Auth;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace Itoc360.Tests.Web.Components;

/// <summary>The users tab rendered with bUnit over the real use case on a temporary app.</summary>
public sealed class AdminUsersTabTests : IAsyncLifetime
{
    private readonly AppFactory _app = new();
    private readonly BunitContext _bunit = new();

    public AdminUsersTabTests()
    {
        var services = _bunit.Services;
        services.AddMudServices(o =>
        {
            o.SnackbarConfiguration.ShowTransitionDuration = 0;
            o.SnackbarConfiguration.HideTransitionDuration = 0;
        });
        services.AddSingleton(_app.Services.GetRequiredService<UserAdmin>());
        services.AddSingleton(_app.Services.GetRequiredService<ApiKeyStore>());
        _bunit.JSInterop.Mode = JSRuntimeMode.Loose;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _bunit.DisposeAsync();
        await _app.DisposeAsync();
    }

    private async Task<AdminActor> SelfAsync() => new(
        await _app.WithDbAsync(db => db.Users.Where(u => u.Email == AppFactory.AdminEmail).Select(u => u.Id).SingleAsync()),
        AppFactory.AdminEmail);

    [Fact]
    public async Task Lists_users_and_disables_the_actions_an_admin_may_not_take_on_themselves()
    {
        var me = await SelfAsync();

        var tab = _bunit.Render<AdminUsersTab>(p => p.Add(t => t.Actor, me));

        tab.WaitForAssertion(() => Assert.Contains(AppFactory.AdminEmail, tab.Markup));
        Assert.True(tab.Find($"button[aria-label='Delete {AppFactory.AdminEmail}']").HasAttribute("disabled"));
        Assert.True(tab.Find($"button[aria-label='Disable {AppFactory.AdminEmail}']").HasAttribute("disabled"));
        Assert.True(tab.Find($"button[aria-label='Change role of {AppFactory.AdminEmail}']").HasAttribute("disabled"));
        Assert.False(tab.Find($"button[aria-label='Reset password of {AppFactory.AdminEmail}']").HasAttribute("disabled"));
    }

    [Fact]
    public async Task New_user_dialog_creates_the_user_and_shows_the_generated_password_once()
    {
        var me = await SelfAsync();
        var dialogs = _bunit.Render<MudDialogProvider>();
        var tab = _bunit.Render<AdminUsersTab>(p => p.Add(t => t.Actor, me));
        tab.WaitForAssertion(() => Assert.Contains(AppFactory.AdminEmail, tab.Markup));

        tab.FindAll("button").Single(b => b.TextContent.Contains("New user")).Click();
        dialogs.WaitForAssertion(() => Assert.NotNull(dialogs.Find("#new-user-email")));
        await dialogs.Find("#new-user-email").ChangeAsync(new() { Value = "new@example.com" });
        await dialogs.Find("#new-user-name").ChangeAsync(new() { Value = "New Person" });
        dialogs.WaitForAssertion(() => Assert.False(CreateButton(dialogs).HasAttribute("disabled")));
        CreateButton(dialogs).Click();

        dialogs.WaitForAssertion(() => Assert.Contains("This is shown only once", dialogs.Markup));
        var user = await _app.WithDbAsync(db => db.Users.SingleAsync(u => u.Email == "new@example.com"));
        Assert.Equal("New Person", user.DisplayName);
        var shown = dialogs.Find("#admin-secret").GetAttribute("value");
        Assert.False(string.IsNullOrEmpty(shown));
        dialogs.FindAll("button").Single(b => b.TextContent.Contains("Done")).Click();
        dialogs.WaitForAssertion(() => Assert.DoesNotContain("This is shown only once", dialogs.Markup));
        tab.WaitForAssertion(() => Assert.Contains("new@example.com", tab.Markup));
        Assert.Equal(Roles.Viewer, (await _app.Services.GetRequiredService<UserAdmin>().ListAsync(CancellationToken.None)).Single(u => u.Email == "new@example.com").Role);
    }

    private static AngleSharp.Dom.IElement CreateButton(IRenderedComponent<MudDialogProvider> dialogs) =>
        dialogs.FindAll("button").Single(b => b.TextContent.Contains("Create user"));
}
