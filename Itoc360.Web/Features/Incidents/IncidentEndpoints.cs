using System.Security.Claims;
using Itoc360.Domain;
using Itoc360.Domain.Incidents;
using Itoc360.Web.Features.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Itoc360.Web.Features.Incidents;

public sealed record ResolveRequest(string? Note);

public sealed record SnoozeRequest(int? Minutes);

public sealed record ResolveWhenQuietRequest(int? Minutes);

public sealed record BulkRequest(string? Action, IReadOnlyList<Guid>? Ids, string? Note);

public sealed record BulkAccepted(Guid JobId);

public static class IncidentEndpoints
{
    public const int MaxSnoozeMinutes = 7 * 24 * 60;

    public static RouteGroupBuilder MapIncidentEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/incidents").WithTags("Incidents").RequireAuthorization(Policies.Viewer);
        group.MapGet("/", ListIncidentsAsync);
        group.MapGet("/{id:guid}", GetIncidentAsync);
        group.MapPost("/{id:guid}/acknowledge", AcknowledgeAsync).RequireAuthorization(Policies.Responder);
        group.MapPost("/{id:guid}/resolve", ResolveAsync).RequireAuthorization(Policies.Responder);
        group.MapPost("/{id:guid}/snooze", SnoozeAsync).RequireAuthorization(Policies.Responder);
        group.MapPost("/{id:guid}/resolve-when-quiet", ResolveWhenQuietAsync).RequireAuthorization(Policies.Responder);
        group.MapDelete("/{id:guid}/resolve-when-quiet", CancelResolveWhenQuietAsync).RequireAuthorization(Policies.Responder);
        group.MapPost("/bulk", BulkAsync).RequireAuthorization(Policies.Responder);
        return group;
    }

    public static RouteGroupBuilder MapJobEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/jobs").WithTags("Jobs").RequireAuthorization(Policies.Viewer);
        group.MapGet("/{id:guid}", GetJobAsync);
        return group;
    }

    private static Task<Results<Ok<IncidentItem>, ProblemHttpResult>> ResolveWhenQuietAsync(
        Guid id, ResolveWhenQuietRequest? body, IncidentActions actions, IncidentQueries queries, ClaimsPrincipal user, HttpContext http)
    {
        if (body?.Minutes is not { } minutes || minutes < 1 || minutes > Incident.MaxQuietMinutes)
        {
            return Task.FromResult<Results<Ok<IncidentItem>, ProblemHttpResult>>(
                Problems.Invalid("minutes", $"minutes must be a whole number from 1 to {Incident.MaxQuietMinutes}."));
        }

        return RespondAsync(new IncidentId(id),
            actions.ResolveWhenQuietAsync(new IncidentId(id), ActorOf(user), minutes, http.RequestAborted), queries, http.RequestAborted);
    }

    private static Task<Results<Ok<IncidentItem>, ProblemHttpResult>> CancelResolveWhenQuietAsync(
        Guid id, IncidentActions actions, IncidentQueries queries, ClaimsPrincipal user, HttpContext http) =>
        RespondAsync(new IncidentId(id), actions.CancelResolveWhenQuietAsync(new IncidentId(id), ActorOf(user), http.RequestAborted), queries, http.RequestAborted);

    private static async Task<Results<Accepted<BulkAccepted>, ProblemHttpResult>> BulkAsync(
        BulkRequest? body, BulkActions bulk, ClaimsPrincipal user, CancellationToken ct)
    {
        if (BulkActions.NormalizeAction(body?.Action) is not { } action)
        {
            return Problems.Invalid("action", "action must be acknowledge or resolve.");
        }

        if (body!.Ids is not { Count: > 0 and <= BulkActions.MaxIds } ids)
        {
            return Problems.Invalid("ids", $"ids must list from 1 to {BulkActions.MaxIds} incident ids.");
        }

        if (body.Note is { Length: > 2000 })
        {
            return Problems.Invalid("note", "A note has at most 2000 characters.");
        }

        var jobId = await bulk.SubmitAsync(action, ids, body.Note, ActorOf(user), ct);
        return TypedResults.Accepted($"/api/v1/jobs/{jobId}", new BulkAccepted(jobId));
    }

    private static async Task<Results<Ok<BulkJobStatus>, ProblemHttpResult>> GetJobAsync(Guid id, BulkActions bulk, CancellationToken ct) =>
        await bulk.GetAsync(id, ct) is { } status ? TypedResults.Ok(status) : Problems.NotFound("No such job.");

    private static async Task<Results<Ok<Page<IncidentItem>>, ProblemHttpResult>> ListIncidentsAsync(
        string? status, string? priority, Guid? sourceId, string? q, int? page, int? pageSize, IncidentQueries queries, CancellationToken ct)
    {
        IncidentStatus? statusFilter = null;
        if (!string.IsNullOrWhiteSpace(status))
        {
            if (!Enum.TryParse<IncidentStatus>(status, true, out var parsed) || !Enum.IsDefined(parsed))
            {
                return Problems.Invalid("status", "status must be Triggered, Acknowledged or Resolved.");
            }

            statusFilter = parsed;
        }

        Priority? priorityFilter = null;
        if (!string.IsNullOrWhiteSpace(priority))
        {
            if (!PriorityExtensions.TryParse(priority, out var parsed))
            {
                return Problems.Invalid("priority", "priority must be Critical, High, Medium or Low.");
            }

            priorityFilter = parsed;
        }

        var filter = new IncidentFilter(statusFilter, priorityFilter, sourceId is { } s ? new SourceId(s) : null, q,
            Math.Max(page ?? 1, 1), Math.Clamp(pageSize ?? 50, 1, 500));
        var (items, total) = await queries.ListAsync(filter, ct);
        return TypedResults.Ok(new Page<IncidentItem>(items, total));
    }

    private static async Task<Results<Ok<IncidentDetailResponse>, ProblemHttpResult>> GetIncidentAsync(Guid id, IncidentQueries queries, CancellationToken ct) =>
        await queries.GetDetailAsync(new IncidentId(id), ct) is { } detail
            ? TypedResults.Ok(IncidentDetailResponse.From(detail))
            : NotFound();

    private static Task<Results<Ok<IncidentItem>, ProblemHttpResult>> AcknowledgeAsync(
        Guid id, IncidentActions actions, IncidentQueries queries, ClaimsPrincipal user, HttpContext http) =>
        RespondAsync(new IncidentId(id), actions.AcknowledgeAsync(new IncidentId(id), ActorOf(user), http.RequestAborted), queries, http.RequestAborted);

    private static Task<Results<Ok<IncidentItem>, ProblemHttpResult>> ResolveAsync(
        Guid id, ResolveRequest? body, IncidentActions actions, IncidentQueries queries, ClaimsPrincipal user, HttpContext http)
    {
        var note = body?.Note?.Trim();
        if (note is { Length: > 2000 })
        {
            return Task.FromResult<Results<Ok<IncidentItem>, ProblemHttpResult>>(Problems.Invalid("note", "A note has at most 2000 characters."));
        }

        return RespondAsync(new IncidentId(id), actions.ResolveAsync(new IncidentId(id), ActorOf(user), note, http.RequestAborted), queries, http.RequestAborted);
    }

    private static Task<Results<Ok<IncidentItem>, ProblemHttpResult>> SnoozeAsync(
        Guid id, SnoozeRequest? body, IncidentActions actions, IncidentQueries queries, ClaimsPrincipal user, HttpContext http)
    {
        if (body?.Minutes is not { } minutes || minutes < 1 || minutes > MaxSnoozeMinutes)
        {
            return Task.FromResult<Results<Ok<IncidentItem>, ProblemHttpResult>>(
                Problems.Invalid("minutes", $"minutes must be a whole number from 1 to {MaxSnoozeMinutes}."));
        }

        return RespondAsync(new IncidentId(id),
            actions.SnoozeAsync(new IncidentId(id), ActorOf(user), TimeSpan.FromMinutes(minutes), http.RequestAborted), queries, http.RequestAborted);
    }

    private static async Task<Results<Ok<IncidentItem>, ProblemHttpResult>> RespondAsync(
        IncidentId id, Task<ActionResult> action, IncidentQueries queries, CancellationToken ct)
    {
        var result = await action;
        return result.Status switch
        {
            ActionStatus.NotFound => NotFound(),
            ActionStatus.Conflict => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: result.Problem),
            _ => await queries.GetAsync(id, ct) is { } item ? TypedResults.Ok(item) : NotFound(),
        };
    }

    /// <summary>API calls are "api"; a signed-in browser is "browser".</summary>
    internal static Actor ActorOf(ClaimsPrincipal user)
    {
        var name = user.Identity?.Name ?? "unknown";
        var via = user.HasClaim(ApiKeyAuthenticationHandler.AuthenticationMethodClaim, "apikey") ? Via.Api : Via.Browser;
        return new Actor(name, via);
    }

    private static ProblemHttpResult NotFound() => Problems.NotFound("No such incident.");
}

