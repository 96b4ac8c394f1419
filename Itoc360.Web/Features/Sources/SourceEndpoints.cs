using System.Security.Claims;
using Itoc360.Domain;
using Itoc360.Domain.Incidents;
using Itoc360.Domain.Sources;
using Itoc360.Web.Data;
using Itoc360.Web.Features.Auth;
using Itoc360.Web.Features.Webhooks;
using Itoc360.Web.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Itoc360.Web.Features.Sources;

public sealed record SourceDto(
    Guid Id, string Name, string Kind, bool Enabled, string WebhookUrl, PriorityMappingDto PriorityMapping,
    DateTime CreatedAt, DateTime? LastDeliveryAt, bool HasTwilioAuthToken, IReadOnlyList<TokenInfo> Tokens,
    int? AcknowledgementTimeoutHours, int? AutoResolveHours, int? DeliveryRetentionDays, Guid? EscalationPolicyId = null);

/// <summary>A webhook token without its value: when it was made, until when it works (null: current), when it was last used.</summary>
public sealed record TokenInfo(DateTime CreatedAt, DateTime? ValidUntil, DateTime? LastUsedAt);

public sealed record CreateSourceRequest(string? Name, string? Kind, string? TwilioAuthToken);

/// <summary>
/// A partial change of a source; absent fields stay as they are. The workflow settings take 0 for "off"
/// (acknowledgement timeout, auto-resolve) and for "keep forever" (delivery retention).
/// </summary>
public sealed record PatchSourceRequest(
    string? Name = null, bool? Enabled = null, string? TwilioAuthToken = null, string? TwilioAlternateAuthToken = null,
    int? AcknowledgementTimeoutHours = null, int? AutoResolveHours = null, int? DeliveryRetentionDays = null,
    string? EscalationPolicyId = null);

public sealed record RotateTokenResponse(string WebhookUrl, DateTime PreviousTokenValidUntil);

public sealed record DeliveryItem(Guid Id, DateTime ReceivedAt, string Method, string Outcome, int StatusCode, string? Error, Guid? IncidentId);

public static class SourceEndpoints
{
    public static RouteGroupBuilder MapSourceEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/sources").WithTags("Sources").RequireAuthorization(Policies.Admin);
        group.MapGet("/", ListSourcesAsync);
        group.MapGet("/{id:guid}", GetSourceAsync);
        group.MapPost("/", CreateSourceAsync);
        group.MapPatch("/{id:guid}", PatchSourceAsync);
        group.MapPut("/{id:guid}/priority-mapping", PutPriorityMappingAsync);
        group.MapPost("/{id:guid}/tokens/rotate", RotateTokenAsync);
        group.MapGet("/{id:guid}/deliveries", ListDeliveriesAsync);

