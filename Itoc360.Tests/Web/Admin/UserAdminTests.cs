using System.Net;
using Itoc360.Tests.TestSupport;
using Itoc360.Web.Data;
using Itoc360.Web.Features.Auth;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Itoc360.Tests.Web.Admin;

public class UserAdminTests
{
    /// <summary>An API key acting as admin: no user id, so none of the self-guards apply.</summary>
    private static readonly AdminActor Automation = new("apikey:1", "api key 'bootstrap'");

    private static UserAdmin Admin(AppFactory app) => app.Services.GetRequiredService<UserAdmin>();

    private static async Task<string> IdOfAsync(AppFactory app, string email) =>
        await app.WithDbAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());

    private static async Task<UserRow> RowAsync(AppFactory app, string email) =>
        (await Admin(app).ListAsync(CancellationToken.None)).Single(u => u.Email == email);

    private static async Task<AdminActor> AdminActorAsync(AppFactory app, string email) => new(await IdOfAsync(app, email), email);

    [Fact]
    public async Task Create_change_role_reset_disable_enable_and_delete_are_audited_without_secrets()
    {
        await using var app = new AppFactory();
        var admin = Admin(app);
        var ct = CancellationToken.None;

        var created = await admin.CreateAsync(new NewUser(" ada@example.com ", " Ada ", "viewer", null), Automation, ct);
        Assert.True(created.Succeeded, created.Error);
        var generated = Assert.IsType<string>(created.GeneratedPassword);
        var row = await RowAsync(app, "ada@example.com");
        Assert.Equal(("Ada", Roles.Viewer, UserState.Active), (row.DisplayName, row.Role, row.State));
        using (var client = await app.SignedInClientAsync("ada@example.com", generated))
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/incidents")).StatusCode);
        }

        Assert.False((await admin.CreateAsync(new NewUser("ADA@example.com", "Ada again", Roles.Viewer, null), Automation, ct)).Succeeded);
        Assert.False((await admin.CreateAsync(new NewUser("bob@example.com", "Bob", Roles.Viewer, "short"), Automation, ct)).Succeeded);
        Assert.False((await admin.CreateAsync(new NewUser("bob@example.com", "Bob", "Owner", null), Automation, ct)).Succeeded);

        Assert.True((await admin.SetRoleAsync(row.Id, Roles.Responder, Automation, ct)).Succeeded);
        Assert.Equal(Roles.Responder, (await RowAsync(app, "ada@example.com")).Role);
        var roles = await app.WithDbAsync(db => db.UserRoles.CountAsync(r => r.UserId == row.Id));
        Assert.Equal(1, roles);

        var reset = await admin.ResetPasswordAsync(row.Id, "Another-Password-42", Automation, ct);
        Assert.True(reset.Succeeded, reset.Error);
        Assert.Null(reset.GeneratedPassword);
        using (var fresh = app.CreateClient())
        {
            Assert.Equal(HttpStatusCode.OK, (await BrowserlessSignIn.PostLoginAsync(fresh, "ada@example.com", generated)).StatusCode);
        }

        using (var client = await app.SignedInClientAsync("ada@example.com", "Another-Password-42"))
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/incidents")).StatusCode);
        }

        Assert.True((await admin.SetDisabledAsync(row.Id, true, Automation, ct)).Succeeded);
        Assert.Equal(UserState.Disabled, (await RowAsync(app, "ada@example.com")).State);
        using (var fresh = app.CreateClient())
        {
            var refused = await BrowserlessSignIn.PostLoginAsync(fresh, "ada@example.com", "Another-Password-42");
            Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
            Assert.Contains("locked", BrowserlessSignIn.ErrorOf(await refused.Content.ReadAsStringAsync()));
        }

        Assert.True((await admin.SetDisabledAsync(row.Id, false, Automation, ct)).Succeeded);
        Assert.Equal(UserState.Active, (await RowAsync(app, "ada@example.com")).State);
        Assert.True((await admin.DeleteAsync(row.Id, Automation, ct)).Succeeded);
        Assert.DoesNotContain(await admin.ListAsync(ct), u => u.Email == "ada@example.com");
        Assert.False((await admin.DeleteAsync(row.Id, Automation, ct)).Succeeded);

        var audit = await app.WithDbAsync(db => db.Audit.Where(a => a.Target == $"user:{row.Id}").OrderBy(a => a.Id).ToListAsync());
        Assert.Equal(["user.create", "user.role", "user.password-reset", "user.disable", "user.enable", "user.delete"], audit.Select(a => a.Action));
        Assert.All(audit, a => Assert.Equal(Automation.Name, a.Actor));
        Assert.All(audit, a => Assert.DoesNotContain(generated, a.Details));
        Assert.All(audit, a => Assert.DoesNotContain("Another-Password-42", a.Details));
        Assert.DoesNotContain(app.Logs, line => line.Contains(generated) || line.Contains("Another-Password-42"));
    }

    [Fact]
    public async Task Generated_reset_password_works_clears_a_lockout_and_changes_the_security_stamp()
    {
        await using var app = new AppFactory();
        var ct = CancellationToken.None;
        var created = await Admin(app).CreateAsync(new NewUser("eve@example.com", "Eve", Roles.Responder, "First-Password-42"), Automation, ct);
        Assert.True(created.Succeeded, created.Error);
        using (var client = app.CreateClient())
        {
            for (var i = 0; i < 5; i++)
            {
                await BrowserlessSignIn.PostLoginAsync(client, "eve@example.com", "wrong-password");
            }
        }

        Assert.Equal(UserState.LockedOut, (await RowAsync(app, "eve@example.com")).State);
        var stamp = await app.WithDbAsync(db => db.Users.Where(u => u.Id == created.UserId).Select(u => u.SecurityStamp).SingleAsync());

        var reset = await Admin(app).ResetPasswordAsync(created.UserId!, null, Automation, ct);

        Assert.True(reset.Succeeded, reset.Error);
        var row = await RowAsync(app, "eve@example.com");
        Assert.Equal((UserState.Active, 0), (row.State, row.FailedSignIns));
        Assert.NotEqual(stamp, await app.WithDbAsync(db => db.Users.Where(u => u.Id == created.UserId).Select(u => u.SecurityStamp).SingleAsync()));
        using var signedIn = await app.SignedInClientAsync("eve@example.com", reset.GeneratedPassword!);
    }

    [Fact]
    public async Task The_last_active_admin_cannot_be_demoted_disabled_or_deleted()
    {
        await using var app = new AppFactory();
        var admin = Admin(app);
        var ct = CancellationToken.None;
        var first = await IdOfAsync(app, AppFactory.AdminEmail);

        Assert.Contains("last active admin", (await admin.SetRoleAsync(first, Roles.Viewer, Automation, ct)).Error);
        Assert.Contains("last active admin", (await admin.SetDisabledAsync(first, true, Automation, ct)).Error);
        Assert.Contains("last active admin", (await admin.DeleteAsync(first, Automation, ct)).Error);
        Assert.Equal((Roles.Admin, UserState.Active), ((await RowAsync(app, AppFactory.AdminEmail)).Role, (await RowAsync(app, AppFactory.AdminEmail)).State));

        // A disabled second admin does not count: it cannot sign in to fix anything.
        var second = await admin.CreateAsync(new NewUser("second@example.com", "Second", Roles.Admin, null), Automation, ct);
        Assert.True((await admin.SetDisabledAsync(second.UserId!, true, Automation, ct)).Succeeded);
        Assert.False((await admin.SetRoleAsync(first, Roles.Responder, Automation, ct)).Succeeded);

        Assert.True((await admin.SetDisabledAsync(second.UserId!, false, Automation, ct)).Succeeded);
        Assert.True((await admin.SetRoleAsync(first, Roles.Responder, Automation, ct)).Succeeded);
        Assert.False((await admin.DeleteAsync(second.UserId!, Automation, ct)).Succeeded);
        Assert.Equal(0, await app.WithDbAsync(db => db.Audit.CountAsync(a => a.Action == "user.delete")));
    }

    [Fact]
    public async Task An_admin_cannot_demote_disable_or_delete_themselves()
    {
        await using var app = new AppFactory();
        var admin = Admin(app);
        var ct = CancellationToken.None;
        Assert.True((await admin.CreateAsync(new NewUser("other@example.com", "Other admin", Roles.Admin, null), Automation, ct)).Succeeded);
        var me = await AdminActorAsync(app, AppFactory.AdminEmail);

        Assert.Contains("your own", (await admin.SetRoleAsync(me.UserId, Roles.Viewer, me, ct)).Error);
        Assert.Contains("your own", (await admin.SetDisabledAsync(me.UserId, true, me, ct)).Error);
        Assert.Contains("your own", (await admin.DeleteAsync(me.UserId, me, ct)).Error);
        Assert.Equal((Roles.Admin, UserState.Active), ((await RowAsync(app, AppFactory.AdminEmail)).Role, (await RowAsync(app, AppFactory.AdminEmail)).State));

        // The other admin may do it.
        var other = await AdminActorAsync(app, "other@example.com");
        Assert.True((await admin.SetRoleAsync(me.UserId, Roles.Viewer, other, ct)).Succeeded);
    }

    [Fact]
    public async Task A_revoked_api_key_stops_authenticating_at_once()
    {
        await using var app = new AppFactory();
        var keys = app.Services.GetRequiredService<ApiKeyStore>();
        var ct = CancellationToken.None;

        var issued = await keys.IssueAsync(" wallboard ", "viewer", "admin@example.com", ct);

        Assert.StartsWith(ApiKeyStore.Prefix, issued.Key);
        Assert.Equal(("wallboard", Roles.Viewer), (issued.Row.Name, issued.Row.Role));
        using var client = app.ClientWithKey(issued.Key);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/incidents")).StatusCode);
        var listed = Assert.Single(await keys.ListAsync(ct), k => k.Id == issued.Row.Id);
        Assert.Equal(issued.Key[..8], listed.Prefix);
        Assert.NotNull(listed.LastUsedAt);
        Assert.Null(listed.RevokedAt);

        Assert.True(await keys.RevokeAsync(issued.Row.Id, "admin@example.com", ct));

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/incidents")).StatusCode);
        Assert.NotNull((await keys.ListAsync(ct)).Single(k => k.Id == issued.Row.Id).RevokedAt);
        Assert.False(await keys.RevokeAsync(issued.Row.Id, "admin@example.com", ct));
        var audit = await app.WithDbAsync(db => db.Audit.Where(a => a.Target == $"apikey:{listed.Prefix}").OrderBy(a => a.Id).ToListAsync());
        Assert.Equal(["apikey.create", "apikey.revoke"], audit.Select(a => a.Action));
        Assert.All(audit, a => Assert.Equal("admin@example.com", a.Actor));
        Assert.All(audit, a => Assert.DoesNotContain(issued.Key, a.Details));
        Assert.DoesNotContain(app.Logs, line => line.Contains(issued.Key));
    }

    [Fact]
    public async Task Only_admins_get_the_admin_page()
    {
        await using var app = new AppFactory();
        var ct = CancellationToken.None;
        foreach (var role in new[] { Roles.Viewer, Roles.Responder })
        {
            Assert.True((await Admin(app).CreateAsync(new NewUser($"{role}@example.com", role, role, "Role-Password-42"), Automation, ct)).Succeeded);
        }

        using var anonymous = app.CreateClient(new() { AllowAutoRedirect = false });
        var challenge = await anonymous.GetAsync("/admin/users");
        Assert.Equal(HttpStatusCode.Redirect, challenge.StatusCode);
        Assert.StartsWith("/account/login", challenge.Headers.Location!.PathAndQuery);

        foreach (var role in new[] { Roles.Viewer, Roles.Responder })
        {
            using var client = await app.SignedInClientAsync($"{role}@example.com", "Role-Password-42");
            var denied = await client.GetAsync("/admin/users");
            Assert.Equal(HttpStatusCode.Redirect, denied.StatusCode);
            Assert.StartsWith("/account/denied", denied.Headers.Location!.PathAndQuery);
        }

        using var admin = await app.SignedInClientAsync(AppFactory.AdminEmail, AppFactory.AdminPassword);
        var page = await admin.GetAsync("/admin/users");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Users &amp; API keys", await page.Content.ReadAsStringAsync());
    }

    [Fact]
    public void Lockout_end_maps_to_a_state()
    {
        var now = new DateTimeOffset(2026, 11, 20, 8, 0, 0, TimeSpan.Zero);
        Assert.Equal(UserState.Active, UserAdmin.StateOf(null, now));
        Assert.Equal(UserState.Active, UserAdmin.StateOf(now.AddMinutes(-1), now));
        Assert.Equal(UserState.LockedOut, UserAdmin.StateOf(now.AddMinutes(15), now));
        Assert.Equal(UserState.Disabled, UserAdmin.StateOf(DateTimeOffset.MaxValue, now));
    }
}
