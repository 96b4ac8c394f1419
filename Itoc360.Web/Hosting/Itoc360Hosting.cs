using System.Text.Json.Serialization;
using Itoc360.Web.Data;
using Itoc360.Web.Features.Auth;
using Itoc360.Web.Features.Incidents;
using Itoc360.Web.Features.Paging;
using Itoc360.Web.Features.Sources;
using Itoc360.Web.Features.Webhooks;
using Itoc360.Web.Jobs;
using Itoc360.Web.Realtime;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor.Services;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Itoc360.Web.Hosting;

public static class Itoc360Hosting
{
    private const string SmartScheme = "Itoc360";

    public static WebApplicationBuilder AddItoc360(this WebApplicationBuilder builder)
    {
        // The one settings file lives at the repository root and is copied next to the binaries;
        // it goes first so that appsettings.{Environment}.json, environment variables and the command line override it.
        var shipped = Path.Combine(AppContext.BaseDirectory, "appsettings.json");
        if (File.Exists(shipped) && !File.Exists(Path.Combine(builder.Environment.ContentRootPath, "appsettings.json")))
        {
            builder.Configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Json.JsonConfigurationSource
            {
                Path = "appsettings.json",
                Optional = true,
                ReloadOnChange = false,
                FileProvider = new Microsoft.Extensions.FileProviders.PhysicalFileProvider(AppContext.BaseDirectory),
            });
        }

        // `dotnet run` starts in Production; the UI's library assets (MudBlazor, blazor.web.js) are then served from
        // the build's static-web-asset manifest. Published output has no such manifest and serves wwwroot as it is.
        builder.WebHost.UseStaticWebAssets();

        // Request lines carry webhook tokens in their query strings: keep them out of the logs.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore.Routing.EndpointMiddleware", LogLevel.Warning);

        var services = builder.Services;
        services.AddOptions<Itoc360Options>().Bind(builder.Configuration.GetSection(Itoc360Options.Section));
        var options = builder.Configuration.GetSection(Itoc360Options.Section).Get<Itoc360Options>() ?? new Itoc360Options();
        var dataDirectory = ResolveDataDirectory(options, builder.Environment.ContentRootPath);
        Directory.CreateDirectory(dataDirectory);

