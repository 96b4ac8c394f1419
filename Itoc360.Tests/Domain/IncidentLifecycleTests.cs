using Itoc360.Domain;
using Itoc360.Domain.Incidents;
using Itoc360.Domain.Sources;

namespace Itoc360.Tests.Domain;

public class IncidentLifecycleTests
{
    private static readonly DateTime Now = new(2026, 11, 20, 8, 0, 0, DateTimeKind.Utc);
    private static readonly Actor Alice = new("alice@example.com", Via.Browser);

    private static readonly LifecycleState T = new(IncidentStatus.Triggered, false);
    private static readonly LifecycleState TS = new(IncidentStatus.Triggered, true);
    private static readonly LifecycleState A = new(IncidentStatus.Acknowledged, false);
    private static readonly LifecycleState AS = new(IncidentStatus.Acknowledged, true);
    private static readonly LifecycleState R = new(IncidentStatus.Resolved, false);

    /// <summary>The expected answer for every state × trigger pair, written out independently of the table.</summary>
    public static TheoryData<LifecycleState, IncidentTrigger, TransitionKind, LifecycleState> Expected => new()
    {
        { T, IncidentTrigger.Acknowledge, TransitionKind.Changed, A },
        { T, IncidentTrigger.Snooze, TransitionKind.Changed, TS },
        { T, IncidentTrigger.SnoozeExpired, TransitionKind.Unchanged, T },
        { T, IncidentTrigger.Resolve, TransitionKind.Changed, R },
        { T, IncidentTrigger.AcknowledgementTimeout, TransitionKind.Unchanged, T },
        { T, IncidentTrigger.ResolveWhenQuiet, TransitionKind.Changed, T },
        { TS, IncidentTrigger.Acknowledge, TransitionKind.Changed, A },
        { TS, IncidentTrigger.Snooze, TransitionKind.Changed, TS },
        { TS, IncidentTrigger.SnoozeExpired, TransitionKind.Changed, T },
        { TS, IncidentTrigger.Resolve, TransitionKind.Changed, R },
        { TS, IncidentTrigger.AcknowledgementTimeout, TransitionKind.Unchanged, TS },
        { TS, IncidentTrigger.ResolveWhenQuiet, TransitionKind.Changed, TS },
        { A, IncidentTrigger.Acknowledge, TransitionKind.Unchanged, A },
        { A, IncidentTrigger.Snooze, TransitionKind.Changed, AS },
        { A, IncidentTrigger.SnoozeExpired, TransitionKind.Unchanged, A },
        { A, IncidentTrigger.Resolve, TransitionKind.Changed, R },
        { A, IncidentTrigger.AcknowledgementTimeout, TransitionKind.Changed, T },
        { A, IncidentTrigger.ResolveWhenQuiet, TransitionKind.Changed, A },
        { AS, IncidentTrigger.Acknowledge, TransitionKind.Changed, A },
        { AS, IncidentTrigger.Snooze, TransitionKind.Changed, AS },
        { AS, IncidentTrigger.SnoozeExpired, TransitionKind.Changed, T },
        { AS, IncidentTrigger.Resolve, TransitionKind.Changed, R },
        { AS, IncidentTrigger.AcknowledgementTimeout, TransitionKind.Unchanged, AS },
        { AS, IncidentTrigger.ResolveWhenQuiet, TransitionKind.Changed, AS },
        { R, IncidentTrigger.Acknowledge, TransitionKind.Rejected, R },
        { R, IncidentTrigger.Snooze, TransitionKind.Rejected, R },
        { R, IncidentTrigger.SnoozeExpired, TransitionKind.Unchanged, R },
        { R, IncidentTrigger.Resolve, TransitionKind.Unchanged, R },
        { R, IncidentTrigger.AcknowledgementTimeout, TransitionKind.Unchanged, R },
        { R, IncidentTrigger.ResolveWhenQuiet, TransitionKind.Rejected, R },
    };

    [Theory]
    [MemberData(nameof(Expected))]
    public void Every_state_and_trigger_has_the_expected_transition(
        LifecycleState state, IncidentTrigger trigger, TransitionKind kind, LifecycleState next)
    {
        var transition = IncidentLifecycle.Decide(state, trigger);
        Assert.Equal(kind, transition.Kind);
        Assert.Equal(next, transition.Next);
    }

