using PhoneNumbers;

namespace Itoc360.Web.Features.People;

/// <summary>Phone numbers in E.164, checked with libphonenumber (length and prefixes per country), never guessed.</summary>
public static class Phones
{
    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    /// <summary>
    /// The number in E.164 (<c>+4915112345678</c>) if it is a valid number written with its country code;
    /// spaces, dashes, dots and brackets are allowed. Otherwise null and why.
    /// </summary>
    public static bool TryNormalize(string? input, out string e164, out string error)
    {
        e164 = "";
        var text = input?.Trim() ?? "";
        if (text.StartsWith("whatsapp:", StringComparison.OrdinalIgnoreCase))
        {
            text = text["whatsapp:".Length..].Trim();
        }

        if (text.Length is 0 or > 32)
        {
            error = "Enter a phone number with its country code, e.g. +49 151 12345678.";
            return false;
        }

        if (!text.StartsWith('+') && !text.StartsWith("00", StringComparison.Ordinal))
        {
            error = "Start the number with + and its country code, e.g. +1 415 555 0100.";
            return false;
        }

        try
        {
            var number = Util.Parse(text.StartsWith("00", StringComparison.Ordinal) ? "+" + text[2..] : text, null);
            if (!Util.IsValidNumber(number))
            {
                error = "This is not a valid phone number for its country.";
                return false;
            }

            e164 = Util.Format(number, PhoneNumberFormat.E164);
            error = "";
            return true;
        }
        catch (NumberParseException)
        {
            error = "This is not a phone number.";
            return false;
        }
    }
}
