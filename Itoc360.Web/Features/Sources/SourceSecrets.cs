using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;

namespace Itoc360.Web.Features.Sources;

/// <summary>Creates webhook tokens and protects source secrets at rest with the data-protection keys.</summary>
public sealed class SourceSecrets(IDataProtectionProvider provider)
{
    private readonly IDataProtector _tokens = provider.CreateProtector("Itoc360.SourceTokens.v1");
    private readonly IDataProtector _twilio = provider.CreateProtector("Itoc360.TwilioAuthTokens.v1");

    /// <summary>A new webhook token: 256 bits from the CSPRNG, URL-safe base64.</summary>
    public static string NewToken() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    public string ProtectToken(string token) => _tokens.Protect(token);
    public string UnprotectToken(string protectedToken) => _tokens.Unprotect(protectedToken);

    public string? ProtectTwilio(string? authToken) => string.IsNullOrWhiteSpace(authToken) ? null : _twilio.Protect(authToken.Trim());
    public string? UnprotectTwilio(string? protectedToken) => protectedToken is null ? null : _twilio.Unprotect(protectedToken);

    /// <summary>Compares a presented secret with a known one in time that does not depend on where they differ.</summary>
    public static bool SecretEquals(string? presented, byte[] known)
    {
        if (string.IsNullOrEmpty(presented) || presented.Length > 512)
        {
            return false;
        }

        Span<byte> buffer = stackalloc byte[Encoding.UTF8.GetMaxByteCount(presented.Length)];
        var length = Encoding.UTF8.GetBytes(presented, buffer);
        return CryptographicOperations.FixedTimeEquals(buffer[..length], known);
    }
}
