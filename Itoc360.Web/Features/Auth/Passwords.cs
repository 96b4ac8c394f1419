using System.Security.Cryptography;

namespace Itoc360.Web.Features.Auth;

public static class Passwords
{
    /// <summary>
    /// 20 random characters from an unambiguous alphabet (about 115 bits), plus one of each class Identity's
    /// default rules want, so a generated password always passes validation.
    /// </summary>
    public static string Generate()
    {
        const string alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        var chars = new char[20];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)];
        }

        return new string(chars) + "-9aZ";
    }
}
