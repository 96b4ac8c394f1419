using System.Globalization;
using Itoc360.Domain;
using Itoc360.Domain.Incidents;
using Itoc360.Domain.Paging;
using Itoc360.Domain.Sources;
using Itoc360.Web.Data;
using Itoc360.Web.Features.Incidents;
using Itoc360.Web.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Itoc360.Web.Features.Paging;

/// <summary>
/// Twilio's requests to us: SMS replies, message and call status callbacks, and the voice menu. Every one
/// is checked against <c>X-Twilio-Signature</c> (the account's auth token or its alternate, the public
/// URL with and without its port) before anything is read or changed; forged ones get 403.
/// </summary>
public static class TwilioCallbacks
{
    private const string Xml = "application/xml";

    public static IEndpointRouteBuilder MapTwilioCallbacks(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/twilio").AllowAnonymous().DisableAntiforgery().ExcludeFromDescription();
        group.MapPost("/sms/inbound", async (HttpContext http, TwilioInbound inbound, CancellationToken ct) =>
            await SignedAsync(http, form => inbound.ReplyAsync(form, ct)));
        group.MapPost("/sms/status", async (HttpContext http, TwilioInbound inbound, CancellationToken ct) =>
            await SignedAsync(http, form => inbound.StatusAsync(NotificationId(http), form, ct)));
        group.MapPost("/voice/status", async (HttpContext http, TwilioInbound inbound, CancellationToken ct) =>
            await SignedAsync(http, form => inbound.StatusAsync(NotificationId(http), form, ct)));
        group.MapPost("/voice/answer", async (HttpContext http, TwilioInbound inbound, CancellationToken ct) =>
            await SignedAsync(http, form => inbound.AnswerAsync(NotificationId(http), form, ct)));
        group.MapPost("/voice/gather", async (HttpContext http, TwilioInbound inbound, CancellationToken ct) =>
            await SignedAsync(http, form => inbound.GatherAsync(NotificationId(http), form, ct)));
        return app;
    }

    private static long? NotificationId(HttpContext http) =>
        long.TryParse(http.Request.Query["n"], NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;

    private static async Task<IResult> SignedAsync(HttpContext http, Func<IReadOnlyList<KeyValuePair<string, string>>, Task<string>> handle)
    {
        var request = http.Request;
        if (!request.HasFormContentType)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type",
                detail: "Twilio posts application/x-www-form-urlencoded.");
        }

        IFormCollection formCollection;
        try
        {
            formCollection = await request.ReadFormAsync(http.RequestAborted);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or BadHttpRequestException)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad request", detail: "The form body could not be read.");
        }

        var form = formCollection.SelectMany(f => f.Value.Select(v => new KeyValuePair<string, string>(f.Key, v ?? ""))).ToList();
        var services = http.RequestServices;
        var twilio = services.GetRequiredService<IOptions<Itoc360Options>>().Value.Twilio;
        var url = services.GetRequiredService<PublicUrls>().RequestUrl(request);
        var tokens = new[] { twilio.AuthToken, twilio.AlternateAuthToken }.Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => t!).ToArray();
        if (tokens.Length == 0 || !TwilioSignature.IsValid(request.Headers[TwilioSignature.HeaderName], url, form, [], bodyIsJson: false, tokens))
        {
            services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(TwilioCallbacks))
                .LogWarning("Refused a Twilio callback to {Path} from {Remote}: {Reason}.", request.Path, http.Connection.RemoteIpAddress,
                    tokens.Length == 0 ? "no Twilio auth token is configured" : "the signature does not match");
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: "The request is not signed by Twilio.");
        }

        return TypedResults.Text(await handle(form), Xml);
    }
}

