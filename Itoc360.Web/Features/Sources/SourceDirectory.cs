using System.Collections.Concurrent;
using System.Text;
using Itoc360.Domain;
using Itoc360.Domain.Priorities;
using Itoc360.Domain.Sources;
using Itoc360.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Itoc360.Web.Features.Sources;

/// <summary>A webhook token as the hot path needs it.</summary>
public sealed record ActiveToken(long Id, byte[] Utf8, DateTime? ValidUntil);

/// <summary>What the webhook path needs to know about a source, read once and cached.</summary>
public sealed record SourceSnapshot(
    SourceId Id,
    string Name,
    string Kind,
    bool Enabled,
    ISourceParser? Parser,
    PriorityMapping Mapping,
    IReadOnlyList<ActiveToken> Tokens,
    IReadOnlyList<string> TwilioAuthTokens,
    Domain.Paging.RoutingRules? Routing = null)
{
    /// <summary>The policy that pages for a new incident from this alert; null when nobody is paged.</summary>
    public Domain.Paging.EscalationPolicyId? PolicyFor(NormalizedAlert alert, Domain.Incidents.Priority priority) =>
        Routing is null || alert.Action == AlertAction.Resolve ? null
        : Routing.Rules.Count == 0 ? Routing.DefaultPolicyId
        : Routing.Evaluate(Paging.OnCallSetup.RoutingFields(alert.Fields, priority)).PolicyId;

    /// <summary>The token that matches <paramref name="presented"/> and is still valid at <paramref name="nowUtc"/>; every candidate is compared in constant time.</summary>
    public ActiveToken? MatchToken(string? presented, DateTime nowUtc)
    {
        ActiveToken? match = null;
        foreach (var token in Tokens)
        {
            if (SourceSecrets.SecretEquals(presented, token.Utf8) && (token.ValidUntil is null || token.ValidUntil > nowUtc))
            {
                match = token;
            }
        }

        return match;
    }
}

/// <summary>
/// In-memory directory of sources for the webhook hot path. Entries are dropped when the source
/// changes in this process and re-read after a short time otherwise (other instances may change them).
/// </summary>
public sealed class SourceDirectory(IDbContextFactory<AppDbContext> dbFactory, SourceSecrets secrets, TimeProvider time)
{
    private static readonly TimeSpan FreshFor = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan UnknownFreshFor = TimeSpan.FromSeconds(5);
    private readonly ConcurrentDictionary<SourceId, (SourceSnapshot? Snapshot, long LoadedAt)> _cache = new();

    public async ValueTask<SourceSnapshot?> GetAsync(SourceId id, CancellationToken cancellationToken)
    {
        var now = time.GetTimestamp();
        if (_cache.TryGetValue(id, out var entry))
        {
            var age = time.GetElapsedTime(entry.LoadedAt, now);
            if (age < (entry.Snapshot is null ? UnknownFreshFor : FreshFor))
            {
                return entry.Snapshot;
            }
        }

        var snapshot = await LoadAsync(id, cancellationToken);
        _cache[id] = (snapshot, now);
        return snapshot;
    }

    public void Invalidate(SourceId id) => _cache.TryRemove(id, out _);

    private async Task<SourceSnapshot?> LoadAsync(SourceId id, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var source = await db.Sources.AsNoTracking().Include(s => s.Tokens).FirstOrDefaultAsync(s => s.Id == id, cancellationToken);
        if (source is null)
        {
            return null;
        }

        SourceCatalog.TryGet(source.Kind, out var parser);
        var tokens = source.Tokens
            .Select(t => new ActiveToken(t.Id, Encoding.UTF8.GetBytes(secrets.UnprotectToken(t.TokenProtected)), t.ValidUntil))
            .ToArray();
        var twilio = new[] { secrets.UnprotectTwilio(source.TwilioAuthTokenProtected), secrets.UnprotectTwilio(source.TwilioAlternateAuthTokenProtected) }
            .OfType<string>()
            .ToArray();
        return new SourceSnapshot(source.Id, source.Name, source.Kind, source.Enabled, parser,
            PriorityMappingJson.Parse(source.PriorityMappingJson), tokens, twilio,
            source.EscalationPolicyId is null && source.RoutingRulesJson is null ? null
                : Paging.PagingJson.ParseRouting(source.EscalationPolicyId, source.RoutingRulesJson));
    }
}
