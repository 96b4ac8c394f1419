using Itoc360.Domain;
using Itoc360.Web.Features.Webhooks;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Itoc360.Web.Features.Sources;

/// <summary>What a replay from the console came to: the webhook answer, or the problem.</summary>
public sealed record ReplayOutcome(int StatusCode, string? Outcome, Guid? IncidentId, string? Problem)
{
    public bool Succeeded => StatusCode is >= 200 and < 300;
}

/// <summary>
/// Replays a delivery from a component. Blazor has no request of its own, so this hands
/// <see cref="AlertIngestion.ReplayAsync"/> a stand-in POST and reads its answer; the replay rules stay in one place.
/// </summary>
public static class DeliveryReplay
{
    public static async Task<ReplayOutcome> ReplayAsync(this AlertIngestion ingestion, DeliveryId id, CancellationToken ct)
    {
        var http = new DefaultHttpContext();
        http.Request.Method = HttpMethods.Post;
        var result = await ingestion.ReplayAsync(id, http, ct);
        var status = (result as IStatusCodeHttpResult)?.StatusCode ?? StatusCodes.Status200OK;
        return result switch
        {
            IValueHttpResult<WebhookResponse> { Value: { } answer } => new ReplayOutcome(status, answer.Outcome, answer.IncidentId, null),
            IValueHttpResult<ProblemDetails> { Value: { } problem } => new ReplayOutcome(status, null, null, problem.Detail ?? problem.Title),
            _ => new ReplayOutcome(status, null, null, status is >= 200 and < 300 ? null : $"The replay was answered with {status}."),
        };
    }
}
