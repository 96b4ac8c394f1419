using Itoc360.Web.Data;
using Microsoft.AspNetCore.Identity;

namespace Itoc360.Web.Features.Auth;

public static class AccountEndpoints
{
    /// <summary>Sign-out is a POST with an antiforgery token, so another site cannot sign people out.</summary>
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/account/logout", SignOutAsync).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> SignOutAsync(SignInManager<AppUser> signInManager, HttpContext context)
    {
        await signInManager.SignOutAsync();
        return TypedResults.LocalRedirect("~/account/login");
    }
}
