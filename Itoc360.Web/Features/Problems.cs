using Microsoft.AspNetCore.Http.HttpResults;

namespace Itoc360.Web.Features;

/// <summary>A page of a list: the items asked for and how many there are in all.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, int Total);

/// <summary>The RFC 7807 problem answers the API endpoints share.</summary>
internal static class Problems
{
    public static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: detail);

    /// <summary>400 naming the offending field, in the shape of validation problems (<c>errors: {field: [message]}</c>).</summary>
    public static ProblemHttpResult Invalid(string field, string message) =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid request", detail: message,
            extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { [field] = [message] } });
}
