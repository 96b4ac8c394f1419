using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Itoc360.Domain.Paging;
using Itoc360.Web.Data;
using Itoc360.Web.Features.Paging;
using Microsoft.EntityFrameworkCore;

namespace Itoc360.Web.Features.People;

public sealed record AddContactRequest(string? Kind, string? Value, string? Language);

public sealed record ConfirmCodeRequest(string? Code);

public sealed record TestPageRequest(string? Channel);

/// <summary>
/// Contact methods and their one-time-code verification: a code is sent to the number through the outbox
/// (SMS, or WhatsApp for a WhatsApp contact), only its hash is kept, it expires after 10 minutes and allows
/// 5 tries; only a verified method is ever paged. Also "send me a test page".
/// </summary>
public sealed class ContactVerification(IDbContextFactory<AppDbContext> dbFactory, PagerPump pump, TimeProvider time)
{
    public static readonly TimeSpan CodeLifetime = TimeSpan.FromMinutes(10);
    public const int MaxAttempts = 5;
    private static readonly string[] Languages = ["en-US", "en-GB", "de-DE", "fr-FR", "es-ES", "it-IT", "nl-NL", "pt-BR", "tr-TR", "ja-JP", "zh-CN"];

    public static IReadOnlyList<string> SupportedLanguages => Languages;

    public async Task<(ContactMethodDto? Method, FieldError? Error)> AddAsync(string userId, AddContactRequest request, CancellationToken ct)
    {
        var kind = request.Kind?.Trim() switch
        {
            { } k when k.Equals(ContactKinds.Phone, StringComparison.OrdinalIgnoreCase) || k.Equals("sms", StringComparison.OrdinalIgnoreCase) => ContactKinds.Phone,
            { } k when k.Equals(ContactKinds.WhatsApp, StringComparison.OrdinalIgnoreCase) => ContactKinds.WhatsApp,
            _ => null,
        };
        if (kind is null)
        {
            return (null, new FieldError("kind", "kind is \"Phone\" (SMS and calls) or \"WhatsApp\"."));
        }

        if (!Phones.TryNormalize(request.Value, out var e164, out var problem))
        {
            return (null, new FieldError("value", problem));
        }

        var language = string.IsNullOrWhiteSpace(request.Language) ? "en-US" : request.Language.Trim();
        if (!Languages.Contains(language, StringComparer.OrdinalIgnoreCase))
        {
            return (null, new FieldError("language", "language is one of " + string.Join(", ", Languages) + "."));
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.Users.AnyAsync(u => u.Id == userId, ct))
        {
            return (null, null);
        }

        if (await db.ContactMethods.AnyAsync(m => m.UserId == userId && m.Kind == kind && m.Value == e164, ct))
        {
            return (null, new FieldError("value", "This contact method exists already."));
        }

        var method = new ContactMethod
        {
            Id = Guid.CreateVersion7(), UserId = userId, Kind = kind, Value = e164,
            Language = Languages.First(l => l.Equals(language, StringComparison.OrdinalIgnoreCase)), CreatedAt = Now,
        };
        db.ContactMethods.Add(method);
        await db.SaveChangesAsync(ct);
        return (ToDto(method), null);
    }

    public async Task<bool> RemoveAsync(string userId, Guid methodId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var method = await db.ContactMethods.FirstOrDefaultAsync(m => m.Id == methodId && m.UserId == userId, ct);
        if (method is null)
        {
            return false;
        }

        db.ContactMethods.Remove(method);
        await db.SaveChangesAsync(ct);
        return true;
    }