    [Fact]
    public void The_expectations_cover_every_pair()
    {
        var covered = Expected.Select(row => ((LifecycleState)row[0], (IncidentTrigger)row[1])).ToHashSet();
        foreach (var state in IncidentLifecycle.AllStates)
        {
            foreach (var trigger in Enum.GetValues<IncidentTrigger>())
            {
                Assert.Contains((state, trigger), covered);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Expected))]
    public void The_aggregate_follows_the_table(LifecycleState state, IncidentTrigger trigger, TransitionKind kind, LifecycleState next)
    {
        var incident = IncidentIn(state);
        var versionBefore = incident.Version;
        var timelineBefore = incident.Timeline.Count;
        // Snooze expiry is evaluated after the snooze ran out.
        var later = Now.AddHours(2);

        var outcome = trigger switch
        {
            IncidentTrigger.Acknowledge => incident.Acknowledge(Alice, later),
            IncidentTrigger.Snooze => incident.Snooze(Alice, later.AddMinutes(30), later),
            IncidentTrigger.SnoozeExpired => incident.ExpireSnooze(later),
            IncidentTrigger.Resolve => incident.Resolve(Alice, "done", later),
            IncidentTrigger.AcknowledgementTimeout => incident.TimeOutAcknowledgement(1, later),
            IncidentTrigger.ResolveWhenQuiet => incident.ResolveWhenQuiet(Alice, 30, later),
            _ => throw new ArgumentOutOfRangeException(nameof(trigger)),
        };

        Assert.Equal(kind.ToString(), outcome.ToString());
        Assert.Equal(next, incident.State);
        if (kind == TransitionKind.Changed)
        {
            Assert.Equal(versionBefore + 1, incident.Version);
            Assert.Equal(timelineBefore + 1, incident.Timeline.Count);
            Assert.Equal(incident.Version, incident.PendingChanges[^1].Version);
        }
        else
        {
            Assert.Equal(versionBefore, incident.Version);
            Assert.Equal(timelineBefore, incident.Timeline.Count);
        }
    }

    [Fact]
    public void A_snooze_does_not_expire_early()
    {
        var incident = IncidentIn(TS);
        Assert.Equal(ActionOutcome.Unchanged, incident.ExpireSnooze(Now.AddMinutes(10)));
        Assert.NotNull(incident.SnoozedUntil);
        Assert.Equal(ActionOutcome.Changed, incident.ExpireSnooze(Now.AddMinutes(31)));
        Assert.Equal(IncidentStatus.Triggered, incident.Status);
        Assert.Null(incident.SnoozedUntil);
    }

    [Fact]
    public void A_new_alert_raises_the_priority_but_never_lowers_it()
    {
        var incident = IncidentIn(T);
        Assert.Equal(Priority.Medium, incident.Priority);
        incident.AddAlert(DeliveryId.New(), SampleAlert(), Priority.Low, Now.AddMinutes(1));
        Assert.Equal(Priority.Medium, incident.Priority);
        incident.AddAlert(DeliveryId.New(), SampleAlert(), Priority.Critical, Now.AddMinutes(2));
        Assert.Equal(Priority.Critical, incident.Priority);
        Assert.Equal(3, incident.AlertCount);
        Assert.Equal(Now.AddMinutes(2), incident.LastAlertAt);
        Assert.Contains(incident.Timeline, e => e.Kind == TimelineKinds.PriorityRaised);
    }

    [Fact]
    public void A_resolved_incident_takes_no_more_alerts()
    {
        var incident = IncidentIn(R);
        Assert.Equal(ActionOutcome.Rejected, incident.AddAlert(DeliveryId.New(), SampleAlert(), Priority.High, Now));
        Assert.Equal(1, incident.AlertCount);
    }

    [Fact]
    public void Resolution_records_who_and_the_note()
    {
        var incident = IncidentIn(A);
        incident.Resolve(Alice, "rebooted the box", Now.AddMinutes(5));
        Assert.Equal("alice@example.com", incident.ResolvedBy);
        Assert.Equal(Now.AddMinutes(5), incident.ResolvedAt);
        Assert.Contains("rebooted the box", incident.Timeline[^1].Text);
        Assert.Equal(Via.Browser, incident.Timeline[^1].Via);
    }

    private static NormalizedAlert SampleAlert() =>
        new(AlertAction.Trigger, "key-1", null, "Disk full", Now, new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase));

    private static Incident IncidentIn(LifecycleState state)
    {
        var incident = Incident.Open(IncidentId.New(), 1, SourceId.New(), DeliveryId.New(), SampleAlert(), Priority.Medium, Now);
        switch (state.Status)
        {
            case IncidentStatus.Acknowledged:
                incident.Acknowledge(Alice, Now);
                break;
            case IncidentStatus.Resolved:
                incident.Resolve(Alice, null, Now);
                break;
        }

        if (state.Snoozed)
        {
            incident.Snooze(Alice, Now.AddMinutes(30), Now);
        }

        Assert.Equal(state, incident.State);
        return incident;
    }
}
