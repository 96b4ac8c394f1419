using System.Globalization;
using Itoc360.Domain;
using Itoc360.Domain.Incidents;
using Itoc360.Domain.Paging;
using Itoc360.Web.Data;
using Itoc360.Web.Hosting;
using Itoc360.Web.Realtime;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Itoc360.Web.Features.Paging;

/// <summary>What one pager run did, and when the next thing is due.</summary>
public sealed record PagerRun(int Stopped, int StepsPaged, int Planned, int Sent, DateTime? NextDueAt)
{
    public int Total => Stopped + StepsPaged + Planned + Sent;
}

/// <summary>
/// Works the paging rows the database holds, in four passes, each idempotent and each its own
/// transaction: stopped escalations tell the people already paged; due escalation steps pick their
/// people; people whose next contact rule is due get an outbox row (held for quiet hours unless
/// Critical); due outbox rows are bundled per person, capped, claimed and handed to Twilio. Called by
/// <see cref="PagerPump"/> the moment something changes, and by the sweeper as a backstop.
/// </summary>
public sealed class Pager(
    IDbContextFactory<AppDbContext> dbFactory,
    IServiceProvider services,
    PagingLinks links,
    IncidentNotifier notifier,
    IOptions<Itoc360Options> options,
    TimeProvider time,
    ILogger<Pager> logger)
{
    private const int Batch = 200;
    private readonly SemaphoreSlim _gate = new(1, 1);

    private static readonly NotificationStatus[] Reached =
    [
        NotificationStatus.Uncertain, NotificationStatus.Queued, NotificationStatus.Sent, NotificationStatus.Ringing, NotificationStatus.InProgress,
        NotificationStatus.Delivered, NotificationStatus.Read, NotificationStatus.Completed,
    ];

    /// <summary>Does everything due now; more than one batch if there is more.</summary>
    public async Task<PagerRun> RunAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            int stopped = 0, stepped = 0, planned = 0, sent = 0;
            for (var round = 0; round < 20; round++)
            {
                var now = Now;
                var s = await StopAsync(now, ct);
                var e = await EscalateAsync(now, ct);
                var p = await PlanAsync(now, ct);
                var n = await SendAsync(now, ct);
                stopped += s;
                stepped += e;
                planned += p;
                sent += n;
                if (s + e + p + n == 0)
                {
                    break;
                }
            }

            await PriceAsync(Now, ct);
            await RecoverAsync(Now, ct);
            return new PagerRun(stopped, stepped, planned, sent, await NextDueAsync(ct));
        }
        finally
        {
            _gate.Release();
        }
    }

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    private async Task<DateTime?> NextDueAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var escalation = await db.Escalations.Where(e => e.State == EscalationStates.Active && e.DueAt != null).MinAsync(e => e.DueAt, ct);
        var target = await db.PageTargets.Where(t => t.DueAt != null).MinAsync(t => t.DueAt, ct);
        var pending = await db.Notifications.Where(n => n.Status == NotificationStatus.Pending).Select(n => (DateTime?)n.SendAfter).MinAsync(ct);
        return new[] { escalation, target, pending }.Where(d => d is not null).Min();
    }

    // ---- 1. Stopped escalations: tell those already paged ----

    private async Task<int> StopAsync(DateTime now, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var stopping = await db.Escalations.Where(e => e.State == EscalationStates.Stopping).OrderBy(e => e.Id).Take(Batch).ToListAsync(ct);
        if (stopping.Count == 0)
        {
            return 0;
        }

        var incidentIds = stopping.Select(e => e.IncidentId).Distinct().ToList();
        var incidents = await db.Incidents.AsNoTracking().Where(i => incidentIds.Contains(i.Id)).ToDictionaryAsync(i => i.Id, ct);
        var pages = await db.Notifications.AsNoTracking()
            .Where(n => n.IncidentId != null && incidentIds.Contains(n.IncidentId.Value) && n.Purpose == NotificationPurposes.Page && Reached.Contains(n.Status))
            .Select(n => new { n.IncidentId, n.UserId, n.Channel, n.ContactMethodId }).ToListAsync(ct);
        var alreadyTold = await db.Notifications.AsNoTracking()
            .Where(n => n.IncidentId != null && incidentIds.Contains(n.IncidentId.Value) && n.Purpose == NotificationPurposes.Notice)
            .Select(n => new { n.IncidentId, n.UserId, n.Body }).ToListAsync(ct);
        var people = await PagingPeople.LoadAsync(db, pages.Select(p => p.UserId).Distinct().ToList(), ct);
        // Actors are recorded by sign-in name (the e-mail); people read names.
        var actors = stopping.Select(e => e.StoppedBy).OfType<string>().Distinct().ToList();
        var actorNames = (await db.Users.AsNoTracking().Where(u => u.Email != null && actors.Contains(u.Email)).Select(u => new { u.Email, u.DisplayName }).ToListAsync(ct))
            .Where(u => !string.IsNullOrWhiteSpace(u.DisplayName)).ToDictionary(u => u.Email!, u => u.DisplayName, StringComparer.OrdinalIgnoreCase);
        foreach (var escalation in stopping)
        {
            escalation.State = EscalationStates.Stopped;
            escalation.Version++;
            if (!incidents.TryGetValue(escalation.IncidentId, out var incident)
                || escalation.StopKind is not (TimelineKinds.Acknowledged or TimelineKinds.Resolved or TimelineKinds.ResolvedWhenQuiet or TimelineKinds.AutoResolved))
            {
                continue; // Snoozed: the pages stop, nobody needs a message about it.
            }

            var who = escalation.StoppedBy is { Length: > 0 } by ? actorNames.GetValueOrDefault(by) ?? by : null;
            var text = escalation.StopKind == TimelineKinds.Acknowledged
                ? $"#{incident.Number} acknowledged by {who}. No need to respond."
                : $"#{incident.Number} resolved{(escalation.StopKind == TimelineKinds.Resolved && who is not null ? $" by {who}" : "")}. No need to respond.";
            foreach (var page in pages.Where(p => p.IncidentId == incident.Id).DistinctBy(p => p.UserId))
            {
                if (!people.TryGetValue(page.UserId, out var person) || person.Is(escalation.StoppedBy)
                    || alreadyTold.Any(t => t.IncidentId == incident.Id && t.UserId == page.UserId && t.Body == text))
                {
                    continue;
                }

                var channel = page.Channel == ContactChannel.WhatsApp ? ContactChannel.WhatsApp : ContactChannel.Sms;
                if (person.MethodFor(channel) is not { } method)
                {
                    continue;
                }

                db.Notifications.Add(NewRow(incident.Id, $",{incident.Number},", person.Id, method, channel, NotificationPurposes.Notice, text, incident.Priority, now));
            }
        }

        await SaveAsync(db, ct);
        return stopping.Count;
    }

    // ---- 2. Due escalation steps: who to page ----

    private async Task<int> EscalateAsync(DateTime now, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var due = await db.Escalations.Where(e => e.State == EscalationStates.Active && e.DueAt != null && e.DueAt <= now)
            .OrderBy(e => e.DueAt).Take(Batch).ToListAsync(ct);
        if (due.Count == 0)
        {
            return 0;
        }

        var incidentIds = due.Select(e => e.IncidentId).Distinct().ToList();
        var incidents = await db.Incidents.AsNoTracking().Where(i => incidentIds.Contains(i.Id)).ToDictionaryAsync(i => i.Id, ct);
        var policyIds = due.Select(e => e.PolicyId).Distinct().ToList();
        var policies = await db.EscalationPolicies.AsNoTracking().Where(p => policyIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, ct);
        var schedules = (await db.Schedules.AsNoTracking().Include(s => s.Overrides).ToListAsync(ct))
            .ToDictionary(s => s.Id, s => (Row: s, Schedule: OnCallSetup.ToSchedule(s)));
        var names = await OnCallSetup.UserNamesAsync(db, ct);
        var targets = await db.PageTargets.Where(t => due.Select(e => e.Id).Contains(t.EscalationId)).ToListAsync(ct);
        var touched = new List<Incident>();
        foreach (var escalation in due)
        {
            escalation.Version++;
            if (!incidents.TryGetValue(escalation.IncidentId, out var incident) || !PagingLedger.Pages(incident))
            {
                escalation.State = EscalationStates.Stopped;
                escalation.DueAt = null;
                continue;
            }

            if (!policies.TryGetValue(escalation.PolicyId, out var row))
            {
                escalation.State = EscalationStates.Stopped;
                escalation.DueAt = null;
                db.Timeline.Add(TimelineEntry.Paging(incident.Id, now, TimelineKinds.Escalated, "Paging stopped: its escalation policy was deleted."));
                touched.Add(incident);
                continue;
            }

            var policy = PagingJson.ParsePolicy(row);
            var plan = policy.Plan(escalation.StartedAt, new EscalationPosition(escalation.StepIndex, escalation.Repetition),
                id => schedules.TryGetValue(id.Value, out var s) ? s.Schedule.OnCallAt(now)?.UserId : null);
            if (plan is null)
            {
                escalation.DueAt = null;
                continue;
            }

            foreach (var userId in plan.UserIds)
            {
                var target = targets.FirstOrDefault(t => t.EscalationId == escalation.Id && t.UserId == userId);
                if (target is null)
                {
                    target = new PageTarget { EscalationId = escalation.Id, IncidentId = incident.Id, UserId = userId };
                    targets.Add(target);
                    db.PageTargets.Add(target);
                }

                // Paged again (a later pass): their contact rules start over.
                target.PagedAt = target.AnchorAt = now;
                target.AnchorIndex = target.UsedCount = 0;
                target.DueAt = now;
            }

            var who = plan.UserIds.Count == 0 ? "nobody to page" : "paging " + string.Join(", ", plan.UserIds.Select(u => names.GetValueOrDefault(u) ?? u));
            var nobody = plan.SchedulesWithNobodyOnCall.Select(s => schedules.TryGetValue(s.Value, out var x) ? x.Row.Name : s.ToString()).ToList();
            var pass = policy.Repeat > 0 ? $", pass {plan.Position.Repetition + 1} of {policy.Repeat + 1}" : "";
            db.Timeline.Add(TimelineEntry.Paging(incident.Id, now, TimelineKinds.Escalated,
                $"Step {plan.Position.StepIndex + 1} of {policy.Steps.Count}{pass} ({row.Name}): {who}."
                + (nobody.Count > 0 ? $" Nobody is on call in {string.Join(", ", nobody)}." : "")));
            touched.Add(incident);
            (escalation.StepIndex, escalation.Repetition) = plan.Next is { } next ? (next.StepIndex, next.Repetition) : (escalation.StepIndex, escalation.Repetition);
            escalation.DueAt = plan.NextDueAtUtc is { } nextDue ? (nextDue < now ? now : nextDue) : null;
        }

        if (await SaveAsync(db, ct))
        {
            Announce(touched);
        }

        return due.Count;
    }

    // ---- 3. Due contact rules: outbox rows ----

    private async Task<int> PlanAsync(DateTime now, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var due = await db.PageTargets.Where(t => t.DueAt != null && t.DueAt <= now).OrderBy(t => t.DueAt).Take(Batch).ToListAsync(ct);
        if (due.Count == 0)
        {
            return 0;
        }

        var incidentIds = due.Select(t => t.IncidentId).Distinct().ToList();
        var incidents = await db.Incidents.AsNoTracking().Where(i => incidentIds.Contains(i.Id)).ToDictionaryAsync(i => i.Id, ct);
        var people = await PagingPeople.LoadAsync(db, due.Select(t => t.UserId).Distinct().ToList(), ct);
        var touched = new List<Incident>();
        foreach (var target in due)
        {
            if (!incidents.TryGetValue(target.IncidentId, out var incident) || !PagingLedger.Pages(incident) || !people.TryGetValue(target.UserId, out var person))
            {
                target.DueAt = null;
                continue;
            }

            var rules = person.Rules;
            var progress = new ContactRulesProgress(target.AnchorAt, target.AnchorIndex, target.UsedCount);
            for (var guard = 0; guard <= rules.Rules.Count; guard++)
            {
                var step = rules.Advance(progress, now);
                progress = step.Progress;
                var moved = false;
                foreach (var rule in step.Due)
                {
                    if (person.MethodFor(rule.Channel) is not { } method)
                    {
                        db.Timeline.Add(TimelineEntry.Paging(incident.Id, now, TimelineKinds.PageFailed,
                            $"{person.Name} has no verified {ChannelName(rule.Channel)} contact; trying their next channel."));
                        touched.Add(incident);
                        var after = rules.MoveToNextChannel(progress, rule.RuleIndex, now);
                        moved |= after != progress;
                        progress = after;
                        continue;
                    }

                    var row = NewRow(incident.Id, $",{incident.Number},", person.Id, method, rule.Channel, NotificationPurposes.Page, null, incident.Priority, now);
                    row.PageTargetId = target.Id;
                    row.RuleIndex = rule.RuleIndex;
                    if (PageTiming.Decide(incident.Priority, person.QuietHours, now) is PageDecision.Hold hold)
                    {
                        row.SendAfter = hold.UntilUtc;
                        row.HeldFor = "quiet-hours";
                    }

                    db.Notifications.Add(row);
                }

                if (!moved)
                {
                    break;
                }
            }

            (target.AnchorAt, target.AnchorIndex, target.UsedCount) = (progress.AnchorUtc, progress.AnchorIndex, progress.UsedCount);
            target.DueAt = NextRuleDue(rules, progress);
        }

        if (await SaveAsync(db, ct))
        {
            Announce(touched);
        }

        return due.Count;
    }

    private static DateTime? NextRuleDue(ContactRules rules, ContactRulesProgress progress) =>
        progress.UsedCount < rules.Rules.Count ? rules.DueAt(progress, progress.UsedCount) : null;

    // ---- 4. Due outbox rows: bundle, cap, claim, send ----

    private async Task<int> SendAsync(DateTime now, CancellationToken ct)
    {
        List<Notification> claimed;
        Dictionary<IncidentId, Incident> incidents;
        Dictionary<string, PagedPerson> people;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var due = await db.Notifications.Where(n => n.Status == NotificationStatus.Pending && n.SendAfter <= now)
                .OrderBy(n => n.Id).Take(Batch).ToListAsync(ct);
            if (due.Count == 0)
            {
                return 0;
            }

            var incidentIds = due.Where(n => n.IncidentId != null).Select(n => n.IncidentId!.Value).Distinct().ToList();
            incidents = await db.Incidents.AsNoTracking().Where(i => incidentIds.Contains(i.Id)).ToDictionaryAsync(i => i.Id, ct);
            people = await PagingPeople.LoadAsync(db, due.Select(n => n.UserId).Distinct().ToList(), ct);
            var windowStart = now - ContactRateCaps.DefaultWindow;
            var userIds = people.Keys.ToList();
            var recent = await db.Notifications.AsNoTracking()
                .Where(n => userIds.Contains(n.UserId) && n.SendingAt != null && n.SendingAt > windowStart
                            && (n.Purpose == NotificationPurposes.Page || n.Purpose == NotificationPurposes.Digest))
                .Select(n => new { n.UserId, n.Channel, SendingAt = n.SendingAt!.Value }).ToListAsync(ct);

            claimed = [];
            foreach (var group in due.GroupBy(n => (n.UserId, n.Channel, n.To, Page: n.Purpose == NotificationPurposes.Page)))
            {
                var rows = group.ToList();
                if (!group.Key.Page)
                {
                    claimed.AddRange(rows);
                    continue;
                }

                // Pages for incidents no longer paging are not sent (the ledger cancels them; this covers a race).
                foreach (var stale in rows.Where(r => r.IncidentId is not { } id || !incidents.TryGetValue(id, out var i) || !PagingLedger.Pages(i)).ToList())
                {
                    stale.Status = NotificationStatus.Canceled;
                    stale.FinishedAt = now;
                    stale.Error = "Not sent: the incident no longer needs anyone.";
                    rows.Remove(stale);
                }

                if (rows.Count == 0)
                {
                    continue;
                }

                var cap = ContactRateCaps.Default.Check(group.Key.Channel,
                    recent.Where(r => r.UserId == group.Key.UserId && r.Channel == group.Key.Channel).Select(r => r.SendingAt), now);
                if (!cap.Allowed)
                {
                    foreach (var row in rows)
                    {
                        row.SendAfter = cap.AvailableAtUtc;
                        row.HeldFor = "rate-cap";
                    }

                    continue;
                }

                // Several pages for one person at once (a burst, or what quiet hours or a cap held back) go out as one.
                var carrier = rows[0];
                if (rows.Count > 1)
                {
                    var numbers = rows.Select(r => incidents[r.IncidentId!.Value].Number).Distinct().ToList();
                    carrier.IncidentNumbers = "," + string.Join(",", numbers) + ",";
                    if (rows.Any(r => r.HeldFor == "quiet-hours"))
                    {
                        carrier.Purpose = NotificationPurposes.Digest;
                    }

                    foreach (var row in rows.Skip(1))
                    {
                        row.Status = NotificationStatus.Bundled;
                        row.FinishedAt = now;
                        row.Error = null;
                        row.BundledIntoId = carrier.Id;
                    }
                }

                recent.Add(new { group.Key.UserId, group.Key.Channel, SendingAt = now });
                claimed.Add(carrier);
            }

            foreach (var row in claimed)
            {
                row.Status = NotificationStatus.Sending;
                row.SendingAt = now;
                row.Attempts++;
                row.Version++;
            }

            if (!await SaveAsync(db, ct))
            {
                return 1; // Another instance claimed some of them first: look again.
            }
        }

        // Bodies need the row ids (links, callbacks), so they are made after the claim is committed.
        var byNumber = incidents.Values.ToDictionary(i => i.Number);
        await Parallel.ForEachAsync(claimed, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct },
            async (row, token) => await DeliverAsync(row, byNumber, people, token));
        return claimed.Count;
    }

    private async Task DeliverAsync(Notification row, IReadOnlyDictionary<long, Incident> incidents, IReadOnlyDictionary<string, PagedPerson> people, CancellationToken ct)
    {
        TwilioResult result;
        var twilio = services.GetRequiredService<TwilioClient>();
        try
        {
            var paged = (row.IncidentNumbers ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries)
                .Select(n => long.Parse(n, CultureInfo.InvariantCulture)).Where(incidents.ContainsKey).Select(n => incidents[n]).ToList();
            if (row.Body is null)
            {
                row.Body = await ComposeAsync(row, paged, ct);
            }

            result = row.Channel switch
            {
                ContactChannel.Voice => await twilio.StartCallAsync(new TwilioCall(row.To, links.VoiceAnswerUrl(row.Id), links.VoiceStatusUrl(row.Id)), ct),
                ContactChannel.WhatsApp => await twilio.SendMessageAsync(WhatsApp(row, paged), ct),
                _ => await twilio.SendMessageAsync(new TwilioMessage(row.To, row.Body, links.SmsStatusUrl(row.Id)), ct),
            };
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            logger.LogError(ex, "Sending notification {NotificationId} failed unexpectedly.", row.Id);
            result = new TwilioResult.Uncertain("The send ended unexpectedly: " + ex.GetType().Name);
        }

        await RecordAsync(row.Id, row.Body, result, people.GetValueOrDefault(row.UserId), ct);
    }

    private async Task<string> ComposeAsync(Notification row, IReadOnlyList<Incident> paged, CancellationToken ct)
    {
        if (row.Channel == ContactChannel.Voice)
        {
            return VoiceScript.Say(paged);
        }

        var items = paged.Select(i => new PagedIncident(i.Number, i.Priority, i.Title)).ToList();
        if (items.Count > 1 || row.Purpose == NotificationPurposes.Digest)
        {
            var bundle = SmsComposer.Bundle(items).Text;
            return row.Purpose == NotificationPurposes.Digest ? "After quiet hours: " + bundle : bundle;
        }

        return items.Count == 1 ? SmsComposer.Page(items[0], await links.AcknowledgeLinkAsync(row.Id, ct)).Text : "Itoc360 page.";
    }

    private TwilioMessage WhatsApp(Notification row, IReadOnlyList<Incident> paged)
    {
        var to = "whatsapp:" + row.To;
        var twilioOptions = options.Value.Twilio;
        if (row.Purpose is NotificationPurposes.Page && paged.Count == 1 && !string.IsNullOrWhiteSpace(twilioOptions.WhatsAppContentSid))
        {
            var incident = paged[0];
            string Escape(string value) => System.Text.Json.JsonEncodedText.Encode(value).ToString();
            var variables = twilioOptions.WhatsAppContentVariables
                .Replace("{priority}", Escape(incident.Priority.ToString().ToUpperInvariant()), StringComparison.Ordinal)
                .Replace("{number}", incident.Number.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
                .Replace("{title}", Escape(incident.Title ?? ""), StringComparison.Ordinal)
                .Replace("{link}", Escape(row.Body?.Split('\n').FirstOrDefault(l => l.StartsWith("Ack: ", StringComparison.Ordinal))?[5..] ?? ""), StringComparison.Ordinal);
            return new TwilioMessage(to, null, links.SmsStatusUrl(row.Id), twilioOptions.WhatsAppContentSid, variables);
        }

        return new TwilioMessage(to, row.Body, links.SmsStatusUrl(row.Id));
    }

    /// <summary>Stores what Twilio said: the sid with Twilio's status, a later retry, uncertain, or failed (and then the next channel).</summary>
    private async Task RecordAsync(long id, string? body, TwilioResult result, PagedPerson? person, CancellationToken ct)
    {
        // A status callback may change the row at the same moment: decide again on the fresh row.
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            try
            {
                await RecordOnceAsync(id, body, result, person, ct);
                return;
            }
            catch (DbUpdateConcurrencyException) when (attempt < 5)
            {
            }
        }
    }

    private async Task RecordOnceAsync(long id, string? body, TwilioResult result, PagedPerson? person, CancellationToken ct)
    {
        var now = Now;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.Notifications.FirstAsync(n => n.Id == id, ct);
        row.Body = body;
        row.Version++;
        switch (result)
        {
            case TwilioResult.Accepted accepted:
                row.ProviderSid = accepted.Sid;
                // A status callback may already have moved it further: never backwards.
                row.Status = row.Status is NotificationStatus.Sending or NotificationStatus.Pending
                    ? NotificationStates.FromTwilio(accepted.Status) ?? NotificationStatus.Queued
                    : NotificationStates.Apply(row.Status, accepted.Status);
                row.SentAt ??= now;
                row.Error = null;
                if (row.IncidentId is { } incidentId && row.Purpose is NotificationPurposes.Page or NotificationPurposes.Digest)
                {
                    db.Timeline.Add(TimelineEntry.Paging(incidentId, now, TimelineKinds.Paged,
                        $"{ChannelTitle(row.Channel)} to {person?.Name ?? row.UserId} ({Mask(row.To)}) handed to Twilio."));
                }

                break;
            case TwilioResult.Unavailable unavailable when row.Attempts < options.Value.Paging.MaxSendAttempts:
                row.Status = NotificationStatus.Pending;
                row.HeldFor = "retry";
                row.SendAfter = now + TimeSpan.FromSeconds(30 * Math.Pow(2, row.Attempts - 1) * (0.8 + Random.Shared.NextDouble() * 0.4));
                row.Error = $"Twilio busy ({unavailable.HttpStatus?.ToString(CultureInfo.InvariantCulture) ?? "no answer"}); trying again at {row.SendAfter:HH:mm:ss} UTC.";
                break;
            case TwilioResult.Uncertain uncertain:
                // Twilio may have it: never resent blindly. Escalation carries on at its usual pace.
                row.Status = NotificationStatus.Uncertain;
                row.Error = uncertain.Reason;
                break;
            default:
                row.Status = NotificationStatus.Failed;
                row.FinishedAt = now;
                (row.Error, row.ErrorCode) = result switch
                {
                    TwilioResult.Refused refused => (refused.Message, refused.ErrorCode),
                    TwilioResult.Unavailable unavailable => ($"Twilio stayed unavailable after {row.Attempts} attempts: {unavailable.Reason}", null),
                    TwilioResult.NotConfigured => ("Twilio is not configured (Itoc360__Twilio__AccountSid, AuthToken, FromNumber).", null),
                    _ => ("Not sent.", null),
                };
                await FailedAsync(db, row, now, ct);
                break;
        }

        await db.SaveChangesAsync(ct);
        if (row.IncidentId is { } changed && await db.Incidents.AsNoTracking().FirstOrDefaultAsync(i => i.Id == changed, ct) is { } incident)
        {
            Announce([incident]);
        }
    }

    /// <summary>
    /// A page that will not reach its person: their next channel is due now (for every incident the
    /// notification carried). Called from the send and from status callbacks, inside the caller's unit of work.
    /// </summary>
    public static async Task FailedAsync(AppDbContext db, Notification row, DateTime now, CancellationToken ct)
    {
        if (row.Purpose is not (NotificationPurposes.Page or NotificationPurposes.Digest))
        {
            return;
        }

        var rows = await db.Notifications.Where(n => n.BundledIntoId == row.Id).ToListAsync(ct);
        rows.Add(row);
        var people = await PagingPeople.LoadAsync(db, [row.UserId], ct);
        if (!people.TryGetValue(row.UserId, out var person))
        {
            return;
        }

        foreach (var page in rows.Where(r => r.PageTargetId is not null && r.RuleIndex is not null))
        {
            var target = await db.PageTargets.FirstOrDefaultAsync(t => t.Id == page.PageTargetId, ct);
            if (target is null)
            {
                continue;
            }

            // A stopped escalation (DueAt null with rules left) stays stopped; otherwise the next rule is due now.
            var stopped = target.DueAt is null && target.UsedCount < person.Rules.Rules.Count;
            if (!stopped)
            {
                var progress = person.Rules.MoveToNextChannel(new ContactRulesProgress(target.AnchorAt, target.AnchorIndex, target.UsedCount), page.RuleIndex!.Value, now);
                (target.AnchorAt, target.AnchorIndex, target.UsedCount) = (progress.AnchorUtc, progress.AnchorIndex, progress.UsedCount);
                target.DueAt = NextRuleDue(person.Rules, progress);
            }

            if (page.IncidentId is { } incidentId)
            {
                db.Timeline.Add(TimelineEntry.Paging(incidentId, now, TimelineKinds.PageFailed,
                    $"{ChannelTitle(page.Channel)} to {person.Name} {page.Status.ToString().ToLowerInvariant()}{(row.Error is { } e ? $" ({e})" : "")}"
                    + (stopped ? "." : target.DueAt is null ? "; no channel left to try." : "; trying their next channel.")));
            }
        }
    }

    // ---- Sends cut short: a row left in Sending by a process that died mid-send ----

    /// <summary>How long a send may take before the row counts as cut short (well beyond the client's retries and timeouts).</summary>
    public static readonly TimeSpan SendingTooLong = TimeSpan.FromMinutes(3);

    private async Task RecoverAsync(DateTime now, CancellationToken ct)
    {
        var before = now - SendingTooLong;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var stuck = await db.Notifications.Where(n => n.Status == NotificationStatus.Sending && n.SendingAt < before).Take(Batch).ToListAsync(ct);
        foreach (var row in stuck)
        {
            // Twilio may have it: uncertain, never resent blindly; a status callback still settles it.
            row.Status = NotificationStatus.Uncertain;
            row.Error = "The send was cut short (the process stopped while sending); Twilio may or may not have it.";
            row.Version++;
        }

        if (stuck.Count > 0)
        {
            await SaveAsync(db, ct);
        }
    }

    // ---- 5. Prices: Twilio prices a message or call a little after it settles ----

    private DateTime _nextPriceCheck;

    private async Task PriceAsync(DateTime now, CancellationToken ct)
    {
        if (now < _nextPriceCheck)
        {
            return;
        }

        _nextPriceCheck = now.AddMinutes(1);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var settledBefore = now.AddMinutes(-2);
        var rows = await db.Notifications.Where(n => n.Price == null && n.ProviderSid != null && n.PriceChecks < 3
                && ((n.FinishedAt != null && n.FinishedAt < settledBefore) || (n.DeliveredAt != null && n.DeliveredAt < settledBefore)))
            .OrderBy(n => n.Id).Take(50).ToListAsync(ct);
        if (rows.Count == 0)
        {
            return;
        }

        var twilio = services.GetRequiredService<TwilioClient>();
        foreach (var row in rows)
        {
            row.PriceChecks++;
            if (await twilio.FetchPriceAsync(row.ProviderSid!, ct) is { } price)
            {
                (row.Price, row.PriceUnit) = (price.Price, price.Unit);
            }
        }

        await SaveAsync(db, ct);
    }

    // ---- Helpers ----

    public static Notification NewRow(IncidentId? incidentId, string? numbers, string userId, ContactMethod method, ContactChannel channel, string purpose,
        string? body, Priority? priority, DateTime now) => new()
        {
            IncidentId = incidentId,
            IncidentNumbers = numbers,
            UserId = userId,
            ContactMethodId = method.Id,
            Channel = channel,
            Purpose = purpose,
            To = method.Value,
            Body = body,
            Priority = priority,
            Status = NotificationStatus.Pending,
            CreatedAt = now,
            SendAfter = now,
            Version = 1,
        };

    public static string ChannelName(ContactChannel channel) => channel switch
    {
        ContactChannel.Voice => "phone (voice)",
        ContactChannel.WhatsApp => "WhatsApp",
        _ => "phone (SMS)",
    };

    public static string ChannelTitle(ContactChannel channel) => channel switch
    {
        ContactChannel.Voice => "Call",
        ContactChannel.WhatsApp => "WhatsApp",
        _ => "SMS",
    };

    /// <summary>+4915112345678 → +49…5678: enough to tell numbers apart in a timeline.</summary>
    public static string Mask(string number) => number.Length > 7 ? $"{number[..3]}…{number[^4..]}" : number;

    private async Task<bool> SaveAsync(AppDbContext db, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            logger.LogDebug("Paging rows changed meanwhile (another instance, or a person); the next run decides again.");
            return false;
        }
    }

    /// <summary>Tells open consoles that an incident's paging changed (its timeline and notifications), without a new version.</summary>
    private void Announce(IEnumerable<Incident> incidents) =>
        notifier.Publish(incidents.DistinctBy(i => i.Id).Select(i => new IncidentChanged(i.Id, i.Number, i.Status, i.Priority, i.Version, "paging", i.SourceId)).ToList());
}
