using System.Security.Claims;
using Itoc360.Domain;
using Itoc360.Web.Features.Auth;
using Itoc360.Web.Features.People;
using Itoc360.Web.Features.Sources;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Itoc360.Web.Features.Paging;

/// <summary>The paging part of <c>/api/v1</c>: schedules, escalation policies, routing, contact methods and notifications.</summary>
public static class PagingEndpoints
{
    public static IEndpointRouteBuilder MapPagingEndpoints(this IEndpointRouteBuilder app)
    {
        var schedules = app.MapGroup("/api/v1/schedules").WithTags("On-call");
        schedules.MapGet("/", async (OnCallSetup setup, CancellationToken ct) => TypedResults.Ok(await setup.ListSchedulesAsync(ct)))
            .RequireAuthorization(Policies.Viewer);
        schedules.MapGet("/{id:guid}", async Task<Results<Ok<ScheduleDto>, ProblemHttpResult>> (Guid id, OnCallSetup setup, CancellationToken ct) =>
            await setup.GetScheduleAsync(id, ct) is { } s ? TypedResults.Ok(s) : Problems.NotFound("No such schedule.")).RequireAuthorization(Policies.Viewer);
        schedules.MapGet("/{id:guid}/shifts", async Task<Results<Ok<IReadOnlyList<ShiftDto>>, ProblemHttpResult>> (Guid id, DateTime? from, DateTime? until,
            OnCallSetup setup, TimeProvider time, CancellationToken ct) =>
        {
            var start = from?.ToUniversalTime() ?? time.GetUtcNow().UtcDateTime;
            var end = until?.ToUniversalTime() ?? start.AddDays(14);
            if (end <= start || end - start > TimeSpan.FromDays(92))
            {
                return Problems.Invalid("until", "until is after from, and at most 92 days later.");
            }

            return await setup.ShiftsAsync(id, start, end, ct) is { } shifts ? TypedResults.Ok(shifts) : Problems.NotFound("No such schedule.");
        }).RequireAuthorization(Policies.Viewer);
        schedules.MapPost("/", async Task<Results<Created<ScheduleDto>, ProblemHttpResult>> (ScheduleRequest? body, OnCallSetup setup, ClaimsPrincipal user, CancellationToken ct) =>
        {
            var (schedule, invalid) = await setup.CreateScheduleAsync(body ?? new ScheduleRequest(null, null, null), Actor(user), ct);
            return invalid is not null ? Problem(invalid) : TypedResults.Created($"/api/v1/schedules/{schedule!.Id}", schedule);
        }).RequireAuthorization(Policies.Admin);
        schedules.MapPut("/{id:guid}", async Task<Results<Ok<ScheduleDto>, ProblemHttpResult>> (Guid id, ScheduleRequest? body, OnCallSetup setup, ClaimsPrincipal user, CancellationToken ct) =>
        {
            var (schedule, invalid) = await setup.UpdateScheduleAsync(id, body ?? new ScheduleRequest(null, null, null), Actor(user), ct);
            return invalid is not null ? Problem(invalid) : schedule is not null ? TypedResults.Ok(schedule) : Problems.NotFound("No such schedule.");
        }).RequireAuthorization(Policies.Admin);
        schedules.MapDelete("/{id:guid}", async Task<Results<NoContent, ProblemHttpResult>> (Guid id, OnCallSetup setup, ClaimsPrincipal user, CancellationToken ct) =>
            await setup.DeleteScheduleAsync(id, Actor(user), ct) ? TypedResults.NoContent() : Problems.NotFound("No such schedule."))
            .RequireAuthorization(Policies.Admin);
        schedules.MapPost("/{id:guid}/overrides", async Task<Results<Created<ScheduleDto>, ProblemHttpResult>> (Guid id, OverrideRequest? body, OnCallSetup setup, ClaimsPrincipal user, CancellationToken ct) =>
        {
            var (schedule, invalid) = await setup.AddOverrideAsync(id, body ?? new OverrideRequest(null, null, null), Actor(user), ct);
            return invalid is not null ? Problem(invalid) : schedule is not null ? TypedResults.Created($"/api/v1/schedules/{id}", schedule) : Problems.NotFound("No such schedule.");
        }).RequireAuthorization(Policies.Admin);
        schedules.MapDelete("/{id:guid}/overrides/{overrideId:long}", async Task<Results<NoContent, ProblemHttpResult>> (Guid id, long overrideId, OnCallSetup setup, ClaimsPrincipal user, CancellationToken ct) =>
            await setup.RemoveOverrideAsync(id, overrideId, Actor(user), ct) ? TypedResults.NoContent() : Problems.NotFound("No such override."))
            .RequireAuthorization(Policies.Admin);

        var policies = app.MapGroup("/api/v1/escalation-policies").WithTags("On-call");
        policies.MapGet("/", async (OnCallSetup setup, CancellationToken ct) => TypedResults.Ok(await setup.ListPoliciesAsync(ct))).RequireAuthorization(Policies.Viewer);
        policies.MapGet("/{id:guid}", async Task<Results<Ok<PolicyDto>, ProblemHttpResult>> (Guid id, OnCallSetup setup, CancellationToken ct) =>
            await setup.GetPolicyAsync(id, ct) is { } p ? TypedResults.Ok(p) : Problems.NotFound("No such escalation policy.")).RequireAuthorization(Policies.Viewer);
        policies.MapPost("/", async Task<Results<Created<PolicyDto>, ProblemHttpResult>> (PolicyRequest? body, OnCallSetup setup, ClaimsPrincipal user, CancellationToken ct) =>
        {
            var (policy, invalid) = await setup.SavePolicyAsync(null, body ?? new PolicyRequest(null, null, null), Actor(user), ct);
            return invalid is not null ? Problem(invalid) : TypedResults.Created($"/api/v1/escalation-policies/{policy!.Id}", policy);
        }).RequireAuthorization(Policies.Admin);
        policies.MapPut("/{id:guid}", async Task<Results<Ok<PolicyDto>, ProblemHttpResult>> (Guid id, PolicyRequest? body, OnCallSetup setup, ClaimsPrincipal user, CancellationToken ct) =>
        {
            var (policy, invalid) = await setup.SavePolicyAsync(id, body ?? new PolicyRequest(null, null, null), Actor(user), ct);
            return invalid is not null ? Problem(invalid) : policy is not null ? TypedResults.Ok(policy) : Problems.NotFound("No such escalation policy.");
        }).RequireAuthorization(Policies.Admin);
        policies.MapDelete("/{id:guid}", async Task<Results<NoContent, ProblemHttpResult>> (Guid id, OnCallSetup setup, ClaimsPrincipal user, CancellationToken ct) =>
        {
            var (found, usedBy) = await setup.DeletePolicyAsync(id, Actor(user), ct);
            return !found ? Problems.NotFound("No such escalation policy.")
                : usedBy.Count > 0 ? TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict",
                    detail: "The policy is used by " + string.Join(", ", usedBy.Select(s => s.Name)) + ".")
                : TypedResults.NoContent();
        }).RequireAuthorization(Policies.Admin);

