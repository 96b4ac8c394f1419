using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;

// A bare Kestrel endpoint for bench/run: it receives the same Twilio Debugger webhook as the console,
// checks the token, reads the form and the Payload JSON the way a parser would, and answers 202 —
// storing nothing. It is the ceiling the console's durable ingest is compared against.
//
// Configuration: ASPNETCORE_URLS (where to listen), Bench__Token (the expected token; default "bench").

var builder = WebApplication.CreateBuilder(args);
// Same levels as the console's appsettings.json: no per-request log lines.
builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, BenchJsonContext.Default));

var app = builder.Build();
var webhooks = new Webhooks(app.Configuration["Bench:Token"] is { Length: > 0 } token ? token : "bench");

app.MapGet("/healthz", () => TypedResults.Ok(new Health("ok")));
app.MapPost("/hooks/{sourceId}", webhooks.ReceiveAsync);
app.Run();

internal sealed class Webhooks(string token)
{
    private const int MaxBodyBytes = 262_144;
    private readonly byte[] _token = Encoding.UTF8.GetBytes(token);

    public async Task<Results<JsonHttpResult<WebhookResponse>, ProblemHttpResult>> ReceiveAsync(
        string sourceId, HttpRequest request, CancellationToken cancellationToken)
    {
        if (!HasValidToken(request))
        {
            return Problem(StatusCodes.Status401Unauthorized, "The token is missing or wrong.");
        }

        if (!IsForm(request.ContentType))
        {
            return Problem(StatusCodes.Status415UnsupportedMediaType, $"Content type '{request.ContentType}' cannot be read.");
        }

        var body = await ReadBodyAsync(request, cancellationToken);
        if (body is null)
        {
            return Problem(StatusCodes.Status413PayloadTooLarge, $"The body is larger than {MaxBodyBytes} bytes.");
        }

        if (DebuggerEvent.Parse(body, out var problem, out var malformed) is null)
        {
            // As API.md: 400 when the body is not well-formed, 422 when fields are missing or wrong.
            return Problem(malformed ? StatusCodes.Status400BadRequest : StatusCodes.Status422UnprocessableEntity, problem!);
        }

        // A real ingest would store the delivery and open the incident here; the baseline stores nothing.
        return TypedResults.Json(
            new WebhookResponse(Guid.CreateVersion7().ToString(), "accepted", null),
            BenchJsonContext.Default.WebhookResponse,
            statusCode: StatusCodes.Status202Accepted);
    }

    private bool HasValidToken(HttpRequest request)
    {
        var presented = request.Query["token"].ToString();
        if (presented.Length == 0 && request.Headers.Authorization.ToString() is { } authorization
            && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            presented = authorization["Bearer ".Length..].Trim();
        }

        return presented.Length > 0 && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), _token);
    }

    private static bool IsForm(string? contentType) =>
        contentType is not null
        && contentType.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase);

    /// <summary>The raw body bytes, or null when it is larger than <see cref="MaxBodyBytes"/>.</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return null;
        }

        var rented = ArrayPool<byte>.Shared.Rent((int)(request.ContentLength ?? 4096) + 1);
        try
        {
            var length = 0;
            while (true)
            {
                if (length == rented.Length)
                {
                    if (rented.Length > MaxBodyBytes)
                    {
                        return null;
                    }

                    var larger = ArrayPool<byte>.Shared.Rent(rented.Length * 2);
                    rented.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(rented);
                    rented = larger;
                }

                var read = await request.Body.ReadAsync(rented.AsMemory(length), cancellationToken);
                if (read == 0)
                {
                    break;
                }

                length += read;
            }

            return length > MaxBodyBytes ? null : rented.AsSpan(0, length).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static ProblemHttpResult Problem(int status, string detail) => TypedResults.Problem(detail, statusCode: status);
}

/// <summary>The fields a twilio-errors parser takes from a Debugger webhook.</summary>
internal sealed record DebuggerEvent(string Sid, string Level, string ErrorCode, string? Message, string? ResourceSid, string Title, string Priority)
{
    public static DebuggerEvent? Parse(byte[] body, out string? problem, out bool malformed)
    {
        malformed = false;
        Dictionary<string, Microsoft.Extensions.Primitives.StringValues> form;
        try
        {
            form = new FormReader(Encoding.UTF8.GetString(body)).ReadForm();
        }
        catch (InvalidDataException e)
        {
            problem = $"The form body cannot be read: {e.Message}";
            malformed = true;
            return null;
        }

        var sid = form.TryGetValue("Sid", out var s) ? s.ToString() : "";
        if (sid.Length != 34 || !sid.StartsWith("NO", StringComparison.Ordinal) || !IsHex(sid.AsSpan(2)))
        {
            problem = "Sid must be NO followed by 32 hex digits.";
            return null;
        }

        var level = form.TryGetValue("Level", out var l) ? l.ToString() : "";
        var priority = level.ToUpperInvariant() switch
        {
            "ERROR" => "High",
            "WARNING" => "Medium",
            "INFO" or "DEBUG" => "Low",
            _ => null,
        };
        if (priority is null)
        {
            problem = $"Level '{level}' is not ERROR, WARNING, INFO or DEBUG.";
            return null;
        }

        var payload = form.TryGetValue("Payload", out var p) ? p.ToString() : "";
        try
        {
            using var json = JsonDocument.Parse(payload);
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("error_code", out var code)
                || code.ValueKind is not (JsonValueKind.String or JsonValueKind.Number))
            {
                problem = "Payload has no error_code.";
                return null;
            }

            var errorCode = code.ValueKind == JsonValueKind.String ? code.GetString()! : code.GetRawText();
            string? message = null;
            if (root.TryGetProperty("more_info", out var moreInfo) && moreInfo.ValueKind == JsonValueKind.Object)
            {
                message = Text(moreInfo, "Msg") ?? Text(moreInfo, "msg");
            }

            problem = null;
            return new DebuggerEvent(sid, level, errorCode, message, Text(root, "resource_sid"),
                message is null ? $"Twilio {errorCode}" : $"Twilio {errorCode}: {message}", priority);
        }
        catch (JsonException e)
        {
            problem = $"Payload is not JSON: {e.Message}";
            malformed = true;
            return null;
        }
    }

    private static string? Text(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static bool IsHex(ReadOnlySpan<char> text) => !text.ContainsAnyExcept("0123456789abcdefABCDEF");
}

/// <summary>The console's webhook answer shape (API.md); the baseline opens no incident.</summary>
internal sealed record WebhookResponse(string DeliveryId, string Outcome, string? IncidentId);

internal sealed record Health(string Status);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(WebhookResponse))]
[JsonSerializable(typeof(Health))]
internal sealed partial class BenchJsonContext : JsonSerializerContext;
