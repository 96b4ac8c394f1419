using System.Buffers;
using System.Text;
using System.Text.Json;
using Itoc360.Domain;
using Itoc360.Domain.Sources;
using Itoc360.Web.Data;
using Itoc360.Web.Features.Sources;
using Itoc360.Web.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace Itoc360.Web.Features.Webhooks;

/// <summary>The body of every successful webhook answer.</summary>
public sealed record WebhookResponse(Guid DeliveryId, string Outcome, Guid? IncidentId);

/// <summary>
/// Turns a webhook request into a stored delivery and its effects: authenticate, read, parse, map
/// priorities, then hand to the <see cref="IngestWriter"/> and answer once it is committed.
/// Every request a known source receives is recorded, whatever its fate.
/// </summary>
public sealed class AlertIngestion(
    SourceDirectory directory,
    IngestWriter writer,
    PublicUrls urls,
    IOptions<Itoc360Options> options,
    IDbContextFactory<AppDbContext> dbFactory,
    TimeProvider time)
{
    private static readonly string[] KeptHeaders =
        ["User-Agent", "X-Twilio-Signature", "I-Twilio-Idempotency-Token", "X-Forwarded-For", "X-Request-Id", "Content-Length"];

    private readonly int _maxBodyBytes = options.Value.Webhooks.MaxBodyBytes;

    public async Task<IResult> ReceiveAsync(HttpContext http, string sourceIdText, CancellationToken cancellationToken)
    {
        var request = http.Request;
        var now = time.GetUtcNow().UtcDateTime;
        var source = Guid.TryParse(sourceIdText, out var guid) ? await directory.GetAsync(new SourceId(guid), cancellationToken) : null;
        if (source is null)
        {
            return UnknownSourceOrToken();
        }

        var (body, length) = await ReadBodyAsync(request, cancellationToken);
        var query = QueryWithoutToken(request.Query);
        var delivery = new Delivery
        {
            Id = DeliveryId.New(),
            SourceId = source.Id,
            ReceivedAt = now,
            Method = request.Method,
            ContentType = request.ContentType,
            Body = body,
            BodyLength = length,
            Headers = HeadersJson(request.Headers),
            RemoteAddress = http.Connection.RemoteIpAddress?.ToString(),
            Outcome = DeliveryOutcomes.Rejected,
            Query = query.Count == 0 ? null : QueryString.Create(query.Select(q => new KeyValuePair<string, string?>(q.Key, q.Value))).ToUriComponent(),
        };

        var token = source.MatchToken(PresentedToken(request), now);
        if (token is null)
        {
            return await RejectAsync(delivery, null, StatusCodes.Status401Unauthorized, "Unknown source or invalid token.", cancellationToken, hideDelivery: true);
        }

        if (!source.Enabled)
        {
            return await RejectAsync(delivery, token.Id, StatusCodes.Status410Gone, "This source is disabled; enable it to receive alerts again.", cancellationToken);
        }

        if (length > _maxBodyBytes)
        {
            return await RejectAsync(delivery, token.Id, StatusCodes.Status413PayloadTooLarge,
                $"The body is {length} bytes; this console accepts at most {_maxBodyBytes} bytes per webhook.", cancellationToken);
        }

        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method) && !SignatureAccepted(source, request, body))
        {
            return await RejectAsync(delivery, token.Id, StatusCodes.Status403Forbidden,
                "The X-Twilio-Signature header is missing or does not match this source's Twilio auth token.", cancellationToken);
        }

        var inbound = new InboundRequest(request.Method, request.ContentType, query, body);
        return await IngestAsync(source, delivery, token.Id, inbound, http, cancellationToken);
    }

    /// <summary>Runs a stored delivery through the source's current parser and mapping again, as a new delivery.</summary>
    public async Task<IResult> ReplayAsync(DeliveryId id, HttpContext http, CancellationToken cancellationToken)
    {
        Delivery? original;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            original = await db.Deliveries.AsNoTracking().FirstOrDefaultAsync(d => d.Id == id, cancellationToken);
        }

        if (original is null)
        {
            return Problems.NotFound("No such delivery.");
        }

        if (!CanReplay(original.StatusCode))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Cannot replay",
                detail: "Only deliveries that passed authentication and fit the size limit can be replayed.");
        }

        var source = await directory.GetAsync(original.SourceId, cancellationToken);
        if (source is null)
        {
            return Problems.NotFound("The delivery's source no longer exists.");
        }

        var delivery = new Delivery
        {
            Id = DeliveryId.New(),
            SourceId = original.SourceId,
            ReceivedAt = time.GetUtcNow().UtcDateTime,
            Method = original.Method,
            ContentType = original.ContentType,
            Query = original.Query,
            Body = original.Body,
            BodyLength = original.BodyLength,
            Headers = original.Headers,
            RemoteAddress = "replay",
            Outcome = DeliveryOutcomes.Rejected,
            ReplayOfId = original.Id,
        };
        return await IngestAsync(source, delivery, null, StoredRequest(original), http, cancellationToken);
    }

    /// <summary>
    /// False for refusals that never reached the parser with a trusted body (bad token, bad signature,
    /// too large): replaying them would bypass the check that refused them.
    /// </summary>
    public static bool CanReplay(int statusCode) =>
        statusCode is not (StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden or StatusCodes.Status413PayloadTooLarge);

    /// <summary>A stored delivery as the parser saw it when it arrived (the token is not part of the stored query).</summary>
    public static InboundRequest StoredRequest(Delivery delivery) =>
        new(delivery.Method, delivery.ContentType, FormBody.ParseQuery(delivery.Query), delivery.Body);

    private async Task<IResult> IngestAsync(SourceSnapshot source, Delivery delivery, long? tokenId, InboundRequest inbound,
        HttpContext http, CancellationToken cancellationToken)
    {
        if (source.Parser is null)
        {
            return await RejectAsync(delivery, tokenId, StatusCodes.Status422UnprocessableEntity,
                $"Source kind '{source.Kind}' is not supported by this version of the console.", cancellationToken);
        }

        IngestItem item;
        switch (source.Parser.Parse(inbound))
        {
            case ParseResult.Invalid invalid:
                var status = invalid.Kind switch
                {
                    ProblemKind.Malformed => StatusCodes.Status400BadRequest,
                    ProblemKind.UnsupportedMediaType => StatusCodes.Status415UnsupportedMediaType,
                    _ => StatusCodes.Status422UnprocessableEntity,
                };
                return await RejectAsync(delivery, tokenId, status, invalid.Problem, cancellationToken);
            case ParseResult.Ignored ignored:
                delivery.Outcome = DeliveryOutcomes.Ignored;
                delivery.StatusCode = StatusCodes.Status200OK;
                delivery.Error = ignored.Reason;
                item = new IngestItem(delivery, null, tokenId);
                break;
            case ParseResult.Parsed parsed:
                var alerts = parsed.Alerts.Select(a =>
                {
                    var priority = source.Mapping.Evaluate(a.Fields).Priority;
                    return new PrioritizedAlert(a, priority, source.PolicyFor(a, priority));
                }).ToArray();
                item = new IngestItem(delivery, alerts, tokenId);
                break;
            default:
                throw new InvalidOperationException("Unknown parse result.");
        }

        IngestResult result;
        try
        {
            result = await writer.SubmitAsync(item, cancellationToken);
        }
        catch (IngestUnavailableException ex)
        {
            http.Response.Headers.RetryAfter = "5";
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Try again", detail: ex.Message);
        }

        if (HttpMethods.IsHead(http.Request.Method))
        {
            return TypedResults.StatusCode(result.StatusCode);
        }

        return TypedResults.Json(new WebhookResponse(result.DeliveryId.Value, result.Outcome, result.IncidentId?.Value), statusCode: result.StatusCode);
    }

    private async Task<IResult> RejectAsync(Delivery delivery, long? tokenId, int status, string problem,
        CancellationToken cancellationToken, bool hideDelivery = false)
    {
        delivery.Outcome = DeliveryOutcomes.Rejected;
        delivery.StatusCode = status;
        delivery.Error = problem;
        try
        {
            await writer.SubmitAsync(new IngestItem(delivery, null, tokenId), cancellationToken);
        }
        catch (IngestUnavailableException)
        {
            // The refusal stands even if it could not be recorded.
        }

        if (hideDelivery)
        {
            return UnknownSourceOrToken();
        }

        return TypedResults.Problem(statusCode: status, title: ReasonPhrases.GetReasonPhrase(status), detail: problem,
            extensions: new Dictionary<string, object?> { ["deliveryId"] = delivery.Id.Value, ["outcome"] = DeliveryOutcomes.Rejected });
    }

    /// <summary>The same answer for an unknown source and a wrong token, so neither can be told apart.</summary>
    private static ProblemHttpResult UnknownSourceOrToken() =>
        TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized", detail: "Unknown source or invalid token.");

    private bool SignatureAccepted(SourceSnapshot source, HttpRequest request, byte[] body)
    {
        if (source.Parser is null || source.Parser.Signatures == SignaturePolicy.None || source.TwilioAuthTokens.Count == 0)
        {
            return true;
        }

        var header = request.Headers["X-Twilio-Signature"].ToString();
        if (header.Length == 0)
        {
            return source.Parser.Signatures == SignaturePolicy.WhenPresent;
        }

        var isJson = ContentTypes.Classify(request.ContentType, body) == BodyFormat.Json;
        var form = !isJson && FormBody.TryParse(body, out var pairs, out _) ? pairs : [];
        return TwilioSignature.IsValid(header, urls.RequestUrl(request), form, body, isJson, source.TwilioAuthTokens);
    }

    private static string? PresentedToken(HttpRequest request)
    {
        var fromQuery = request.Query["token"];
        if (!StringValues.IsNullOrEmpty(fromQuery))
        {
            return fromQuery[0];
        }

        var authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization["Bearer ".Length..].Trim() : null;
    }

    private async Task<(byte[] Body, long Length)> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var declared = request.ContentLength;
        if (declared is 0 || HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) && declared is null)
        {
            return ([], 0);
        }

        if (declared is { } exact && exact <= _maxBodyBytes)
        {
            // The usual case: the server stops the body at its declared length, so read exactly that into one array.
            var body = new byte[exact];
            var filled = 0;
            while (filled < body.Length)
            {
                var read = await request.Body.ReadAsync(body.AsMemory(filled), cancellationToken);
                if (read == 0)
                {
                    break;
                }

                filled += read;
            }

            return (filled == body.Length ? body : body[..filled], filled);
        }

        // No length, or more than the cap: keep at most the cap, reading one byte more to know that the body is larger.
        var limit = _maxBodyBytes + 1;
        var buffer = new byte[declared is { } d && d < limit ? d : Math.Min(limit, 16 * 1024)];
        var total = 0;
        while (true)
        {
            if (total == buffer.Length)
            {
                if (buffer.Length >= limit)
                {
                    break;
                }

                Array.Resize(ref buffer, (int)Math.Min(limit, buffer.Length * 2L));
            }

            var read = await request.Body.ReadAsync(buffer.AsMemory(total), cancellationToken);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        var length = total > _maxBodyBytes ? Math.Max(declared ?? total, total) : total;
        var kept = Math.Min(total, _maxBodyBytes);
        return (kept == buffer.Length ? buffer : buffer[..kept], length);
    }

    /// <summary>The query parameters in order, without the token (which is a secret and never stored).</summary>
    private static List<KeyValuePair<string, string>> QueryWithoutToken(IQueryCollection query)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var (name, values) in query)
        {
            if (string.Equals(name, "token", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            foreach (var value in values)
            {
                pairs.Add(new(name, value ?? ""));
            }
        }

        return pairs;
    }

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_headers;

    private static string? HeadersJson(IHeaderDictionary headers)
    {
        var buffer = t_headers ??= new ArrayBufferWriter<byte>(512);
        buffer.ResetWrittenCount();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            foreach (var name in KeptHeaders)
            {
                if (headers.TryGetValue(name, out var value))
                {
                    json.WriteString(name, value.ToString());
                }
            }

            json.WriteEndObject();
        }

        return buffer.WrittenCount <= 2 ? null : Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
