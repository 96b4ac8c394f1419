using System.Globalization;
using System.Net;
using Itoc360.Domain.Incidents;
using Itoc360.Web.Data;
using Itoc360.Web.Features.Incidents;
using Microsoft.EntityFrameworkCore;

namespace Itoc360.Web.Features.Paging;

/// <summary>
/// The one-tap acknowledge link of a page: <c>GET /a/{token}</c> shows the incident's summary and an
/// Acknowledge button (a GET never changes anything, so link previews and scanners are harmless);
/// <c>POST</c> acknowledges as the person the page went to, recorded on the timeline as "via link". No
/// sign-in: the signed, expiring token is the credential, and it is good for that incident and person only.
/// </summary>
public static class AckLinkEndpoints
{
    public static IEndpointRouteBuilder MapAckLinks(this IEndpointRouteBuilder app)
    {
        app.MapGet("/a/{token}", (string token, PagingLinks links, IDbContextFactory<AppDbContext> dbFactory, CancellationToken ct) =>
            PageAsync(token, links, dbFactory, null, ct)).AllowAnonymous().ExcludeFromDescription();
        app.MapPost("/a/{token}", async (string token, PagingLinks links, IDbContextFactory<AppDbContext> dbFactory, IncidentActions actions, CancellationToken ct) =>
        {
            var found = await FindAsync(token, links, dbFactory, ct);
            if (found is not { Expired: false } f || f.Incident is null || f.Person is null)
            {
                return await PageAsync(token, links, dbFactory, null, ct);
            }

            if (!f.Person.CanAct)
            {
                return await PageAsync(token, links, dbFactory, "Your role cannot change incidents.", ct);
            }

            var result = await actions.AcknowledgeAsync(f.Incident.Id, new Actor(f.Person.Email ?? f.Person.Name, Via.Link), ct);
            var message = result.Outcome switch
            {
                ActionOutcome.Changed => $"Acknowledged #{f.Incident.Number}. Thank you.",
                ActionOutcome.Unchanged => $"#{f.Incident.Number} was already acknowledged.",
                _ => $"#{f.Incident.Number} is resolved; nothing to acknowledge.",
            };
            return await PageAsync(token, links, dbFactory, message, ct);
        }).AllowAnonymous().DisableAntiforgery().ExcludeFromDescription();
        return app;
    }

    private sealed record Found(Incident? Incident, PagedPerson? Person, bool Expired);

    private static async Task<Found?> FindAsync(string token, PagingLinks links, IDbContextFactory<AppDbContext> dbFactory, CancellationToken ct)
    {
        if (await links.ReadAsync(token, ct) is not { } read)
        {
            return null;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.Notifications.AsNoTracking().FirstOrDefaultAsync(n => n.Id == read.NotificationId, ct);
        if (row?.IncidentId is not { } incidentId)
        {
            return null;
        }

        var incident = await db.Incidents.AsNoTracking().FirstOrDefaultAsync(i => i.Id == incidentId, ct);
        var person = (await PagingPeople.LoadAsync(db, [row.UserId], ct)).GetValueOrDefault(row.UserId);
        return new Found(incident, person, read.Expired);
    }

    private static async Task<IResult> PageAsync(string token, PagingLinks links, IDbContextFactory<AppDbContext> dbFactory, string? message, CancellationToken ct)
    {
        var found = await FindAsync(token, links, dbFactory, ct);
        string body;
        var status = StatusCodes.Status200OK;
        if (found?.Incident is not { } incident || found.Person is null)
        {
            status = StatusCodes.Status404NotFound;
            body = "<h1>Link not valid</h1><p>This acknowledge link is not valid. Open the console or reply to the SMS instead.</p>";
        }
        else
        {
            var e = (string? s) => WebUtility.HtmlEncode(s ?? "");
            var summary = $"<p class=\"meta\"><span class=\"p p-{incident.Priority}\">{incident.Priority}</span> #{incident.Number} · {incident.Status}"
                + $" · opened {incident.CreatedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC · {incident.AlertCount} alert(s)</p>"
                + $"<h1>{e(incident.Title)}</h1>";
            var action = found.Expired
                ? "<p>This link has expired. Open the console or reply to the SMS instead.</p>"
                : incident.Status == IncidentStatus.Triggered
                    ? $"<form method=\"post\"><button type=\"submit\" data-testid=\"ack\">Acknowledge as {e(found.Person.Name)}</button></form>"
                    : "";
            body = summary + (message is null ? "" : $"<p class=\"msg\" data-testid=\"message\">{e(message)}</p>") + action;
        }

        var html = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            + "<meta name=\"robots\" content=\"noindex\"><title>Acknowledge · Itoc360</title><style>"
            + "body{font-family:system-ui,sans-serif;margin:0 auto;max-width:32rem;padding:1.5rem;color:#222}h1{font-size:1.3rem}"
            + ".meta{color:#555}.p{font-weight:700;padding:.1rem .4rem;border-radius:.3rem;color:#fff;background:#777}.p-Critical{background:#c62828}.p-High{background:#ef6c00}"
            + ".p-Medium{background:#1565c0}.msg{font-weight:600}button{font-size:1.1rem;padding:.8rem 1.4rem;border:0;border-radius:.4rem;background:#c62828;color:#fff;width:100%}"
            + "</style></head><body>" + body + "</body></html>";
        return Results.Content(html, "text/html; charset=utf-8", statusCode: status);
    }
}
