using Itoc360.Web.Data;
using Itoc360.Web.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Itoc360.Web.Features.Auth;

/// <summary>First-start work: migrate the database, create the roles, the first admin and the bootstrap API key.</summary>
public sealed class Bootstrap(
    IServiceProvider services,
    IOptions<Itoc360Options> options,
    ApiKeyStore apiKeys,
    TimeProvider time,
    ILogger<Bootstrap> logger)
{
    public const string DefaultAdminEmail = "admin@itoc360.local";

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        if (db.Database.IsSqlite())
        {
            // WAL lets readers (the console, the API) run while the ingest writer commits.
            await db.Database.OpenConnectionAsync(cancellationToken);
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode = WAL;", cancellationToken);
            await db.Database.CloseConnectionAsync();
        }

        await db.Database.MigrateAsync(cancellationToken);

        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in Roles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                await roles.CreateAsync(new IdentityRole(role));
            }
        }

        await CreateFirstAdminAsync(scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>(), db, cancellationToken);
        await CreateBootstrapKeyAsync(db, cancellationToken);
    }

    private async Task CreateFirstAdminAsync(UserManager<AppUser> users, AppDbContext db, CancellationToken cancellationToken)
    {
        if (await db.Users.AnyAsync(cancellationToken))
        {
            return;
        }

        var bootstrap = options.Value.Bootstrap;
        var email = string.IsNullOrWhiteSpace(bootstrap.AdminEmail) ? DefaultAdminEmail : bootstrap.AdminEmail.Trim();
        var generated = string.IsNullOrEmpty(bootstrap.AdminPassword);
        var password = generated ? Passwords.Generate() : bootstrap.AdminPassword!;
        var admin = new AppUser
        {
            UserName = email,
            Email = email,
            EmailConfirmed = true,
            DisplayName = "Administrator",
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        var created = await users.CreateAsync(admin, password);
        if (!created.Succeeded)
        {
            throw new InvalidOperationException("Could not create the first admin: " +
                string.Join("; ", created.Errors.Select(e => e.Description)) +
                " Set Itoc360__Bootstrap__AdminPassword to a stronger password.");
        }

        await users.AddToRoleAsync(admin, Roles.Admin);
        logger.LogInformation("Created the first admin {Email}.", email);
        if (generated)
        {
            // Printed once to the console, never to the structured log.
            Console.WriteLine();
            Console.WriteLine("  ┌──────────────────────────────────────────────────────────────");
            Console.WriteLine("  │ Itoc360 Console: first admin created");
            Console.WriteLine($"  │   e-mail:   {email}");
            Console.WriteLine($"  │   password: {password}");
            Console.WriteLine("  │ This password is shown only now. Sign in and change it.");
            Console.WriteLine("  └──────────────────────────────────────────────────────────────");
            Console.WriteLine();
        }
    }

    private async Task CreateBootstrapKeyAsync(AppDbContext db, CancellationToken cancellationToken)
    {
        var key = options.Value.Bootstrap.ApiKey;
        if (string.IsNullOrWhiteSpace(key))
        {
            return;
        }

        if (key.Length < 16)
        {
            throw new InvalidOperationException("Itoc360__Bootstrap__ApiKey must be at least 16 characters long.");
        }

        var hash = ApiKeyStore.Hash(key);
        if (!await db.ApiKeys.AnyAsync(k => k.Hash == hash, cancellationToken))
        {
            await apiKeys.CreateAsync("bootstrap", Roles.Admin, "configuration", key, cancellationToken);
            logger.LogInformation("Created the bootstrap API key from configuration.");
        }
    }
}