        // Responders replay what failed while they work an incident, as in the console.
        app.MapPost("/api/v1/deliveries/{id:guid}/replay", ReplayDeliveryAsync)
            .WithTags("Sources")
            .RequireAuthorization(Policies.Responder);
        return group;
    }

    private static async Task<Ok<SourceDto[]>> ListSourcesAsync(SourceAdmin admin, PublicUrls urls, HttpRequest request, CancellationToken ct) =>
        TypedResults.Ok(await admin.ListAsync(urls.BaseUrl(request), ct));

    private static async Task<Results<Ok<SourceDto>, ProblemHttpResult>> GetSourceAsync(Guid id, SourceAdmin admin, PublicUrls urls, HttpRequest request, CancellationToken ct) =>
        await admin.GetAsync(new SourceId(id), urls.BaseUrl(request), ct) is { } dto ? TypedResults.Ok(dto) : NotFound();

    private static async Task<Results<Created<SourceDto>, ProblemHttpResult>> CreateSourceAsync(
        CreateSourceRequest body, SourceAdmin admin, PublicUrls urls, HttpRequest request, ClaimsPrincipal user, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(body.Name) || body.Name.Trim().Length > 200)
        {
            return Problems.Invalid("name", "A name of 1 to 200 characters is required.");
        }

        if (!SourceCatalog.TryGet(body.Kind, out var parser))
        {
            return Problems.Invalid("kind", $"Unknown kind '{body.Kind}'. Known kinds: {string.Join(", ", SourceCatalog.Kinds)}.");
        }

        var dto = await admin.CreateAsync(body.Name.Trim(), parser, body.TwilioAuthToken, Actor(user), urls.BaseUrl(request), ct);
        return TypedResults.Created($"/api/v1/sources/{dto.Id}", dto);
    }

    private static async Task<Results<Ok<SourceDto>, ProblemHttpResult>> PatchSourceAsync(
        Guid id, PatchSourceRequest body, SourceAdmin admin, PublicUrls urls, HttpRequest request, ClaimsPrincipal user, CancellationToken ct)
    {
        if (body.Name is not null && (string.IsNullOrWhiteSpace(body.Name) || body.Name.Trim().Length > 200))
        {
            return Problems.Invalid("name", "A name of 1 to 200 characters is required.");
        }

        if (SourceAdmin.ValidateWorkflow(body) is { } invalid)
        {
            return Problems.Invalid(invalid.Field, invalid.Message);
        }

        if (body.EscalationPolicyId is { Length: > 0 } policy && !Guid.TryParse(policy, out _))
        {
            return Problems.Invalid("escalationPolicyId", "escalationPolicyId is a policy id, or \"\" to page nobody by default.");
        }

        if (await admin.CheckPolicyAsync(body, ct) is { } missing)
        {
            return Problems.Invalid("escalationPolicyId", missing);
        }

        return await admin.PatchAsync(new SourceId(id), body, Actor(user), urls.BaseUrl(request), ct) is { } dto ? TypedResults.Ok(dto) : NotFound();
    }

    private static async Task<Results<Ok<SourceDto>, ProblemHttpResult>> PutPriorityMappingAsync(
        Guid id, PriorityMappingDto body, SourceAdmin admin, PublicUrls urls, HttpRequest request, ClaimsPrincipal user, CancellationToken ct)
    {
        if (body.Rules is null)
        {
            return Problems.Invalid("rules", "The mapping needs a 'rules' array (it may be empty).");
        }

        for (var i = 0; i < body.Rules.Count; i++)
        {
            var rule = body.Rules[i];
            if (rule is null || string.IsNullOrWhiteSpace(rule.Field) || rule.EqualsValue is null)
            {
                return Problems.Invalid($"rules[{i}]", "Every rule needs a 'field', an 'equals' value and a 'priority'.");
            }
        }

        return await admin.SetMappingAsync(new SourceId(id), body.ToMapping(), Actor(user), urls.BaseUrl(request), ct) is { } dto
            ? TypedResults.Ok(dto)
            : NotFound();
    }

    private static async Task<Results<Ok<RotateTokenResponse>, ProblemHttpResult>> RotateTokenAsync(
        Guid id, SourceAdmin admin, PublicUrls urls, HttpRequest request, ClaimsPrincipal user, CancellationToken ct) =>
        await admin.RotateTokenAsync(new SourceId(id), Actor(user), urls.BaseUrl(request), ct) is { } rotated ? TypedResults.Ok(rotated) : NotFound();

    private static async Task<Results<Ok<Page<DeliveryItem>>, ProblemHttpResult>> ListDeliveriesAsync(
        Guid id, string? outcome, int? page, int? pageSize, IDbContextFactory<AppDbContext> dbFactory, CancellationToken ct)
    {
        var sourceId = new SourceId(id);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.Sources.AnyAsync(s => s.Id == sourceId, ct))
        {
            return NotFound();
        }

        var size = Math.Clamp(pageSize ?? 50, 1, 500);
        var skip = (Math.Max(page ?? 1, 1) - 1) * size;
        var query = db.Deliveries.AsNoTracking().Where(d => d.SourceId == sourceId);
        if (!string.IsNullOrWhiteSpace(outcome))
        {
            var wanted = outcome.Trim().ToLowerInvariant();
            query = query.Where(d => d.Outcome == wanted);
        }

        var total = await query.CountAsync(ct);
        var items = await query.OrderByDescending(d => d.ReceivedAt).ThenByDescending(d => d.Id).Skip(skip).Take(size)
            .Select(d => new DeliveryItem(d.Id.Value, d.ReceivedAt, d.Method, d.Outcome, d.StatusCode, d.Error,
                d.IncidentId == null ? null : d.IncidentId.Value.Value))
            .ToListAsync(ct);
        return TypedResults.Ok(new Page<DeliveryItem>(items, total));
    }

    private static Task<IResult> ReplayDeliveryAsync(Guid id, AlertIngestion ingestion, HttpContext http) =>
        ingestion.ReplayAsync(new DeliveryId(id), http, http.RequestAborted);

    internal static string Actor(ClaimsPrincipal user) => user.Identity?.Name ?? "unknown";

    private static ProblemHttpResult NotFound() => Problems.NotFound("No such source.");
}
