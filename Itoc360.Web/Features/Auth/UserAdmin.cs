using System.Security.Claims;
using Itoc360.Web.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Itoc360.Web.Features.Auth;

/// <summary>Whether a user can sign in: active, temporarily locked out after failed sign-ins, or disabled by an admin.</summary>
public enum UserState
{
    Active,
    LockedOut,
    Disabled,
}

/// <summary>One user as the admin list shows it.</summary>
public sealed record UserRow(
    string Id,
    string Email,
    string DisplayName,
    string Role,
    UserState State,
    DateTime? LockedOutUntil,
    int FailedSignIns,
    DateTime CreatedAt);

/// <summary>Who is making a change: the signed-in user's id (for the self-guards) and name (for the audit).</summary>
public sealed record AdminActor(string UserId, string Name)
{
    public static AdminActor From(ClaimsPrincipal principal) => new(
        principal.FindFirstValue(ClaimTypes.NameIdentifier) ?? "",
        principal.Identity?.Name ?? "unknown");
}

public sealed record NewUser(string Email, string DisplayName, string Role, string? Password);

/// <summary>The outcome of a change. <see cref="GeneratedPassword"/> is set only when the server made one up; show it once.</summary>
public sealed record UserAdminResult(bool Succeeded, string? Error, string? UserId = null, string? GeneratedPassword = null)
{
    public static UserAdminResult Fail(string error) => new(false, error);
}

