using System.Text.Json;
using System.Text.Json.Serialization;
using Itoc360.Domain.Paging;
using Itoc360.Web.Data;
using Itoc360.Web.Features.Auth;
using Microsoft.EntityFrameworkCore;

namespace Itoc360.Web.Features.People;

public sealed record QuietHoursDto(string Start, string End);

public sealed record ContactMethodDto(Guid Id, string Kind, string Value, string Language, bool Verified, bool OptedOut);

public sealed record UserDto(
    string Id, string Email, string Name, string Role, string? TimeZone, IReadOnlyList<ContactMethodDto> ContactMethods,
    IReadOnlyList<ContactRule> ContactRules, QuietHoursDto? QuietHours, DateTime CreatedAt);

public sealed record CreateUserRequest(string? Email, string? Name, string? Role, string? Password, string? Phone, string? WhatsApp, string? TimeZone);

public sealed record ContactRulesRequest(IReadOnlyList<ContactRule>? Rules, QuietHoursDto? QuietHours);

/// <summary>A refusal naming the offending field, for a 400 problem.</summary>
public sealed record FieldError(string Field, string Message);

/// <summary>
/// People as paging sees them: users with their time zone, contact methods (phone and WhatsApp in E.164),
/// contact rules and quiet hours. Accounts themselves (passwords, roles) stay with <see cref="UserAdmin"/>.
/// </summary>
public sealed class PeopleDirectory(UserAdmin userAdmin, IDbContextFactory<AppDbContext> dbFactory, TimeProvider time)
{
    /// <summary>What a user who has set nothing gets: the domain's default (SMS at once, a call after 5 minutes).</summary>
    public static IReadOnlyList<ContactRule> DefaultRules => ContactRules.Default.Rules;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public async Task<(UserDto? User, FieldError? Error, string? GeneratedPassword)> CreateAsync(CreateUserRequest request, AdminActor actor, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Email) || !request.Email.Contains('@'))
        {
            return (null, new FieldError("email", "Enter an e-mail address."), null);
        }

        string? phone = null, whatsApp = null;
        if (!string.IsNullOrWhiteSpace(request.Phone))
        {
            if (!Phones.TryNormalize(request.Phone, out var e164, out var error))
            {
                return (null, new FieldError("phone", error), null);
            }

            phone = e164;
        }

        if (!string.IsNullOrWhiteSpace(request.WhatsApp))
        {
            if (!Phones.TryNormalize(request.WhatsApp, out var e164, out var error))
            {
                return (null, new FieldError("whatsApp", error), null);
            }

            whatsApp = e164;
        }

        string? timeZone = null;
        if (!string.IsNullOrWhiteSpace(request.TimeZone))
        {
            if (!TryTimeZone(request.TimeZone, out var zone))
            {
                return (null, new FieldError("timeZone", "Use an IANA time zone such as Europe/Berlin or America/New_York."), null);
            }

            timeZone = zone;
        }

        var created = await userAdmin.CreateAsync(
            new NewUser(request.Email, string.IsNullOrWhiteSpace(request.Name) ? request.Email.Split('@')[0] : request.Name, request.Role ?? "", request.Password),
            actor, ct);
        if (!created.Succeeded)
        {
            var field = created.Error switch
            {
                { } e when e.Contains("role", StringComparison.OrdinalIgnoreCase) => "role",
                { } e when e.Contains("name", StringComparison.OrdinalIgnoreCase) && !e.Contains("e-mail", StringComparison.OrdinalIgnoreCase) => "name",
                { } e when e.Contains("password", StringComparison.OrdinalIgnoreCase) || e.Contains("Passwords", StringComparison.Ordinal) => "password",
                _ => "email",
            };
            return (null, new FieldError(field, created.Error ?? "The user could not be created."), null);
        }

        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var user = await db.Users.FirstAsync(u => u.Id == created.UserId, ct);
            user.TimeZone = timeZone;
            var now = time.GetUtcNow().UtcDateTime;
            if (phone is not null)
            {
                db.ContactMethods.Add(new ContactMethod { Id = Guid.CreateVersion7(), UserId = user.Id, Kind = ContactKinds.Phone, Value = phone, CreatedAt = now });
            }

            if (whatsApp is not null)
            {
                db.ContactMethods.Add(new ContactMethod { Id = Guid.CreateVersion7(), UserId = user.Id, Kind = ContactKinds.WhatsApp, Value = whatsApp, CreatedAt = now });
            }

            await db.SaveChangesAsync(ct);
        }

        return (await GetAsync(created.UserId!, ct), null, created.GeneratedPassword);
    }

    public async Task<IReadOnlyList<UserDto>> ListAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var roles = await UserAdmin.RolesAsync(db, null, ct);
        var users = await db.Users.AsNoTracking().Include(u => u.ContactMethods).ToListAsync(ct);
        return users.OrderBy(u => u.Email, StringComparer.OrdinalIgnoreCase)
            .Select(u => ToDto(u, roles.GetValueOrDefault(u.Id) ?? "")).ToList();
    }

    public async Task<UserDto?> GetAsync(string id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var user = await db.Users.AsNoTracking().Include(u => u.ContactMethods).FirstOrDefaultAsync(u => u.Id == id, ct);
        return user is null ? null : ToDto(user, (await UserAdmin.RolesAsync(db, id, ct)).GetValueOrDefault(id) ?? "");
    }

    /// <summary>Replaces the user's contact rules and quiet hours; null when there is no such user.</summary>
    public async Task<(UserDto? User, FieldError? Error)> SetContactRulesAsync(string id, ContactRulesRequest request, CancellationToken ct)
    {
        if (Validate(request) is { } error)
        {
            return (null, error);
        }

        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var user = await db.Users.FirstOrDefaultAsync(u => u.Id == id, ct);
            if (user is null)
            {
                return (null, null);
            }

            user.ContactRulesJson = JsonSerializer.Serialize(request.Rules!.OrderBy(r => r.AfterMinutes).ToArray(), Json);
            user.QuietHoursStart = request.QuietHours is { } q ? TimeOnly.Parse(q.Start, System.Globalization.CultureInfo.InvariantCulture).ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture) : null;
            user.QuietHoursEnd = request.QuietHours is { } q2 ? TimeOnly.Parse(q2.End, System.Globalization.CultureInfo.InvariantCulture).ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture) : null;
            await db.SaveChangesAsync(ct);
        }

        return (await GetAsync(id, ct), null);
    }

    /// <summary>Sets (or, with an empty value, clears) the user's time zone for quiet hours; null user when there is no such user.</summary>
    public async Task<(UserDto? User, FieldError? Error)> SetTimeZoneAsync(string id, string? timeZone, CancellationToken ct)
    {
        string? zone = null;
        if (!string.IsNullOrWhiteSpace(timeZone))
        {
            if (!TryTimeZone(timeZone, out var iana))
            {
                return (null, new FieldError("timeZone", "Use an IANA time zone such as Europe/Berlin or America/New_York."));
            }

            zone = iana;
        }

        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var user = await db.Users.FirstOrDefaultAsync(u => u.Id == id, ct);
            if (user is null)
            {
                return (null, null);
            }

            user.TimeZone = zone;
            await db.SaveChangesAsync(ct);
        }

        return (await GetAsync(id, ct), null);
    }

    public static bool TryTimeZone(string input, out string ianaId)
    {
        ianaId = "";
        try
        {
            var zone = TimeZoneInfo.FindSystemTimeZoneById(input.Trim());
            if (!zone.HasIanaId && TimeZoneInfo.TryConvertWindowsIdToIanaId(zone.Id, out var iana))
            {
                ianaId = iana;
                return true;
            }

            ianaId = zone.Id;
            return true;
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
        {
            return false;
        }
    }

    private static FieldError? Validate(ContactRulesRequest request)
    {
        var ordered = request.Rules?.Where(r => r is not null).OrderBy(r => r.AfterMinutes).ToArray();
        if (!ContactRules.TryCreate(ordered, out _, out var errors))
        {
            var (field, messages) = errors.First();
            return new FieldError(field, string.Join(" ", messages));
        }

        if (request.QuietHours is { } quiet)
        {
            var culture = System.Globalization.CultureInfo.InvariantCulture;
            if (!TimeOnly.TryParseExact(quiet.Start ?? "", ["HH:mm", "H:mm"], culture, System.Globalization.DateTimeStyles.None, out var start)
                || !TimeOnly.TryParseExact(quiet.End ?? "", ["HH:mm", "H:mm"], culture, System.Globalization.DateTimeStyles.None, out var end))
            {
                return new FieldError("quietHours", "Quiet hours are two times as HH:mm, e.g. 22:00 and 07:00.");
            }

            if (start == end)
            {
                return new FieldError("quietHours", "Quiet hours need a start and an end that differ.");
            }
        }

        return null;
    }

    private static UserDto ToDto(AppUser user, string role) => new(
        user.Id, user.Email ?? "", user.DisplayName, role, user.TimeZone,
        user.ContactMethods.OrderBy(c => c.Kind).ThenBy(c => c.CreatedAt)
            .Select(c => new ContactMethodDto(c.Id, c.Kind, c.Value, c.Language, c.VerifiedAt is not null, c.OptedOutAt is not null)).ToList(),
        user.ContactRulesJson is { } json ? JsonSerializer.Deserialize<ContactRule[]>(json, Json) ?? [.. DefaultRules] : DefaultRules,
        user.QuietHoursStart is { } s && user.QuietHoursEnd is { } e ? new QuietHoursDto(s, e) : null,
        user.CreatedAt);
}
