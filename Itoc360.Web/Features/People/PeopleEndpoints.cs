using System.Security.Claims;
using Itoc360.Web.Features.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Itoc360.Web.Features.People;

/// <summary>The generated password, shown once, when the request gave none.</summary>
public sealed record CreatedUserResponse(UserDto User, string? GeneratedPassword);

public static class PeopleEndpoints
{
    public static RouteGroupBuilder MapPeopleEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/users").WithTags("People").RequireAuthorization(Policies.Admin);
        group.MapGet("/", async (PeopleDirectory people, CancellationToken ct) => TypedResults.Ok(await people.ListAsync(ct)));
        group.MapGet("/{id}", GetUserAsync);
        group.MapPost("/", CreateUserAsync);
        group.MapPut("/{id}/contact-rules", PutContactRulesAsync);
        return group;
    }

    private static async Task<Results<Ok<UserDto>, ProblemHttpResult>> GetUserAsync(string id, PeopleDirectory people, CancellationToken ct) =>
        await people.GetAsync(id, ct) is { } user ? TypedResults.Ok(user) : Problems.NotFound("No such user.");

    private static async Task<Results<Created<CreatedUserResponse>, ProblemHttpResult>> CreateUserAsync(
        CreateUserRequest? body, PeopleDirectory people, ClaimsPrincipal principal, CancellationToken ct)
    {
        if (body is null)
        {
            return Problems.Invalid("email", "Send a JSON object with email, name and role.");
        }

        var (user, error, generated) = await people.CreateAsync(body, AdminActor.From(principal), ct);
        if (error is not null)
        {
            return error.Message.Contains("already exists", StringComparison.Ordinal)
                ? TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: error.Message)
                : Problems.Invalid(error.Field, error.Message);
        }

        return TypedResults.Created($"/api/v1/users/{user!.Id}", new CreatedUserResponse(user, generated));
    }

    private static async Task<Results<Ok<UserDto>, ProblemHttpResult>> PutContactRulesAsync(
        string id, ContactRulesRequest? body, PeopleDirectory people, CancellationToken ct)
    {
        var (user, error) = await people.SetContactRulesAsync(id, body ?? new ContactRulesRequest(null, null), ct);
        return error is not null ? Problems.Invalid(error.Field, error.Message)
            : user is not null ? TypedResults.Ok(user)
            : Problems.NotFound("No such user.");
    }
}