    public async Task<(ContactMethodDto? Method, FieldError? Error)> SetLanguageAsync(string userId, Guid methodId, string? language, CancellationToken ct)
    {
        if (language is null || !Languages.Contains(language, StringComparer.OrdinalIgnoreCase))
        {
            return (null, new FieldError("language", "language is one of " + string.Join(", ", Languages) + "."));
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var method = await db.ContactMethods.FirstOrDefaultAsync(m => m.Id == methodId && m.UserId == userId, ct);
        if (method is null)
        {
            return (null, null);
        }

        method.Language = Languages.First(l => l.Equals(language, StringComparison.OrdinalIgnoreCase));
        await db.SaveChangesAsync(ct);
        return (ToDto(method), null);
    }

    /// <summary>Sends a new code (replacing any earlier one); null when there is no such method.</summary>
    public async Task<(bool Found, string? Problem)> SendCodeAsync(string userId, Guid methodId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var method = await db.ContactMethods.FirstOrDefaultAsync(m => m.Id == methodId && m.UserId == userId, ct);
        if (method is null)
        {
            return (false, null);
        }

        if (method.OptedOutAt is not null)
        {
            return (true, "This number replied STOP; it must text START first.");
        }

        var now = Now;
        var since = now.AddHours(-1);
        if (await db.Notifications.CountAsync(n => n.ContactMethodId == methodId && n.Purpose == NotificationPurposes.Verification && n.CreatedAt > since, ct) >= 5)
        {
            return (true, "Five codes were sent to this number in the last hour; try again later.");
        }

        var code = RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", CultureInfo.InvariantCulture);
        method.CodeHash = Hash(method.Id, code);
        method.CodeExpiresAt = now + CodeLifetime;
        method.CodeAttempts = 0;
        var channel = method.Kind == ContactKinds.WhatsApp ? ContactChannel.WhatsApp : ContactChannel.Sms;
        db.Notifications.Add(Pager.NewRow(null, null, userId, method, channel, NotificationPurposes.Verification,
            $"Your Itoc360 verification code is {code}. It expires in {(int)CodeLifetime.TotalMinutes} minutes.", null, now));
        await db.SaveChangesAsync(ct);
        pump.Signal();
        return (true, null);
    }

    /// <summary>Checks a code; the method is verified when it matches. Problem says why not.</summary>
    public async Task<(ContactMethodDto? Method, string? Problem)> ConfirmAsync(string userId, Guid methodId, string? code, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var method = await db.ContactMethods.FirstOrDefaultAsync(m => m.Id == methodId && m.UserId == userId, ct);
        if (method is null)
        {
            return (null, null);
        }

        if (method.VerifiedAt is not null)
        {
            return (ToDto(method), null);
        }

        if (method.CodeHash is null || method.CodeExpiresAt is not { } expires || expires < Now)
        {
            return (null, "No code is pending for this contact, or it expired: send a new one.");
        }

        if (method.CodeAttempts >= MaxAttempts)
        {
            return (null, "Too many wrong codes: send a new one.");
        }

        var given = new string((code ?? "").Where(char.IsAsciiDigit).ToArray());
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(method.Id, given)), Encoding.ASCII.GetBytes(method.CodeHash)))
        {
            method.CodeAttempts++;
            await db.SaveChangesAsync(ct);
            return (null, method.CodeAttempts >= MaxAttempts ? "Wrong code. Too many wrong codes: send a new one." : "Wrong code.");
        }

        method.VerifiedAt = Now;
        method.CodeHash = null;
        method.CodeExpiresAt = null;
        await db.SaveChangesAsync(ct);
        return (ToDto(method), null);
    }

    /// <summary>Sends a test page to one verified method (SMS, a call, or WhatsApp); the outbox row's id.</summary>
    public async Task<(long? NotificationId, string? Problem)> SendTestAsync(string userId, Guid methodId, string? channel, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var method = await db.ContactMethods.FirstOrDefaultAsync(m => m.Id == methodId && m.UserId == userId, ct);
        if (method is null)
        {
            return (null, null);
        }

        if (method.VerifiedAt is null)
        {
            return (null, "Verify this contact method first.");
        }

        if (method.OptedOutAt is not null)
        {
            return (null, "This number replied STOP; it must text START first.");
        }

        var how = method.Kind == ContactKinds.WhatsApp ? ContactChannel.WhatsApp
            : string.Equals(channel, "Voice", StringComparison.OrdinalIgnoreCase) ? ContactChannel.Voice : ContactChannel.Sms;
        var user = await db.Users.AsNoTracking().FirstAsync(u => u.Id == userId, ct);
        var row = Pager.NewRow(null, null, userId, method, how, NotificationPurposes.Test,
            $"Itoc360 test page for {user.ShownName}: pages will reach you here. No action needed.", null, Now);
        db.Notifications.Add(row);
        await db.SaveChangesAsync(ct);
        pump.Signal();
        return (row.Id, null);
    }

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    private static string Hash(Guid id, string code) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{id:N}:{code}")));

    public static ContactMethodDto ToDto(ContactMethod m) => new(m.Id, m.Kind, m.Value, m.Language, m.VerifiedAt is not null, m.OptedOutAt is not null);
}
