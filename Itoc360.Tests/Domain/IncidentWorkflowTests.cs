using Itoc360.Domain;
using Itoc360.Domain.Incidents;
using Itoc360.Domain.Sources;

namespace Itoc360.Tests.Domain;

/// <summary>The time-driven changes of an incident: quiet periods, auto-resolve, acknowledgement timeouts, snooze expiry.</summary>
public class IncidentWorkflowTests
{
    private static readonly DateTime Now = new(2026, 11, 20, 8, 0, 0, DateTimeKind.Utc);
    private static readonly Actor Bob = new("bob@example.com", Via.Api);

    [Fact]
    public void Resolve_when_quiet_waits_for_the_period_and_every_new_alert_restarts_it()
    {
        var incident = Opened();
        Assert.Equal(ActionOutcome.Changed, incident.ResolveWhenQuiet(Bob, 30, Now.AddMinutes(1)));
        Assert.Equal(Now.AddMinutes(31), incident.QuietDueAt);
        Assert.Equal(TimelineKinds.ResolveWhenQuiet, incident.Timeline[^1].Kind);
        Assert.Contains("30 min without alerts", incident.Timeline[^1].Text);

        incident.AddAlert(DeliveryId.New(), Alert(), Priority.Medium, Now.AddMinutes(20));
        Assert.Equal(Now.AddMinutes(50), incident.QuietDueAt);
        Assert.Equal(ActionOutcome.Unchanged, incident.ResolveIfQuiet(Now.AddMinutes(40)));
        Assert.Equal(IncidentStatus.Triggered, incident.Status);

        Assert.Equal(ActionOutcome.Changed, incident.ResolveIfQuiet(Now.AddMinutes(50)));
        Assert.Equal(IncidentStatus.Resolved, incident.Status);
        Assert.Equal("workflow", incident.ResolvedBy);
        Assert.Equal(TimelineKinds.ResolvedWhenQuiet, incident.Timeline[^1].Kind);
        Assert.Equal("Resolved after 30 min without alerts.", incident.Timeline[^1].Text);
        Assert.Equal(Via.Workflow, incident.Timeline[^1].Via);
        Assert.Null(incident.QuietMinutes);
        Assert.Equal(ActionOutcome.Unchanged, incident.ResolveIfQuiet(Now.AddMinutes(90)));
    }

    [Fact]
    public void A_quiet_period_counts_from_the_request_when_the_last_alert_is_older()
    {
        var incident = Opened();
        incident.ResolveWhenQuiet(Bob, 90, Now.AddHours(5));
        Assert.Equal(Now.AddHours(5).AddMinutes(90), incident.QuietDueAt);
        Assert.Contains("1 h 30 min", incident.Timeline[^1].Text);
    }

    [Fact]
    public void Asking_for_a_quiet_period_keeps_a_snooze_and_the_acknowledgement()
    {
        var incident = Opened();
        incident.Acknowledge(Bob, Now);
        incident.Snooze(Bob, Now.AddHours(1), Now);
        incident.ResolveWhenQuiet(Bob, 15, Now.AddMinutes(1));
        Assert.Equal(Now.AddHours(1), incident.SnoozedUntil);
        Assert.Equal(IncidentStatus.Acknowledged, incident.Status);
    }

    [Fact]
    public void Any_resolution_cancels_the_quiet_period_and_raises_one_resolution()
    {
        var incident = Opened();
        incident.ResolveWhenQuiet(Bob, 30, Now);
        incident.Snooze(Bob, Now.AddHours(2), Now);
        incident.Resolve(Bob, null, Now.AddMinutes(5));
        Assert.Null(incident.QuietDueAt);
        Assert.Null(incident.SnoozedUntil);
        Assert.Equal(ActionOutcome.Unchanged, incident.ResolveIfQuiet(Now.AddHours(1)));
        Assert.Equal(ActionOutcome.Unchanged, incident.AutoResolve(1, Now.AddHours(3)));
        Assert.Equal(ActionOutcome.Unchanged, incident.Resolve(Bob, null, Now.AddHours(3)));
        Assert.Single(incident.PendingChanges, c => TimelineKinds.IsResolution(c.Kind));
        Assert.Equal(ActionOutcome.Rejected, incident.ResolveWhenQuiet(Bob, 30, Now.AddHours(3)));
    }

    [Fact]
    public void Cancelling_a_quiet_period_is_recorded_once()
    {
        var incident = Opened();
        Assert.Equal(ActionOutcome.Unchanged, incident.CancelResolveWhenQuiet(Bob, Now));
        incident.ResolveWhenQuiet(Bob, 30, Now);
        Assert.Equal(ActionOutcome.Changed, incident.CancelResolveWhenQuiet(Bob, Now.AddMinutes(1)));
        Assert.Null(incident.QuietDueAt);
        Assert.Equal(TimelineKinds.ResolveWhenQuietCancelled, incident.Timeline[^1].Kind);
        Assert.Equal(ActionOutcome.Unchanged, incident.CancelResolveWhenQuiet(Bob, Now.AddMinutes(2)));
        Assert.Equal(ActionOutcome.Unchanged, incident.ResolveIfQuiet(Now.AddHours(2)));
    }

    [Fact]
    public void Auto_resolve_needs_hours_without_a_new_alert()
    {
        var incident = Opened();
        incident.AddAlert(DeliveryId.New(), Alert(), Priority.Medium, Now.AddHours(10));
        Assert.Equal(ActionOutcome.Unchanged, incident.AutoResolve(24, Now.AddHours(33)));
        Assert.Equal(ActionOutcome.Changed, incident.AutoResolve(24, Now.AddHours(34)));
        Assert.Equal(IncidentStatus.Resolved, incident.Status);
        Assert.Equal(TimelineKinds.AutoResolved, incident.Timeline[^1].Kind);
        Assert.Equal("Resolved automatically: no new alert for 24 h.", incident.Timeline[^1].Text);
    }

    [Fact]
    public void An_acknowledgement_times_out_after_the_hours_and_pages_again()
    {
        var incident = Opened();
        Assert.Equal(ActionOutcome.Unchanged, incident.TimeOutAcknowledgement(4, Now.AddHours(9)));
        incident.Acknowledge(Bob, Now.AddHours(1));
        Assert.Equal(ActionOutcome.Unchanged, incident.TimeOutAcknowledgement(4, Now.AddHours(4)));
        Assert.Equal(ActionOutcome.Changed, incident.TimeOutAcknowledgement(4, Now.AddHours(5)));
        Assert.Equal(IncidentStatus.Triggered, incident.Status);
        Assert.Null(incident.AcknowledgedBy);
        Assert.Equal(TimelineKinds.AcknowledgementTimedOut, incident.Timeline[^1].Kind);
        Assert.Contains("4 h", incident.Timeline[^1].Text);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(Incident.MaxQuietMinutes + 1)]
    public void Quiet_periods_outside_the_range_are_refused(int minutes)
    {
        var incident = Opened();
        Assert.ThrowsAny<ArgumentOutOfRangeException>(() => incident.ResolveWhenQuiet(Bob, minutes, Now));
    }

    private static Incident Opened() =>
        Incident.Open(IncidentId.New(), 1, SourceId.New(), DeliveryId.New(), Alert(), Priority.Medium, Now);

    private static NormalizedAlert Alert() =>
        new(AlertAction.Trigger, "key-1", null, "Disk full", Now, new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase));
}
