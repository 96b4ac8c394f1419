namespace Itoc360.Web.Features.Webhooks;

public static class WebhookEndpoints
{
    public static IEndpointRouteBuilder MapWebhookEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/hooks/{sourceId}", [HttpMethods.Post, HttpMethods.Get, HttpMethods.Head], ReceiveAsync)
            .AllowAnonymous()
            .DisableAntiforgery()
            .WithName("Webhook")
            .WithTags("Webhooks");
        return app;
    }

    private static Task<IResult> ReceiveAsync(HttpContext http, string sourceId, AlertIngestion ingestion) =>
        ingestion.ReceiveAsync(http, sourceId, http.RequestAborted);
}
