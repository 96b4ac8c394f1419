using Itoc360.Domain.Incidents;
using Itoc360.Web.Components.Pages.Incidents;
using Itoc360.Web.Features.Incidents;

namespace Itoc360.Tests.Web.Components;

/// <summary>The grid's rows are written as HTML: whatever a vendor put in a title or an admin in a source name stays text.</summary>
public sealed class IncidentRowMarkupTests
{
    private static readonly DateTime Now = new(2026, 12, 5, 1, 0, 0, DateTimeKind.Utc);

    private static IncidentItem Item(string title, IncidentStatus status = IncidentStatus.Triggered) => new(
        Guid.Parse("01a243cc-1300-7c1c-abd2-250d62f2d75a"), 42, title, status, Priority.Critical, Guid.NewGuid(), "key", 3,
        Now.AddMinutes(-5), Now.AddMinutes(-1), null, null, null, null, null, 1);

    [Fact]
    public void Titles_and_source_names_are_encoded()
    {
        var html = IncidentRowMarkup.Row(Item("<img src=x onerror=alert(1)> & \"quoted\""), "<b>source</b>", Now, canAct: true, busy: false);

        Assert.DoesNotContain("<img", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;img src=x onerror=alert(1)&gt; &amp; &quot;quoted&quot;", html, StringComparison.Ordinal);
        Assert.Contains("&lt;b&gt;source&lt;/b&gt;", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Action_buttons_follow_the_status_and_the_busy_state()
    {
        var triggered = IncidentRowMarkup.Row(Item("t"), "s", Now, canAct: true, busy: false);
        Assert.Contains("data-act=\"ack\" data-id=\"01a243cc-1300-7c1c-abd2-250d62f2d75a\"", triggered, StringComparison.Ordinal);
        Assert.Contains("aria-label=\"Resolve incident 42\">", triggered, StringComparison.Ordinal);
        Assert.Contains("×3", triggered, StringComparison.Ordinal);
        Assert.Contains("5 min ago", triggered, StringComparison.Ordinal);

        var busy = IncidentRowMarkup.Row(Item("t"), "s", Now, canAct: true, busy: true);
        Assert.Contains("aria-label=\"Acknowledge incident 42\" disabled>", busy, StringComparison.Ordinal);

        var acknowledged = IncidentRowMarkup.Row(Item("t", IncidentStatus.Acknowledged), "s", Now, canAct: true, busy: false);
        Assert.DoesNotContain("data-act=\"ack\"", acknowledged, StringComparison.Ordinal);
        Assert.Contains("data-act=\"resolve\"", acknowledged, StringComparison.Ordinal);

        var viewer = IncidentRowMarkup.Row(Item("t"), "s", Now, canAct: false, busy: false);
        Assert.DoesNotContain("data-act", viewer, StringComparison.Ordinal);
        Assert.DoesNotContain("Actions", viewer, StringComparison.Ordinal);
    }
}