/// <summary>The incident item's fields at the top level, plus its alerts and timeline.</summary>
public sealed record IncidentDetailResponse(
    Guid Id, long Number, string Title, IncidentStatus Status, Priority Priority, Guid SourceId, string DedupKey, int AlertCount,
    DateTime CreatedAt, DateTime LastAlertAt, DateTime? AcknowledgedAt, string? AcknowledgedBy, DateTime? ResolvedAt, string? ResolvedBy,
    DateTime? SnoozedUntil, int Version, int? ResolveWhenQuietMinutes, DateTime? ResolveWhenQuietAt,
    IReadOnlyList<AlertItem> Alerts, IReadOnlyList<TimelineItem> Timeline)
{
    public static IncidentDetailResponse From(IncidentDetail d)
    {
        var i = d.Incident;
        return new(i.Id, i.Number, i.Title, i.Status, i.Priority, i.SourceId, i.DedupKey, i.AlertCount, i.CreatedAt, i.LastAlertAt,
            i.AcknowledgedAt, i.AcknowledgedBy, i.ResolvedAt, i.ResolvedBy, i.SnoozedUntil, i.Version,
            i.ResolveWhenQuietAt is null ? null : i.ResolveWhenQuietMinutes, i.ResolveWhenQuietAt, d.Alerts, d.Timeline);
    }
}