        services.TryAddSingleton(TimeProvider.System);
        services.AddDataProtection()
            .SetApplicationName("Itoc360.Console")
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(dataDirectory, "keys")));

        AddDatabase(builder, options, dataDirectory);
        AddAuth(services);

        services.AddProblemDetails();
        services.AddOpenApi(o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Itoc360 Console API";
            document.Info.Description = "Sources, deliveries and incidents. Send 'Authorization: Bearer <api key>'.";
            return Task.CompletedTask;
        }));
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));

        services.AddSingleton<PublicUrls>();
        services.AddSingleton<SourceSecrets>();
        services.AddSingleton<SourceDirectory>();
        services.AddSingleton<SourceAdmin>();
        services.AddSingleton<SourceQueries>();
        services.AddSingleton<IncidentNotifier>();
        services.AddSingleton<IncidentQueries>();
        services.AddSingleton<IncidentActions>();
        services.AddSingleton<IngestWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<IngestWriter>());
        services.AddSingleton<AlertIngestion>();
        services.AddSingleton<ApiKeyStore>();
        services.AddSingleton<UserAdmin>();
        services.AddSingleton<Bootstrap>();
        services.AddItoc360Jobs(options);
        services.AddTwilioClient(options);
        services.AddSingleton<Features.People.PeopleDirectory>();
        services.AddSingleton<Features.People.ContactVerification>();
        services.AddSingleton<Features.Paging.OnCallSetup>();
        services.AddSingleton<Features.Paging.PagingLinks>();
        services.AddSingleton<Features.Paging.PagingQueries>();
        services.AddSingleton<Features.Paging.Pager>();
        services.AddSingleton<Features.Paging.PagerPump>();
        services.AddHostedService(sp => sp.GetRequiredService<Features.Paging.PagerPump>());
        services.AddSingleton<Features.Paging.TwilioInbound>();

        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, RevalidatingIdentityStateProvider>();
        services.AddMudServices();
        services.AddSingleton<Components.Layout.ThemeStyles>();
        services.AddSignalR();
        services.AddRateLimiter(o =>
        {
            // Password guessing from one address is slowed down before lockout even matters.
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.GlobalLimiter = System.Threading.RateLimiting.PartitionedRateLimiter.Create<HttpContext, string>(context =>
                HttpMethods.IsPost(context.Request.Method) && context.Request.Path.StartsWithSegments("/account/login")
                    ? System.Threading.RateLimiting.RateLimitPartition.GetFixedWindowLimiter(
                        context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                        _ => new System.Threading.RateLimiting.FixedWindowRateLimiterOptions { PermitLimit = 20, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 })
                    : System.Threading.RateLimiting.RateLimitPartition.GetNoLimiter("none"));
        });
        services.AddHostedService<IncidentHubForwarder>();
        return builder;
    }

    public static WebApplication UseItoc360(this WebApplication app)
    {
        app.Services.GetRequiredService<Bootstrap>().RunAsync(CancellationToken.None).GetAwaiter().GetResult();
        if (!SqliteProcessSettings.Applied)
        {
            app.Logger.LogInformation("SQLite stays in serialized mode: a connection was opened before the process-wide settings.");
        }

        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            // Unreadable request bodies (bad JSON, wrong types) are the caller's mistake: 400, never 500.
            StatusCodeSelector = ex => ex is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
        });
        app.UseStatusCodePages();
        // Webhooks authenticate by their own token; sign-in and API-key handling are for everything else.
        app.UseWhen(context => !context.Request.Path.StartsWithSegments("/hooks"), branch =>
        {
            // The console is never shown inside another site's frame (clickjacking).
            branch.Use((context, next) =>
            {
                context.Response.Headers.XFrameOptions = "SAMEORIGIN";
                context.Response.Headers.ContentSecurityPolicy = "frame-ancestors 'self'";
                return next(context);
            });
            branch.UseRateLimiter();
            branch.UseAuthentication();
            branch.UseAuthorization();
            branch.UseAntiforgery();
        });
        // WebApplication puts authentication and authorization in front of the whole pipeline unless the app added them
        // itself, and adding them in a branch does not count (a branch has its own properties). Without these marks every
        // webhook went through sign-in handling and every other request was authenticated twice (PipelineTests).
        var properties = ((IApplicationBuilder)app).Properties;
        properties["__AuthenticationMiddlewareSet"] = true;
        properties["__AuthorizationMiddlewareSet"] = true;

        app.MapGet("/healthz", () => TypedResults.Ok(new { status = "ok" })).AllowAnonymous();
        app.MapGet("/readyz", ReadyAsync).AllowAnonymous();
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        app.MapWebhookEndpoints();
        app.MapSourceEndpoints();
        app.MapIncidentEndpoints();
        app.MapAccountEndpoints();
        app.MapJobEndpoints();
        Features.People.PeopleEndpoints.MapPeopleEndpoints(app);
        Features.Paging.PagingEndpoints.MapPagingEndpoints(app);
        Features.Paging.TwilioCallbacks.MapTwilioCallbacks(app);
        Features.Paging.AckLinkEndpoints.MapAckLinks(app);
        app.MapHub<IncidentsHub>(IncidentsHub.Path);
        app.MapJobsDashboard();
        app.MapStaticAssets();
        // No per-message deflate on the console's WebSocket: each compressed connection keeps a zlib stream in native
        // memory for as long as the tab is open; render batches are small binary diffs. (Blazor pairs compression with
        // a frame-ancestors policy; the console sends its own anti-framing headers above, compression or not.)
        app.MapRazorComponents<Components.App>().AddInteractiveServerRenderMode(o => o.DisableWebSocketCompression = true);
        return app;
    }

    private static async Task<IResult> ReadyAsync(IDbContextFactory<AppDbContext> dbFactory, CancellationToken ct)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            await db.Database.ExecuteSqlRawAsync("SELECT 1", ct);
            return TypedResults.Ok(new { status = "ready" });
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Not ready", detail: "The database cannot be reached.");
        }
    }

    internal static string ResolveDataDirectory(Itoc360Options options, string contentRoot) =>
        Path.GetFullPath(string.IsNullOrWhiteSpace(options.DataDirectory) ? Path.Combine(contentRoot, "data") : options.DataDirectory, contentRoot);

    private static void AddDatabase(WebApplicationBuilder builder, Itoc360Options options, string dataDirectory)
    {
        SqliteProcessSettings.Apply();
        if (!string.Equals(options.Database.Provider, "Sqlite", StringComparison.OrdinalIgnoreCase))
        {
            throw new NotSupportedException(
                $"Database provider '{options.Database.Provider}' is not available in this build yet; use 'Sqlite'.");
        }

        var connectionString = builder.Configuration.GetConnectionString("Itoc360");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            connectionString = $"Data Source={Path.Combine(dataDirectory, "itoc360.db")};Pooling=True;Foreign Keys=True";
        }

        builder.Services.AddPooledDbContextFactory<AppDbContext>(o => o
            .UseSqlite(connectionString)
            .AddInterceptors(new SqlitePragmas()));
        // Identity's stores want a scoped context; it comes from the same pool.
        builder.Services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContext());
    }

    private static void AddAuth(IServiceCollection services)
    {
        services.AddAuthentication(SmartScheme)
            .AddPolicyScheme(SmartScheme, "API key or cookie", o => o.ForwardDefaultSelector = context =>
                !context.Request.Path.StartsWithSegments("/hooks") && ApiKeyAuthenticationHandler.ReadKey(context.Request) is not null
                    ? ApiKeyAuthenticationHandler.SchemeName
                    : IdentityConstants.ApplicationScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddIdentityCookies();

        services.AddIdentityCore<AppUser>(o =>
            {
                o.User.RequireUniqueEmail = true;
                o.Password.RequiredLength = 10;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<AppDbContext>()
            .AddSignInManager()
            .AddDefaultTokenProviders();

        // A changed password, role or a disabled account ends other sessions within a minute, not half an hour.
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.FromMinutes(1));
        services.ConfigureApplicationCookie(o =>
        {
            o.Cookie.Name = "itoc360.auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.LoginPath = "/account/login";
            o.AccessDeniedPath = "/account/denied";
            o.SlidingExpiration = true;
            // APIs answer 401/403 instead of redirecting to a sign-in page.
            o.Events.OnRedirectToLogin = context => RedirectOrStatus(context, StatusCodes.Status401Unauthorized);
            o.Events.OnRedirectToAccessDenied = context => RedirectOrStatus(context, StatusCodes.Status403Forbidden);
        });

        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Viewer, p => p.RequireRole(Roles.Admin, Roles.Responder, Roles.Viewer))
            .AddPolicy(Policies.Responder, p => p.RequireRole(Roles.Admin, Roles.Responder))
            .AddPolicy(Policies.Admin, p => p.RequireRole(Roles.Admin));
    }

    private static Task RedirectOrStatus(Microsoft.AspNetCore.Authentication.RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Path.StartsWithSegments("/api") || context.Request.Path.StartsWithSegments("/hubs"))
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        }

        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }
}