        var routing = app.MapGroup("/api/v1/sources/{id:guid}/routing").WithTags("Sources").RequireAuthorization(Policies.Admin);
        routing.MapGet("/", async Task<Results<Ok<RoutingDto>, ProblemHttpResult>> (Guid id, OnCallSetup setup, CancellationToken ct) =>
            await setup.GetRoutingAsync(new SourceId(id), ct) is { } r ? TypedResults.Ok(r) : Problems.NotFound("No such source."));
        routing.MapPut("/", async Task<Results<Ok<RoutingDto>, ProblemHttpResult>> (Guid id, RoutingRequest? body, OnCallSetup setup, ClaimsPrincipal user, CancellationToken ct) =>
        {
            var (result, invalid) = await setup.SetRoutingAsync(new SourceId(id), body ?? new RoutingRequest(null), Actor(user), ct);
            return invalid is not null ? Problem(invalid) : result is not null ? TypedResults.Ok(result) : Problems.NotFound("No such source.");
        });

        app.MapGet("/api/v1/incidents/{id:guid}/notifications", async Task<Results<Ok<IReadOnlyList<NotificationItem>>, ProblemHttpResult>> (
                Guid id, PagingQueries queries, CancellationToken ct) =>
            await queries.ForIncidentAsync(new IncidentId(id), ct) is { } list ? TypedResults.Ok(list) : Problems.NotFound("No such incident."))
            .WithTags("Incidents").RequireAuthorization(Policies.Viewer);

