using Bunit;
using Itoc360.Web.Data;
using Itoc360.Web.Features.Incidents;
using Itoc360.Web.Features.Sources;
using Itoc360.Web.Realtime;
using System.Security.Claims;
using Itoc360.Web.Features.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace Itoc360.Tests.TestSupport;

/// <summary>
/// A bUnit context wired to a real app (<see cref="AppFactory"/>: temp SQLite, real notifier, fake clock):
/// components read and change the same database the webhooks write, and the clock drives coalescing.
/// </summary>
public static class ConsoleComponents
{
    public static BunitContext Create(AppFactory app, string role, string userName = "tester@example.com", string? userId = null)
    {
        var ctx = new BunitContext();
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.Services.AddMudServices(o =>
        {
            o.PopoverOptions.CheckForPopoverProvider = false;
            o.SnackbarConfiguration.ShowTransitionDuration = 0;
            o.SnackbarConfiguration.HideTransitionDuration = 0;
        });
        var services = app.Services;
        ctx.Services.AddSingleton(services.GetRequiredService<IDbContextFactory<AppDbContext>>());
        ctx.Services.AddSingleton(services.GetRequiredService<IncidentQueries>());
        ctx.Services.AddSingleton(services.GetRequiredService<IncidentActions>());
        ctx.Services.AddSingleton(services.GetRequiredService<BulkActions>());
        ctx.Services.AddSingleton(services.GetRequiredService<SourceQueries>());
        ctx.Services.AddSingleton(services.GetRequiredService<Itoc360.Web.Features.Webhooks.AlertIngestion>());
        ctx.Services.AddSingleton(services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Itoc360.Web.Hosting.Itoc360Options>>());
        ctx.Services.AddSingleton(services.GetRequiredService<IncidentNotifier>());
        ctx.Services.AddSingleton(services.GetRequiredService<SourceAdmin>());
        ctx.Services.AddSingleton(services.GetRequiredService<Itoc360.Web.Hosting.PublicUrls>());
        ctx.Services.AddSingleton(services.GetRequiredService<Itoc360.Web.Features.Paging.OnCallSetup>());
        ctx.Services.AddSingleton(services.GetRequiredService<Itoc360.Web.Features.People.PeopleDirectory>());
        ctx.Services.AddSingleton(services.GetRequiredService<Itoc360.Web.Features.Paging.PagingQueries>());
        ctx.Services.AddSingleton(services.GetRequiredService<Itoc360.Web.Features.People.ContactVerification>());
        ctx.Services.AddTransient(_ => services.GetRequiredService<Itoc360.Web.Features.Paging.TwilioClient>());
        ctx.Services.AddSingleton<TimeProvider>(app.Time);
        var auth = ctx.AddAuthorization();
        auth.SetAuthorized(userName);
        auth.SetRoles(role);
        if (userId is not null)
        {
            // The app's cookie carries the user's id as NameIdentifier; pages that act for "me" read it from there.
            auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, userId));
        }

        // bUnit's authorization stands in for ours: grant exactly the policies the app's own definitions give this role.
        auth.SetPolicies(PoliciesOf(services, role));
        return ctx;
    }

    private static string[] PoliciesOf(IServiceProvider services, string role)
    {
        var authorization = services.GetRequiredService<IAuthorizationService>();
        var user = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Role, role)], "test"));
        return [.. new[] { Policies.Viewer, Policies.Responder, Policies.Admin }
            .Where(policy => authorization.AuthorizeAsync(user, policy).GetAwaiter().GetResult().Succeeded)];
    }
}
