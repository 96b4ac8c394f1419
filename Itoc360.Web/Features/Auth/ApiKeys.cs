using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Itoc360.Web.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Itoc360.Web.Features.Auth;

/// <summary>A known, unrevoked API key as authentication needs it.</summary>
public sealed record ApiKeyIdentity(long Id, string Name, string Role);

/// <summary>An API key as the admin list shows it (never the key or its hash).</summary>
public sealed record ApiKeyRow(long Id, string Name, string Prefix, string Role, DateTime CreatedAt, string? CreatedBy, DateTime? LastUsedAt, DateTime? RevokedAt);

/// <summary>A newly issued key: <see cref="Key"/> is the only time the plaintext exists outside the caller's hands.</summary>
public sealed record IssuedApiKey(ApiKeyRow Row, string Key);

/// <summary>
/// API keys: created once and shown once, stored as SHA-256 hashes (keys are 256-bit random, so a
/// plain hash is enough), looked up by hash and cached briefly.
/// </summary>
public sealed class ApiKeyStore(IDbContextFactory<AppDbContext> dbFactory, TimeProvider time)
{
    public const string Prefix = "itk_";
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan TouchEvery = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<string, (ApiKeyIdentity? Key, DateTime LoadedAt)> _cache = new();
    private readonly ConcurrentDictionary<long, DateTime> _touched = new();

    public static string NewKey() => Prefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public const int MaxNameLength = 100;

    public async Task<ApiKey> CreateAsync(string name, string role, string? createdBy, string? exactKey, CancellationToken cancellationToken)
    {
        var key = exactKey ?? NewKey();
        var entity = NewEntity(name, role, createdBy, key);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.ApiKeys.Add(entity);
        Audit(db, createdBy ?? "unknown", "apikey.create", entity);
        await db.SaveChangesAsync(cancellationToken);
        return entity;
    }

    /// <summary>Creates a new random key for an admin; the plaintext is returned once and only its hash is stored.</summary>
    public async Task<IssuedApiKey> IssueAsync(string name, string role, string actor, CancellationToken cancellationToken)
    {
        var normalized = Roles.Normalize(role) ?? throw new ArgumentException("Unknown role.", nameof(role));
        var trimmed = name.Trim();
        if (trimmed.Length is 0 or > MaxNameLength)
        {
            throw new ArgumentException($"A key needs a name of at most {MaxNameLength} characters.", nameof(name));
        }

        var key = NewKey();
        var entity = await CreateAsync(trimmed, normalized, actor, key, cancellationToken);
        return new IssuedApiKey(ToRow(entity), key);
    }

    public async Task<ApiKeyRow[]> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var keys = await db.ApiKeys.AsNoTracking().ToListAsync(cancellationToken);
        // Active keys first, newest first; revoked keys stay listed for the record.
        return keys.OrderBy(k => k.RevokedAt is not null).ThenByDescending(k => k.CreatedAt).Select(ToRow).ToArray();
    }

    /// <summary>Revokes a key at once (the lookup cache is dropped) and audits it; false when there was no active key with this id.</summary>
    public async Task<bool> RevokeAsync(long id, string actor, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var entity = await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == id && k.RevokedAt == null, cancellationToken);
        if (entity is null)
        {
            return false;
        }

        entity.RevokedAt = time.GetUtcNow().UtcDateTime;
        Audit(db, actor, "apikey.revoke", entity);
        await db.SaveChangesAsync(cancellationToken);
        _cache.Clear();
        return true;
    }

    public async Task RevokeAsync(long id, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        await db.ApiKeys.Where(k => k.Id == id && k.RevokedAt == null).ExecuteUpdateAsync(s => s.SetProperty(k => k.RevokedAt, now), cancellationToken);
        _cache.Clear();
    }

    private ApiKey NewEntity(string name, string role, string? createdBy, string key) => new()
    {
        Name = name,
        Prefix = key[..Math.Min(8, key.Length)],
        Hash = Hash(key),
        Role = role,
        CreatedAt = time.GetUtcNow().UtcDateTime,
        CreatedBy = createdBy,
    };

    private static ApiKeyRow ToRow(ApiKey k) => new(k.Id, k.Name, k.Prefix, k.Role, k.CreatedAt, k.CreatedBy, k.LastUsedAt, k.RevokedAt);

    private void Audit(AppDbContext db, string actor, string action, ApiKey key) => db.Audit.Add(new AuditEntry
    {
        At = time.GetUtcNow().UtcDateTime,
        Actor = actor,
        Action = action,
        Target = $"apikey:{key.Prefix}",
        Details = $"'{key.Name}' ({key.Role})",
    });

    public async Task<ApiKeyIdentity?> FindAsync(string presented, CancellationToken cancellationToken)
    {
        if (presented.Length is < 16 or > 256)
        {
            return null;
        }

        var hash = Hash(presented);
        var now = time.GetUtcNow().UtcDateTime;
        if (!_cache.TryGetValue(hash, out var cached) || now - cached.LoadedAt > CacheFor)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var key = await db.ApiKeys.AsNoTracking()
                .Where(k => k.Hash == hash && k.RevokedAt == null)
                .Select(k => new ApiKeyIdentity(k.Id, k.Name, k.Role))
                .FirstOrDefaultAsync(cancellationToken);
            cached = (key, now);
            _cache[hash] = cached;
        }

        if (cached.Key is { } found && (!_touched.TryGetValue(found.Id, out var last) || now - last > TouchEvery))
        {
            _touched[found.Id] = now;
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            await db.ApiKeys.Where(k => k.Id == found.Id).ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, now), cancellationToken);
        }

        return cached.Key;
    }
}

/// <summary>
/// Authenticates <c>Authorization: Bearer &lt;api key&gt;</c>; on the hubs also <c>?access_token=</c>, because
/// browsers cannot set headers on WebSocket and server-sent-event connections.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyStore store) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string AuthenticationMethodClaim = "amr";

    /// <summary>The API key the request presents, if any.</summary>
    internal static string? ReadKey(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return header["Bearer ".Length..].Trim();
        }

        return request.Path.StartsWithSegments("/hubs") && request.Query.TryGetValue("access_token", out var token) && !string.IsNullOrEmpty(token)
            ? token.ToString()
            : null;
    }

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (ReadKey(Request) is not { } presented)
        {
            return AuthenticateResult.NoResult();
        }

        var key = await store.FindAsync(presented, Context.RequestAborted);
        if (key is null)
        {
            return AuthenticateResult.Fail("Invalid API key.");
        }

        var identity = new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, $"apikey:{key.Id}"),
            new Claim(ClaimTypes.Name, $"api key '{key.Name}'"),
            new Claim(ClaimTypes.Role, key.Role),
            new Claim(AuthenticationMethodClaim, "apikey"),
        ], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        return Task.CompletedTask;
    }
}

public static class Policies
{
    public const string Viewer = "Viewer";
    public const string Responder = "Responder";
    public const string Admin = "Admin";
}