/// <summary>What Twilio's signed requests do. See <see cref="TwilioCallbacks"/>.</summary>
public sealed class TwilioInbound(
    IDbContextFactory<AppDbContext> dbFactory,
    IncidentActions actions,
    PagerPump pump,
    PagingLinks links,
    IOptions<Itoc360Options> options,
    TimeProvider time,
    ILogger<TwilioInbound> logger)
{
    private static string? Get(IReadOnlyList<KeyValuePair<string, string>> form, string name) =>
        form.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.Ordinal)).Value;

    // ---- Status callbacks (messages and calls) ----

    /// <summary>The sender and Twilio's other callbacks may change the same row at the same moment: decide again on the fresh row.</summary>
    private static async Task<string> FreshAsync(Func<Task<string>> handle)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await handle();
            }
            catch (DbUpdateConcurrencyException) when (attempt < 5)
            {
            }
        }
    }

    public Task<string> StatusAsync(long? id, IReadOnlyList<KeyValuePair<string, string>> form, CancellationToken ct) =>
        FreshAsync(() => StatusOnceAsync(id, form, ct));

    public Task<string> AnswerAsync(long? id, IReadOnlyList<KeyValuePair<string, string>> form, CancellationToken ct) =>
        FreshAsync(() => AnswerOnceAsync(id, form, ct));

    private async Task<string> StatusOnceAsync(long? id, IReadOnlyList<KeyValuePair<string, string>> form, CancellationToken ct)
    {
        var sid = Get(form, "MessageSid") ?? Get(form, "SmsSid") ?? Get(form, "CallSid");
        var status = Get(form, "MessageStatus") ?? Get(form, "SmsStatus") ?? Get(form, "CallStatus");
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = id is { } n ? await db.Notifications.FirstOrDefaultAsync(x => x.Id == n, ct)
            : sid is { Length: > 0 } ? await db.Notifications.FirstOrDefaultAsync(x => x.ProviderSid == sid, ct) : null;
        if (row is null || (row.ProviderSid is { } known && sid is { Length: > 0 } && known != sid))
        {
            return VoiceScript.Empty; // Not ours (or a sid that does not match the row): acknowledged, changes nothing.
        }

        row.ProviderSid ??= sid;
        var before = row.Status;
        var after = NotificationStates.Apply(before, status);
        if (Get(form, "AnsweredBy") is { } answeredBy && answeredBy.StartsWith("machine", StringComparison.OrdinalIgnoreCase) && row.AnsweredAt is null
            && after is NotificationStatus.Completed)
        {
            after = NotificationStatus.NoAnswer; // A voicemail took it: the person was not reached.
            row.Error ??= "Answered by voicemail.";
        }

        if (decimal.TryParse(Get(form, "Price"), NumberStyles.Float, CultureInfo.InvariantCulture, out var price))
        {
            row.Price = Math.Abs(price);
            row.PriceUnit = Get(form, "PriceUnit") ?? row.PriceUnit;
        }

        if (after != before)
        {
            row.Status = after;
            row.SentAt ??= after is NotificationStatus.Sent or NotificationStatus.Ringing or NotificationStatus.InProgress ? now : null;
            if (after is NotificationStatus.Delivered or NotificationStatus.Read || (after == NotificationStatus.InProgress && row.Channel == ContactChannel.Voice))
            {
                row.DeliveredAt ??= now;
            }

            if (NotificationStates.IsFinal(after))
            {
                row.FinishedAt ??= now;
            }

            if (int.TryParse(Get(form, "ErrorCode"), NumberStyles.None, CultureInfo.InvariantCulture, out var code) && code != 0)
            {
                row.ErrorCode = code;
                row.Error = $"Twilio error {code}";
            }

            if (NotificationStates.MovesToNextChannel(after))
            {
                await Pager.FailedAsync(db, row, now, ct);
            }

            row.Version++;
        }

        await db.SaveChangesAsync(ct);
        if (NotificationStates.MovesToNextChannel(after) && after != before)
        {
            pump.Signal();
        }

        return VoiceScript.Empty;
    }

    // ---- Voice ----

    private async Task<string> AnswerOnceAsync(long? id, IReadOnlyList<KeyValuePair<string, string>> form, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = id is { } n ? await db.Notifications.FirstOrDefaultAsync(x => x.Id == n, ct) : null;
        if (row is null)
        {
            return VoiceScript.Response(VoiceScript.SayElement("This is Itoc360. This call is no longer valid. Goodbye.", "en-US") + "<Hangup/>");
        }

        var language = await LanguageAsync(db, row, ct);
        if (row.Purpose == NotificationPurposes.Test)
        {
            return VoiceScript.Response(VoiceScript.SayElement(row.Body ?? "This is an Itoc360 test call.", language) + "<Hangup/>");
        }

        var incidents = await IncidentsOfAsync(db, row, ct);
        var now = time.GetUtcNow().UtcDateTime;
        if (Get(form, "AnsweredBy") is { } answeredBy && (answeredBy.StartsWith("machine", StringComparison.OrdinalIgnoreCase) || answeredBy == "fax"))
        {
            // A voicemail does not count as reaching the person: leave a short message and move on to their next channel.
            row.Status = NotificationStatus.NoAnswer;
            row.FinishedAt ??= now;
            row.Error = "Answered by voicemail.";
            row.Version++;
            await Pager.FailedAsync(db, row, now, ct);
            await db.SaveChangesAsync(ct);
            pump.Signal();
            return VoiceScript.Response(VoiceScript.SayElement(VoiceScript.Say(incidents) + " Please check your messages.", language) + "<Hangup/>");
        }

        if (row.AnsweredAt is null)
        {
            row.AnsweredAt = now;
            row.Version++;
            await db.SaveChangesAsync(ct);
        }

        var open = incidents.Where(i => i.Status != IncidentStatus.Resolved).ToList();
        if (open.Count == 0)
        {
            return VoiceScript.Response(VoiceScript.SayElement("This is Itoc360. The incident is already resolved. Goodbye.", language) + "<Hangup/>");
        }

        return VoiceScript.Answer(VoiceScript.Say(open), links.VoiceGatherUrl(row.Id), language);
    }

    public async Task<string> GatherAsync(long? id, IReadOnlyList<KeyValuePair<string, string>> form, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = id is { } n ? await db.Notifications.AsNoTracking().FirstOrDefaultAsync(x => x.Id == n, ct) : null;
        if (row is null)
        {
            return VoiceScript.Response("<Hangup/>");
        }

        var language = await LanguageAsync(db, row, ct);
        var person = (await PagingPeople.LoadAsync(db, [row.UserId], ct)).GetValueOrDefault(row.UserId);
        var incidents = await IncidentsOfAsync(db, row, ct);
        var digits = Get(form, "Digits")?.Trim();
        ReplyCommand? command = digits switch
        {
            "1" => new ReplyCommand.Acknowledge(null),
            "2" => new ReplyCommand.Resolve(null),
            "3" => new ReplyCommand.Snooze(null, ReplyGrammar.DefaultSnooze),
            _ => null,
        };
        if (command is null || person is null)
        {
            var again = digits == "*" ? VoiceScript.Say(incidents.Where(i => i.Status != IncidentStatus.Resolved).ToList()) + " " : "Sorry, that key does nothing. ";
            return VoiceScript.Response(VoiceScript.Gather(links.VoiceGatherUrl(row.Id), language, again + VoiceScript.Menu)
                + VoiceScript.SayElement("Goodbye.", language));
        }

        if (!person.CanAct)
        {
            return VoiceScript.Response(VoiceScript.SayElement("Your role cannot change incidents. Goodbye.", language) + "<Hangup/>");
        }

        var said = await ApplyAsync(command, incidents, new Actor(person.Email ?? person.Name, Via.Voice), person, ct);
        return VoiceScript.Response(VoiceScript.SayElement(said + " Goodbye.", language) + "<Hangup/>");
    }

    // ---- SMS and WhatsApp replies ----

    public async Task<string> ReplyAsync(IReadOnlyList<KeyValuePair<string, string>> form, CancellationToken ct)
    {
        var rawFrom = Get(form, "From") ?? "";
        var whatsApp = rawFrom.StartsWith("whatsapp:", StringComparison.OrdinalIgnoreCase);
        var from = whatsApp ? rawFrom["whatsapp:".Length..] : rawFrom;
        var body = Get(form, "Body");
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var kind = whatsApp ? ContactKinds.WhatsApp : ContactKinds.Phone;
        var methods = await db.ContactMethods.Where(m => m.Value == from && m.Kind == kind).ToListAsync(ct);
        var log = new InboundMessage { ReceivedAt = now, From = rawFrom.Length > 48 ? rawFrom[..48] : rawFrom, Body = body?.Length > 1600 ? body[..1600] : body, MessageSid = Get(form, "MessageSid"), Outcome = "unknown-sender" };
        db.InboundMessages.Add(log);
        if (methods.Count == 0)
        {
            // Not one of our people: no effect and no answer (an answer would confirm the number to a stranger).
            await db.SaveChangesAsync(ct);
            return VoiceScript.Empty;
        }

        var userId = methods.OrderByDescending(m => m.VerifiedAt is not null).First().UserId;
        log.UserId = userId;
        var person = (await PagingPeople.LoadAsync(db, [userId], ct)).GetValueOrDefault(userId);
        var command = ReplyGrammar.Parse(body);
        string? answer;
        switch (command)
        {
            case ReplyCommand.Stop:
                foreach (var m in methods.Where(m => m.OptedOutAt is null))
                {
                    m.OptedOutAt = now;
                }

                log.Outcome = "stop";
                answer = null; // Twilio answers STOP itself, and nothing more may be sent to the number.
                break;
            case ReplyCommand.Start:
                foreach (var m in methods)
                {
                    m.OptedOutAt = null;
                }

                log.Outcome = "start";
                answer = "You will get Itoc360 pages on this number again.";
                break;
            case ReplyCommand.Help:
                log.Outcome = "help";
                answer = SmsReplies.HelpText;
                break;
            case ReplyCommand.Acknowledge or ReplyCommand.Resolve or ReplyCommand.Snooze when person is null || methods.All(m => m.VerifiedAt is null):
                log.Outcome = "unverified";
                answer = null;
                break;
            case ReplyCommand.Acknowledge or ReplyCommand.Resolve or ReplyCommand.Snooze when !person.CanAct:
                log.Outcome = "not-allowed";
                answer = "Your role cannot change incidents.";
                break;
            case ReplyCommand.Acknowledge or ReplyCommand.Resolve or ReplyCommand.Snooze:
                var number = command switch
                {
                    ReplyCommand.Acknowledge a => a.Number,
                    ReplyCommand.Resolve r => r.Number,
                    ReplyCommand.Snooze s => s.Number,
                    _ => null,
                };
                var incidents = number is { } explicitNumber
                    ? await db.Incidents.AsNoTracking().Where(i => i.Number == explicitNumber).ToListAsync(ct)
                    : await LastPagedAsync(db, userId, now, ct);
                if (incidents.Count == 0)
                {
                    log.Outcome = "not-found";
                    answer = number is { } missing ? SmsReplies.NotFound(missing) : SmsReplies.WhichIncident;
                    break;
                }

                await db.SaveChangesAsync(ct);
                answer = await ApplyAsync(command, incidents, new Actor(person.Email ?? person.Name, whatsApp ? Via.WhatsApp : Via.Sms), person, ct);
                log.Outcome = command switch { ReplyCommand.Acknowledge => "acknowledged", ReplyCommand.Resolve => "resolved", _ => "snoozed" };
                break;
            case ReplyCommand.Invalid invalid:
                log.Outcome = "invalid";
                answer = await UnhelpfulAsync(db, log, now, SmsReplies.Invalid(invalid), ct);
                break;
            default:
                log.Outcome = "not-understood";
                answer = await UnhelpfulAsync(db, log, now, SmsReplies.NotUnderstood, ct);
                break;
        }

        log.Replied = answer is not null;
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Reply from a paged person ({UserId}): {Outcome}.", userId, log.Outcome);
        return answer is null ? VoiceScript.Empty : VoiceScript.Message(answer);
    }

    /// <summary>Answers at most a few unhelpful messages per number per hour, so that two auto-responders never talk forever.</summary>
    private async Task<string?> UnhelpfulAsync(AppDbContext db, InboundMessage log, DateTime now, string answer, CancellationToken ct)
    {
        var since = now.AddHours(-1);
        var answered = await db.InboundMessages.AsNoTracking().CountAsync(m => m.From == log.From && m.ReceivedAt > since && m.Replied
            && (m.Outcome == "not-understood" || m.Outcome == "invalid"), ct);
        return answered < options.Value.Paging.MaxUnhelpfulRepliesPerHour ? answer : null;
    }

    /// <summary>The incidents of the last page this person got (a bundle has several), within a day.</summary>
    private static async Task<List<Incident>> LastPagedAsync(AppDbContext db, string userId, DateTime now, CancellationToken ct)
    {
        var since = now.AddDays(-1);
        var last = await db.Notifications.AsNoTracking()
            .Where(n => n.UserId == userId && n.CreatedAt > since && n.SendingAt != null
                        && (n.Purpose == NotificationPurposes.Page || n.Purpose == NotificationPurposes.Digest))
            .OrderByDescending(n => n.SendingAt).ThenByDescending(n => n.Id).FirstOrDefaultAsync(ct);
        return last is null ? [] : await IncidentsOfAsync(db, last, ct);
    }

    private static async Task<List<Incident>> IncidentsOfAsync(AppDbContext db, Notification row, CancellationToken ct)
    {
        var numbers = (row.IncidentNumbers ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(n => long.Parse(n, CultureInfo.InvariantCulture)).ToList();
        return numbers.Count > 0
            ? await db.Incidents.AsNoTracking().Where(i => numbers.Contains(i.Number)).OrderBy(i => i.Number).ToListAsync(ct)
            : row.IncidentId is { } id ? await db.Incidents.AsNoTracking().Where(i => i.Id == id).ToListAsync(ct) : [];
    }

    private static async Task<string> LanguageAsync(AppDbContext db, Notification row, CancellationToken ct) =>
        row.ContactMethodId is { } methodId
            ? await db.ContactMethods.AsNoTracking().Where(m => m.Id == methodId).Select(m => m.Language).FirstOrDefaultAsync(ct) ?? "en-US"
            : "en-US";

    /// <summary>Applies a reply to each incident through the same actions as the console; the words to send back.</summary>
    private async Task<string> ApplyAsync(ReplyCommand command, IReadOnlyList<Incident> incidents, Actor actor, PagedPerson person, CancellationToken ct)
    {
        var answers = new List<string>();
        var now = time.GetUtcNow().UtcDateTime;
        foreach (var incident in incidents)
        {
            var id = incident.Id;
            var result = command switch
            {
                ReplyCommand.Acknowledge => await actions.AcknowledgeAsync(id, actor, ct),
                ReplyCommand.Resolve => await actions.ResolveAsync(id, actor, $"Resolved by {actor.Via} reply.", ct),
                ReplyCommand.Snooze s => await actions.SnoozeAsync(id, actor, s.Duration, ct),
                _ => ActionResult.NotFound,
            };
            answers.Add((command, result.Outcome) switch
            {
                (_, null) => SmsReplies.NotFound(incident.Number),
                (ReplyCommand.Acknowledge, ActionOutcome.Changed) => SmsReplies.Acknowledged(incident.Number),
                (ReplyCommand.Acknowledge, ActionOutcome.Unchanged) => SmsReplies.AlreadyAcknowledged(incident.Number),
                (ReplyCommand.Acknowledge, _) => SmsReplies.AlreadyResolved(incident.Number),
                (ReplyCommand.Resolve, ActionOutcome.Changed) => SmsReplies.Resolved(incident.Number),
                (ReplyCommand.Resolve, _) => SmsReplies.AlreadyResolved(incident.Number),
                (ReplyCommand.Snooze s, ActionOutcome.Changed or ActionOutcome.Unchanged) => SmsReplies.Snoozed(incident.Number, now + s.Duration, now, person.Zone),
                _ => SmsReplies.AlreadyResolved(incident.Number),
            });
        }

        pump.Signal();
        return string.Join(" ", answers);
    }
}
