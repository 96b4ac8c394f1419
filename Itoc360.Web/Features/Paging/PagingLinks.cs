using System.Buffers.Binary;
using System.Security.Cryptography;
using Itoc360.Web.Data;
using Itoc360.Web.Hosting;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Itoc360.Web.Features.Paging;

/// <summary>
/// The public URLs paging hands out: callbacks Twilio calls, and the one-tap acknowledge link in a page.
/// The link is short enough for an SMS: <c>/a/{token}</c>, the token being the notification's id and an
/// expiry, signed with a key the application keeps (protected at rest) in its database, so it works on
/// every instance and for that notification's person and incident only.
/// </summary>
public sealed class PagingLinks(
    IDbContextFactory<AppDbContext> dbFactory,
    IDataProtectionProvider protection,
    IOptions<Itoc360Options> options,
    IServer server,
    TimeProvider time)
{
    private const string KeyName = "ack-link-key";
    private const int MacLength = 10;
    private static readonly DateTime Epoch = new(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private byte[]? _key;

    /// <summary>PublicBaseUrl, or the address this server listens on (for development and tests).</summary>
    public string BaseUrl
    {
        get
        {
            if (!string.IsNullOrWhiteSpace(options.Value.PublicBaseUrl))
            {
                return options.Value.PublicBaseUrl.Trim().TrimEnd('/');
            }

            var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://localhost";
            return address.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal)
                .Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal).Replace("://[::]", "://localhost", StringComparison.Ordinal).TrimEnd('/');
        }
    }

    public string SmsStatusUrl(long notificationId) => $"{BaseUrl}/twilio/sms/status?n={notificationId}";

    public string VoiceAnswerUrl(long notificationId) => $"{BaseUrl}/twilio/voice/answer?n={notificationId}";

    public string VoiceGatherUrl(long notificationId) => $"{BaseUrl}/twilio/voice/gather?n={notificationId}";

    public string VoiceStatusUrl(long notificationId) => $"{BaseUrl}/twilio/voice/status?n={notificationId}";

    public async Task<string> AcknowledgeLinkAsync(long notificationId, CancellationToken ct)
    {
        var key = await KeyAsync(ct);
        var expires = (uint)Math.Ceiling((time.GetUtcNow().UtcDateTime.AddHours(options.Value.Paging.AckLinkHours) - Epoch).TotalMinutes);
        Span<byte> buffer = stackalloc byte[10 + 4 + MacLength];
        var length = WriteVarint(buffer, (ulong)notificationId);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[length..], expires);
        length += 4;
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(key, buffer[..length], mac);
        mac[..MacLength].CopyTo(buffer[length..]);
        length += MacLength;
        return $"{BaseUrl}/a/{Base64Url(buffer[..length])}";
    }

    /// <summary>The notification a link token stands for, when the signature holds and it has not expired.</summary>
    public async Task<(long NotificationId, bool Expired)?> ReadAsync(string? token, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 40)
        {
            return null;
        }

        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(token.Replace('-', '+').Replace('_', '/') + new string('=', (4 - token.Length % 4) % 4));
        }
        catch (FormatException)
        {
            return null;
        }

        if (bytes.Length < 1 + 4 + MacLength || !TryReadVarint(bytes, out var id, out var length) || length + 4 + MacLength != bytes.Length)
        {
            return null;
        }

        var key = await KeyAsync(ct);
        var mac = HMACSHA256.HashData(key, bytes.AsSpan(0, length + 4));
        if (!CryptographicOperations.FixedTimeEquals(mac.AsSpan(0, MacLength), bytes.AsSpan(length + 4, MacLength)))
        {
            return null;
        }

        var expires = Epoch.AddMinutes(BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(length, 4)));
        return ((long)id, expires < time.GetUtcNow().UtcDateTime);
    }

    private async Task<byte[]> KeyAsync(CancellationToken ct)
    {
        if (_key is { } cached)
        {
            return cached;
        }

        var protector = protection.CreateProtector("Itoc360.AckLinks");
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.AppSecrets.AsNoTracking().FirstOrDefaultAsync(s => s.Name == KeyName, ct);
        if (row is null)
        {
            var fresh = RandomNumberGenerator.GetBytes(32);
            db.AppSecrets.Add(new AppSecret { Name = KeyName, ValueProtected = protector.Protect(Convert.ToBase64String(fresh)), CreatedAt = time.GetUtcNow().UtcDateTime });
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                // Another instance made it first: use theirs.
            }

            row = await db.AppSecrets.AsNoTracking().FirstAsync(s => s.Name == KeyName, ct);
        }

        return _key = Convert.FromBase64String(protector.Unprotect(row.ValueProtected));
    }

    private static int WriteVarint(Span<byte> into, ulong value)
    {
        var i = 0;
        while (value >= 0x80)
        {
            into[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        into[i++] = (byte)value;
        return i;
    }

    private static bool TryReadVarint(ReadOnlySpan<byte> from, out ulong value, out int length)
    {
        value = 0;
        for (length = 0; length < Math.Min(from.Length, 9); length++)
        {
            value |= (ulong)(from[length] & 0x7F) << (7 * length);
            if ((from[length] & 0x80) == 0)
            {
                length++;
                return value <= long.MaxValue;
            }
        }

        return false;
    }

    private static string Base64Url(ReadOnlySpan<byte> bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
