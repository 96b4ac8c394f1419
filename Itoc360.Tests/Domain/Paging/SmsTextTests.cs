using Itoc360.Domain.Paging;

namespace Itoc360.Tests.Domain.Paging;

public class SmsTextTests
{
    [Fact]
    public void The_alphabet_is_the_gsm_03_38_basic_set_and_extension_table()
    {
        Assert.Equal(127, SmsText.BasicSet.Distinct().Count()); // 128 codes minus the escape
        Assert.Equal(127, SmsText.BasicSet.Length);
        foreach (var c in "@£$¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ¤¡ÄÖÑÜ§¿äöñüà\n\r !\"#%&'()*+,-./:;<=>?09AZaz")
        {
            Assert.Equal(1, SmsText.SeptetsOf(c));
        }
        foreach (var c in "^{}\\[~]|€\f")
        {
            Assert.Equal(2, SmsText.SeptetsOf(c));
        }
        foreach (var c in "`áóúíâêçÁ\u2019\u201C\u2013\u2026\u00A0\t\u001Bα日😀")
        {
            Assert.Equal(0, SmsText.SeptetsOf(c));
        }
    }

    public static TheoryData<string, SmsEncoding, int, int> Sizes => new()
    {
        { "", SmsEncoding.Gsm7, 0, 0 },
        { "a", SmsEncoding.Gsm7, 1, 1 },
        { "CRITICAL #42 Twilio 11200: HTTP retrieval failure", SmsEncoding.Gsm7, 49, 1 },
        { new string('a', 160), SmsEncoding.Gsm7, 160, 1 },
        { new string('a', 161), SmsEncoding.Gsm7, 161, 2 },
        { new string('a', 306), SmsEncoding.Gsm7, 306, 2 },
        { new string('a', 307), SmsEncoding.Gsm7, 307, 3 },
        { "€", SmsEncoding.Gsm7, 2, 1 },
        { "price: 5€ [net] {x} a|b ~c^", SmsEncoding.Gsm7, 35, 1 },
        { new string('€', 80), SmsEncoding.Gsm7, 160, 1 },
        { new string('€', 81), SmsEncoding.Gsm7, 162, 2 },
        { new string('a', 159) + "{", SmsEncoding.Gsm7, 161, 2 },
        // 152 + 2 + 152 = 306 septets, but the escape pair cannot straddle parts: 152 | 2 + 151 | 1.
        { new string('a', 152) + "{" + new string('a', 152), SmsEncoding.Gsm7, 306, 3 },
        { "Zürich café Ñuñoa", SmsEncoding.Gsm7, 17, 1 },
        { "Kraków", SmsEncoding.Ucs2, 6, 1 },
        { "It\u2019s down", SmsEncoding.Ucs2, 9, 1 },
        { new string('ą', 70), SmsEncoding.Ucs2, 70, 1 },
        { new string('ą', 71), SmsEncoding.Ucs2, 71, 2 },
        { new string('ą', 134), SmsEncoding.Ucs2, 134, 2 },
        { new string('ą', 135), SmsEncoding.Ucs2, 135, 3 },
        { "数据库连接失败", SmsEncoding.Ucs2, 7, 1 },
        { string.Concat(Enumerable.Repeat("😀", 35)), SmsEncoding.Ucs2, 70, 1 },
        { string.Concat(Enumerable.Repeat("😀", 36)), SmsEncoding.Ucs2, 72, 2 },
        // 66 + 2 + 66 = 134 units, but the emoji cannot be split: 66 | 2 + 65 | 1.
        { new string('ą', 66) + "😀" + new string('ą', 66), SmsEncoding.Ucs2, 134, 3 },
        // One stray character outside GSM turns 160 septets into 3 UCS-2 segments.
        { new string('a', 159) + "\u2019", SmsEncoding.Ucs2, 160, 3 },
    };

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Measures_encoding_units_and_segments(string text, SmsEncoding encoding, int units, int segments) =>
        Assert.Equal(new SmsSegments(encoding, units, segments), SmsText.Measure(text));

    public static TheoryData<string, string> LookAlikes => new()
    {
        { "It\u2019s \u2018down\u2019", "It's 'down'" },
        { "\u201CDisk full\u201D \u201Eja\u201C \u00ABoui\u00BB", "\"Disk full\" \"ja\" \"oui\"" },
        { "db\u20131 \u2014 db\u20112 \u2212 5", "db-1 - db-2 - 5" },
        { "Waiting\u2026", "Waiting..." },
        { "a\u00A0b\u2009c\u202Fd\u3000e\tf", "a b c d e f" },
        { "zero\u200Bwidth\u00ADsoft\uFEFF", "zerowidthsoft" },
        { "\u2022 item \u00B7 x", "* item . x" },
        { "p99 850\u00B5s, 3\u00D7 \u2192 up \u2264 5 \u2265 1 \u2260 2", "p99 850us, 3x -> up <= 5 >= 1 != 2" },
        { "Acme\u2122 \u00A9 \u00AE", "AcmeTM (C) (R)" },
        { "Kraków façade São Tomé Šiauliai Œuvre", "Krakow facade Sao Tomé Siauliai OEuvre" },
        { "Zürich Ñandú café", "Zürich Ñandu café" },
        { "数据库 😀", "数据库 😀" },
        { "`tick` \u00B4acute", "'tick' 'acute" },
    };

    [Theory]
    [MemberData(nameof(LookAlikes))]
    public void Transliterates_common_typography_to_gsm(string text, string expected) =>
        Assert.Equal(expected, SmsText.Transliterate(text));

    [Fact]
    public void Transliterated_typography_is_gsm()
    {
        var title = "Twilio \u201C11200\u201D \u2013 HTTP retrieval failure\u2026 it\u2019s the\u00A0webhook \u2022 Kraków";
        Assert.False(SmsText.IsGsm7(title));
        Assert.True(SmsText.IsGsm7(SmsText.Transliterate(title)));
    }

    [Fact]
    public void A_clean_line_folds_breaks_controls_and_broken_utf16()
    {
        Assert.Equal("Disk full on db-1 (sda) ?", SmsText.CleanLine("  Disk full\r\n on\tdb\u20131 \u0007(sda)\n\n \uD800"));
        Assert.Equal("", SmsText.CleanLine(null));
        Assert.Equal("", SmsText.CleanLine(" \n\t "));
        Assert.Equal("a 😀", SmsText.CleanLine("a\n😀"));
    }
}
