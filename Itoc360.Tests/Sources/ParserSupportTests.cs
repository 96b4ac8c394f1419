using Itoc360.Domain.Incidents;
using Itoc360.Domain.Sources.Parsers;

namespace Itoc360.Tests.Sources;

public class ParserSupportTests
{
    [Theory]
    [InlineData("Twilio 11200: HTTP retrieval failure", "Twilio 11200: HTTP retrieval failure")]
    [InlineData("  a\tb \r\n c  ", "a b c")]
    [InlineData("a\u00A0\u2003b", "a b")]
    [InlineData("one\ttab", "one tab")]
    [InlineData("", "")]
    [InlineData(" \t ", "")]
    public void Title_collapses_white_space(string text, string expected) => Assert.Equal(expected, ParserSupport.Title(text));

    [Fact]
    public void A_title_that_needs_nothing_is_returned_as_it_is()
    {
        var text = "Twilio 11200: HTTP retrieval failure";
        Assert.Same(text, ParserSupport.Title(text));
    }

    [Fact]
    public void A_long_title_is_cut_with_an_ellipsis_and_never_splits_a_surrogate_pair()
    {
        var max = Incident.MaxTitleLength;
        var words = string.Concat(Enumerable.Repeat("word   ", max));
        var cut = ParserSupport.Title(words);
        Assert.Equal(max, cut.Length);
        Assert.EndsWith("…", cut);
        Assert.DoesNotContain("  ", cut);

        // An emoji (two UTF-16 units) straddling the cut is dropped whole.
        var emoji = new string('x', max - 2) + "\U0001F525" + new string('y', 10);
        var title = ParserSupport.Title(emoji);
        Assert.Equal(new string('x', max - 2) + "…", title);

        // Exactly the maximum stays as it is; one more is cut.
        Assert.Equal(new string('z', max), ParserSupport.Title(new string('z', max)));
        Assert.Equal(new string('z', max - 1) + "…", ParserSupport.Title(new string('z', max + 1)));

        // Only the first 2 × max characters are read: text after a longer run of white space is left out.
        var padded = new string(' ', 3 * max) + "late";
        Assert.Equal("…", ParserSupport.Title(padded));
    }
}