        var contacts = app.MapGroup("/api/v1/users/{userId}/contact-methods").WithTags("People").RequireAuthorization(Policies.Admin);
        contacts.MapPost("/", async Task<Results<Created<ContactMethodDto>, ProblemHttpResult>> (string userId, AddContactRequest? body, ContactVerification verification, CancellationToken ct) =>
        {
            var (method, error) = await verification.AddAsync(userId, body ?? new AddContactRequest(null, null, null), ct);
            return error is not null ? Problems.Invalid(error.Field, error.Message)
                : method is not null ? TypedResults.Created($"/api/v1/users/{userId}", method) : Problems.NotFound("No such user.");
        });
        contacts.MapDelete("/{methodId:guid}", async Task<Results<NoContent, ProblemHttpResult>> (string userId, Guid methodId, ContactVerification verification, CancellationToken ct) =>
            await verification.RemoveAsync(userId, methodId, ct) ? TypedResults.NoContent() : Problems.NotFound("No such contact method."));
        contacts.MapPost("/{methodId:guid}/verification", async Task<Results<Accepted, ProblemHttpResult>> (string userId, Guid methodId, ContactVerification verification, CancellationToken ct) =>
        {
            var (found, problem) = await verification.SendCodeAsync(userId, methodId, ct);
            return !found ? Problems.NotFound("No such contact method.")
                : problem is not null ? TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: problem)
                : TypedResults.Accepted((string?)null);
        });
        contacts.MapPost("/{methodId:guid}/verification/confirm", async Task<Results<Ok<ContactMethodDto>, ProblemHttpResult>> (string userId, Guid methodId, ConfirmCodeRequest? body, ContactVerification verification, CancellationToken ct) =>
        {
            var (method, problem) = await verification.ConfirmAsync(userId, methodId, body?.Code, ct);
            return method is not null ? TypedResults.Ok(method)
                : problem is not null ? Problems.Invalid("code", problem)
                : Problems.NotFound("No such contact method.");
        });
        contacts.MapPost("/{methodId:guid}/test", async Task<Results<Accepted<TestPageResponse>, ProblemHttpResult>> (string userId, Guid methodId, TestPageRequest? body, ContactVerification verification, CancellationToken ct) =>
        {
            var (id, problem) = await verification.SendTestAsync(userId, methodId, body?.Channel, ct);
            return id is { } sent ? TypedResults.Accepted((string?)null, new TestPageResponse(sent))
                : problem is not null ? TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: problem)
                : Problems.NotFound("No such contact method.");
        });

        app.MapGet("/api/v1/oncall", async (OnCallSetup setup, CancellationToken ct) =>
                TypedResults.Ok((await setup.ListSchedulesAsync(ct)).Select(s => new { scheduleId = s.Id, schedule = s.Name, now = s.OnCallNow, next = s.Next })))
            .WithTags("On-call").RequireAuthorization(Policies.Viewer);
        return app;
    }

    private static string Actor(ClaimsPrincipal user) => SourceEndpoints.Actor(user);

    private static ProblemHttpResult Problem(Invalid invalid)
    {
        var (_, message) = invalid.First;
        return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid request", detail: message,
            extensions: new Dictionary<string, object?> { ["errors"] = invalid.Errors });
    }
}

public sealed record TestPageResponse(long NotificationId);