/// <summary>
/// Admin work on users: list, create, change role, reset password, disable/enable, delete.
/// Each change runs in its own scope and transaction together with its audit entry. Changes are serialised
/// in this process so that two admins cannot demote each other at the same moment and leave no admin.
/// </summary>
public sealed class UserAdmin(IServiceScopeFactory scopes, IDbContextFactory<AppDbContext> dbFactory, TimeProvider time)
{
    private const int MaxDisplayName = 100;

    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task<UserRow[]> ListAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var users = await db.Users.AsNoTracking()
            .Select(u => new { u.Id, u.Email, u.DisplayName, u.LockoutEnd, u.AccessFailedCount, u.CreatedAt })
            .ToListAsync(ct);
        var roleOf = await RolesAsync(db, null, ct);
        var now = time.GetUtcNow();
        return users
            .Select(u => new UserRow(
                u.Id,
                u.Email ?? "",
                u.DisplayName,
                roleOf.GetValueOrDefault(u.Id) ?? "",
                StateOf(u.LockoutEnd, now),
                StateOf(u.LockoutEnd, now) == UserState.LockedOut ? u.LockoutEnd!.Value.UtcDateTime : null,
                u.AccessFailedCount,
                u.CreatedAt))
            .OrderBy(u => u.Email, StringComparer.OrdinalIgnoreCase)
            .ToArray();
    }

    public async Task<UserAdminResult> CreateAsync(NewUser request, AdminActor actor, CancellationToken ct)
    {
        var email = request.Email.Trim();
        var displayName = request.DisplayName.Trim();
        if (Roles.Normalize(request.Role) is not { } role)
        {
            return UserAdminResult.Fail("Choose a role: Admin, Responder or Viewer.");
        }

        if (displayName.Length is 0 or > MaxDisplayName)
        {
            return UserAdminResult.Fail($"Enter a name of at most {MaxDisplayName} characters.");
        }

        var generated = string.IsNullOrEmpty(request.Password);
        var password = generated ? Passwords.Generate() : request.Password!;
        return await RunAsync(actor, async (users, db) =>
        {
            if (await users.FindByEmailAsync(email) is not null)
            {
                return Step.Fail("A user with this e-mail address already exists.");
            }

            var user = new AppUser
            {
                UserName = email,
                Email = email,
                EmailConfirmed = true,
                DisplayName = displayName,
                CreatedAt = time.GetUtcNow().UtcDateTime,
            };
            var created = await users.CreateAsync(user, password);
            if (!created.Succeeded)
            {
                return Step.Fail(Describe(created));
            }

            var added = await users.AddToRoleAsync(user, role);
            return added.Succeeded
                ? new Step(null, user.Id, "user.create", $"{email} as {role}{(generated ? ", generated password" : "")}", generated ? password : null)
                : Step.Fail(Describe(added));
        }, ct);
    }

    public Task<UserAdminResult> SetRoleAsync(string userId, string role, AdminActor actor, CancellationToken ct)
    {
        if (Roles.Normalize(role) is not { } newRole)
        {
            return Task.FromResult(UserAdminResult.Fail("Choose a role: Admin, Responder or Viewer."));
        }

        return ChangeAsync(userId, actor, async (users, user) =>
        {
            var current = await users.GetRolesAsync(user);
            if (current.Count == 1 && current[0] == newRole)
            {
                return new Step(null, user.Id, "user.role", $"{user.Email} stays {newRole}");
            }

            if (newRole != Roles.Admin && current.Contains(Roles.Admin))
            {
                if (user.Id == actor.UserId)
                {
                    return Step.Fail("You cannot remove your own Admin role. Ask another admin.");
                }

                if (await IsLastActiveAdminAsync(users, user))
                {
                    return Step.Fail($"{user.Email} is the last active admin. Make someone else an admin first.");
                }
            }

            var removed = await users.RemoveFromRolesAsync(user, current);
            if (!removed.Succeeded)
            {
                return Step.Fail(Describe(removed));
            }

            var added = await users.AddToRoleAsync(user, newRole);
            if (!added.Succeeded)
            {
                return Step.Fail(Describe(added));
            }

            // The role is a claim in the sign-in cookie: a new stamp makes open sessions sign in again.
            await users.UpdateSecurityStampAsync(user);
            return new Step(null, user.Id, "user.role", $"{user.Email}: {string.Join(",", current)} -> {newRole}");
        }, ct);
    }

    /// <summary>Sets <paramref name="newPassword"/>, or a generated one when it is empty; ends the user's other sessions and clears a failed-sign-in lockout.</summary>
    public Task<UserAdminResult> ResetPasswordAsync(string userId, string? newPassword, AdminActor actor, CancellationToken ct)
    {
        var generated = string.IsNullOrEmpty(newPassword);
        var password = generated ? Passwords.Generate() : newPassword!;
        return ChangeAsync(userId, actor, async (users, user) =>
        {
            var token = await users.GeneratePasswordResetTokenAsync(user);
            // Also replaces the security stamp, so every existing session of this user ends.
            var reset = await users.ResetPasswordAsync(user, token, password);
            if (!reset.Succeeded)
            {
                return Step.Fail(Describe(reset));
            }

            await users.ResetAccessFailedCountAsync(user);
            if (StateOf(user.LockoutEnd, time.GetUtcNow()) == UserState.LockedOut)
            {
                await users.SetLockoutEndDateAsync(user, null);
            }

            return new Step(null, user.Id, "user.password-reset", $"{user.Email}{(generated ? ", generated password" : "")}", generated ? password : null);
        }, ct);
    }

    /// <summary>Disables (no sign-in until enabled again, open sessions end) or enables a user.</summary>
    public Task<UserAdminResult> SetDisabledAsync(string userId, bool disabled, AdminActor actor, CancellationToken ct) =>
        ChangeAsync(userId, actor, async (users, user) =>
        {
            if (disabled)
            {
                if (user.Id == actor.UserId)
                {
                    return Step.Fail("You cannot disable your own account.");
                }

                if (await IsLastActiveAdminAsync(users, user))
                {
                    return Step.Fail($"{user.Email} is the last active admin and cannot be disabled.");
                }

                await users.SetLockoutEnabledAsync(user, true);
                await users.SetLockoutEndDateAsync(user, DateTimeOffset.MaxValue);
                await users.UpdateSecurityStampAsync(user);
                return new Step(null, user.Id, "user.disable", user.Email ?? user.Id);
            }

            await users.SetLockoutEndDateAsync(user, null);
            await users.ResetAccessFailedCountAsync(user);
            return new Step(null, user.Id, "user.enable", user.Email ?? user.Id);
        }, ct);

    public Task<UserAdminResult> DeleteAsync(string userId, AdminActor actor, CancellationToken ct) =>
        ChangeAsync(userId, actor, async (users, user) =>
        {
            if (user.Id == actor.UserId)
            {
                return Step.Fail("You cannot delete your own account.");
            }

            if (await IsLastActiveAdminAsync(users, user))
            {
                return Step.Fail($"{user.Email} is the last active admin and cannot be deleted.");
            }

            var deleted = await users.DeleteAsync(user);
            return deleted.Succeeded ? new Step(null, user.Id, "user.delete", user.Email ?? user.Id) : Step.Fail(Describe(deleted));
        }, ct);

    internal static UserState StateOf(DateTimeOffset? lockoutEnd, DateTimeOffset now) => lockoutEnd switch
    {
        { Year: >= 9999 } => UserState.Disabled,
        { } end when end > now => UserState.LockedOut,
        _ => UserState.Active,
    };

    /// <summary>Each user's role (the highest, should one hold several); only <paramref name="userId"/>'s when given.</summary>
    internal static async Task<Dictionary<string, string>> RolesAsync(AppDbContext db, string? userId, CancellationToken ct)
    {
        var query =
            from ur in db.UserRoles.AsNoTracking()
            join r in db.Roles.AsNoTracking() on ur.RoleId equals r.Id
            select new { ur.UserId, r.Name };
        if (userId is not null)
        {
            query = query.Where(x => x.UserId == userId);
        }

        var roles = await query.ToListAsync(ct);
        return roles.GroupBy(r => r.UserId).ToDictionary(g => g.Key, g => Highest(g.Select(r => r.Name)));
    }

    private static string Highest(IEnumerable<string?> roles)
    {
        var set = roles.ToHashSet();
        return Roles.All.FirstOrDefault(set.Contains) ?? "";
    }

    /// <summary>True when <paramref name="user"/> is an enabled admin and no other enabled admin exists.</summary>
    private async Task<bool> IsLastActiveAdminAsync(UserManager<AppUser> users, AppUser user)
    {
        var now = time.GetUtcNow();
        var admins = await users.GetUsersInRoleAsync(Roles.Admin);
        return admins.Any(a => a.Id == user.Id)
            && StateOf(user.LockoutEnd, now) != UserState.Disabled
            && !admins.Any(a => a.Id != user.Id && StateOf(a.LockoutEnd, now) != UserState.Disabled);
    }

    private Task<UserAdminResult> ChangeAsync(string userId, AdminActor actor, Func<UserManager<AppUser>, AppUser, Task<Step>> change, CancellationToken ct) =>
        RunAsync(actor, async (users, _) => await users.FindByIdAsync(userId) is { } user
            ? await change(users, user)
            : Step.Fail("This user no longer exists."), ct);

    private async Task<UserAdminResult> RunAsync(AdminActor actor, Func<UserManager<AppUser>, AppDbContext, Task<Step>> work, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            // The same scoped context Identity's stores use: its changes and the audit entry commit together.
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var step = await work(users, db);
            if (step.Error is not null)
            {
                return UserAdminResult.Fail(step.Error);
            }

            db.Audit.Add(new AuditEntry
            {
                At = time.GetUtcNow().UtcDateTime,
                Actor = actor.Name,
                Action = step.Action,
                Target = $"user:{step.UserId}",
                Details = step.Details,
            });
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return new UserAdminResult(true, null, step.UserId, step.GeneratedPassword);
        }
        finally
        {
            _gate.Release();
        }
    }

    private static string Describe(IdentityResult result) => string.Join(" ", result.Errors.Select(e => e.Description));

    private sealed record Step(string? Error, string UserId, string Action, string Details, string? GeneratedPassword = null)
    {
        public static Step Fail(string error) => new(error, "", "", "");
    }
}
