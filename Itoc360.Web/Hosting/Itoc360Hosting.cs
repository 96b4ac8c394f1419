namespace Itoc360.Web.Hosting;

public static class Itoc360Hosting
{
    public static WebApplicationBuilder AddItoc360(this WebApplicationBuilder builder) => builder;

    public static WebApplication UseItoc360(this WebApplication app)
    {
        app.MapGet("/healthz", () => TypedResults.Ok(new { status = "ok" }));
        return app;
    }
}
