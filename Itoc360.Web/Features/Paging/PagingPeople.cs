using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Itoc360.Domain.Paging;
using Itoc360.Web.Data;
using Itoc360.Web.Features.Auth;
using Microsoft.EntityFrameworkCore;

namespace Itoc360.Web.Features.Paging;

/// <summary>A person as the pager needs them: how to reach them and when.</summary>
public sealed record PagedPerson(string Id, string Name, string? Email, string Role, ContactRules Rules, QuietHours? QuietHours,
    TimeZoneInfo? Zone, IReadOnlyList<ContactMethod> Methods)
{
    /// <summary>Viewers are told about incidents but cannot act on them.</summary>
    public bool CanAct => Role is Roles.Admin or Roles.Responder;

    /// <summary>The verified, not opted-out contact for a channel (SMS and voice use the phone).</summary>
    public ContactMethod? MethodFor(ContactChannel channel) => Methods
        .Where(m => m.VerifiedAt is not null && m.OptedOutAt is null
                    && m.Kind == (channel == ContactChannel.WhatsApp ? ContactKinds.WhatsApp : ContactKinds.Phone))
        .OrderBy(m => m.CreatedAt).FirstOrDefault();

    public bool Is(string? actorName) =>
        actorName is { Length: > 0 } && (string.Equals(actorName, Email, StringComparison.OrdinalIgnoreCase) || string.Equals(actorName, Name, StringComparison.OrdinalIgnoreCase));
}

public static class PagingPeople
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public static async Task<Dictionary<string, PagedPerson>> LoadAsync(AppDbContext db, IReadOnlyCollection<string> userIds, CancellationToken ct)
    {
        var users = await db.Users.AsNoTracking().Include(u => u.ContactMethods).Where(u => userIds.Contains(u.Id)).ToListAsync(ct);
        var roles = await UserAdmin.RolesAsync(db, userIds.Count == 1 ? userIds.First() : null, ct);
        return users.ToDictionary(u => u.Id, u => ToPerson(u, roles.GetValueOrDefault(u.Id) ?? ""));
    }

    public static PagedPerson ToPerson(AppUser user, string role)
    {
        var rules = ContactRules.Default;
        if (user.ContactRulesJson is { } json && JsonSerializer.Deserialize<ContactRule[]>(json, Json) is { Length: > 0 } stored
            && ContactRules.TryCreate(stored, out var parsed, out _))
        {
            rules = parsed;
        }

        TimeZoneInfo? zone = null;
        if (user.TimeZone is { } tz && Schedule.TryFindTimeZone(tz, out var found))
        {
            zone = found;
        }

        QuietHours? quiet = null;
        if (user.QuietHoursStart is { } start && user.QuietHoursEnd is { } end
            && TimeOnly.TryParseExact(start, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var s)
            && TimeOnly.TryParseExact(end, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var e)
            && QuietHours.TryCreate(s, e, user.TimeZone ?? "UTC", out var q, out _))
        {
            quiet = q;
        }

        return new PagedPerson(user.Id, user.ShownName, user.Email, role,
            rules, quiet, zone, user.ContactMethods);
    }
}
