using System.Diagnostics.CodeAnalysis;

namespace Itoc360.Domain.Paging;

/// <summary>
/// An escalation policy: ordered steps, gone through <see cref="Repeat"/> + 1 times. Pure.
/// </summary>
/// <remarks>
/// <para>
/// Semantics (as in GoAlert and PagerDuty): step 1 is paged the moment escalation starts. A step's
/// <see cref="EscalationStep.DelayMinutes"/> is how long it waits for an acknowledgement before the next
/// step is paged; after the last step's delay the policy starts again from step 1, <see cref="Repeat"/>
/// more times, and after the last step of the last pass it stops. So step <c>i</c> of pass <c>r</c> is
/// due at <c>start + r × (sum of all delays) + (sum of the delays of the steps before i)</c>.
/// Acknowledging stops the escalation (the caller's business); if an acknowledgement times out, the
/// caller starts again from <see cref="EscalationPosition.First"/> with a new start time.
/// </para>
/// <para>
/// Because the delay is the wait *after* a step, a delay of 0 only makes sense where nothing follows:
/// every step that another page follows (a next step, or a repeat) needs at least 1 minute; 0 is
/// accepted on the last step of a policy that does not repeat (the API's one-step example).
/// </para>
/// </remarks>
public sealed class EscalationPolicy
{
    public const int MaxNameLength = 100;
    public const int MaxSteps = 20;
    public const int MaxTargetsPerStep = 20;
    public const int MaxDelayMinutes = 1440;
    public const int MaxRepeat = 9;

    private EscalationPolicy(string name, int repeat, IReadOnlyList<EscalationStep> steps)
    {
        Name = name;
        Repeat = repeat;
        Steps = steps;
        CycleMinutes = steps.Sum(s => s.DelayMinutes);
    }

    public string Name { get; }

    /// <summary>How many times the steps run again after the first pass (0..9).</summary>
    public int Repeat { get; }

    public IReadOnlyList<EscalationStep> Steps { get; }

    /// <summary>The length of one pass through all steps.</summary>
    public int CycleMinutes { get; }

    /// <summary>
    /// Validates user input; never throws on it. Error keys follow the API's JSON names. The optional
    /// predicates let the caller report targets that do not exist under the target's own key.
    /// </summary>
    public static bool TryCreate(string? name, int repeat, IReadOnlyList<EscalationStep?>? steps,
        [NotNullWhen(true)] out EscalationPolicy? policy, out IReadOnlyDictionary<string, string[]> errors,
        Func<string, bool>? userExists = null, Func<ScheduleId, bool>? scheduleExists = null)
    {
        var found = new Dictionary<string, string[]>();
        void Add(string key, string message) =>
            found[key] = found.TryGetValue(key, out var list) ? [.. list, message] : [message];

        if (string.IsNullOrWhiteSpace(name))
        {
            Add("name", "A policy needs a name.");
        }
        else if (name.Trim().Length > MaxNameLength)
        {
            Add("name", $"A name can have at most {MaxNameLength} characters.");
        }

        if (repeat is < 0 or > MaxRepeat)
        {
            Add("repeat", $"Repeat is between 0 and {MaxRepeat}.");
        }

        steps ??= [];
        if (steps.Count == 0)
        {
            Add("steps", "A policy needs at least one step.");
        }
        else if (steps.Count > MaxSteps)
        {
            Add("steps", $"A policy can have at most {MaxSteps} steps.");
        }

        for (var i = 0; i < steps.Count; i++)
        {
            var key = $"steps[{i}]";
            var step = steps[i];
            if (step is null)
            {
                Add(key, "A step cannot be empty.");
                continue;
            }

            var somethingFollows = i < steps.Count - 1 || repeat > 0;
            if (step.DelayMinutes is < 0 or > MaxDelayMinutes)
            {
                Add($"{key}.delayMinutes", $"A delay is between 0 and {MaxDelayMinutes} minutes.");
            }
            else if (step.DelayMinutes == 0 && somethingFollows)
            {
                Add($"{key}.delayMinutes", i < steps.Count - 1
                    ? "Wait at least 1 minute before the next step (to page more people at once, add them to this step)."
                    : "Wait at least 1 minute before the policy repeats.");
            }

            var targets = step.Targets ?? [];
            if (targets.Count == 0)
            {
                Add($"{key}.targets", "A step needs at least one user or schedule.");
            }
            else if (targets.Count > MaxTargetsPerStep)
            {
                Add($"{key}.targets", $"A step can have at most {MaxTargetsPerStep} targets.");
            }

            var seen = new HashSet<EscalationTarget>();
            for (var t = 0; t < targets.Count; t++)
            {
                var targetKey = $"{key}.targets[{t}]";
                switch (targets[t])
                {
                    case EscalationTarget.UserTarget { UserId: var userId } when string.IsNullOrWhiteSpace(userId):
                        Add($"{targetKey}.userId", "A user id cannot be empty.");
                        break;
                    case EscalationTarget.UserTarget { UserId: var userId } when userExists is not null && !userExists(userId.Trim()):
                        Add($"{targetKey}.userId", $"There is no user '{userId.Trim()}'.");
                        break;
                    case EscalationTarget.ScheduleTarget { ScheduleId: var scheduleId } when scheduleId.Value == Guid.Empty:
                        Add($"{targetKey}.scheduleId", "A schedule id cannot be empty.");
                        break;
                    case EscalationTarget.ScheduleTarget { ScheduleId: var scheduleId } when scheduleExists is not null && !scheduleExists(scheduleId):
                        Add($"{targetKey}.scheduleId", $"There is no schedule '{scheduleId}'.");
                        break;
                    case null:
                        Add(targetKey, "A target is a userId or a scheduleId.");
                        break;
                    case var target when !seen.Add(Normalize(target)):
                        Add(targetKey, "This target is already in the step.");
                        break;
                }
            }
        }

        errors = found;
        if (found.Count > 0)
        {
            policy = null;
            return false;
        }

        policy = new EscalationPolicy(name!.Trim(), repeat,
            steps.Select(s => new EscalationStep(s!.DelayMinutes, s.Targets.Select(Normalize).ToArray())).ToArray());
        return true;
    }

    private static EscalationTarget Normalize(EscalationTarget target) =>
        target is EscalationTarget.UserTarget user ? EscalationTarget.User(user.UserId.Trim()) : target;

    /// <summary>The total number of pages a policy sends if nobody acknowledges.</summary>
    public int PositionCount => Steps.Count * (Repeat + 1);

    /// <summary>True when <paramref name="position"/> exists in this policy (a stored position may not, after an edit).</summary>
    public bool Contains(EscalationPosition position) =>
        position.StepIndex >= 0 && position.StepIndex < Steps.Count &&
        position.Repetition >= 0 && position.Repetition <= Repeat;

    /// <summary>The position after <paramref name="position"/>; null when escalation stops there.</summary>
    public EscalationPosition? After(EscalationPosition position)
    {
        if (!Contains(position))
        {
            return null;
        }

        if (position.StepIndex + 1 < Steps.Count)
        {
            return position with { StepIndex = position.StepIndex + 1 };
        }

        return position.Repetition < Repeat ? new EscalationPosition(0, position.Repetition + 1) : null;
    }

    /// <summary>When <paramref name="position"/> is due for an escalation that started at <paramref name="startedAtUtc"/>.</summary>
    public DateTime DueAt(DateTime startedAtUtc, EscalationPosition position)
    {
        if (!Contains(position))
        {
            throw new ArgumentOutOfRangeException(nameof(position), position, "The policy has no such position.");
        }

        var minutes = (long)position.Repetition * CycleMinutes;
        for (var i = 0; i < position.StepIndex; i++)
        {
            minutes += Steps[i].DelayMinutes;
        }

        return AsUtc(startedAtUtc).AddMinutes(minutes);
    }

    /// <summary>
    /// The latest position due at <paramref name="nowUtc"/> (where escalation should stand if every
    /// page went out on time); null before the start. After the end this is the last position.
    /// </summary>
    public EscalationPosition? CurrentAt(DateTime startedAtUtc, DateTime nowUtc)
    {
        nowUtc = AsUtc(nowUtc);
        EscalationPosition? current = null;
        for (EscalationPosition? p = EscalationPosition.First; p is { } at && DueAt(startedAtUtc, at) <= nowUtc; p = After(at))
        {
            current = at;
        }

        return current;
    }

    /// <summary>
    /// What to page at <paramref name="position"/> and when escalation moves on. Schedules are resolved
    /// through <paramref name="onCall"/> (the user on call now, or null); null when the position is not
    /// in the policy (e.g. the policy lost steps since the position was stored): escalation is over.
    /// </summary>
    public EscalationPlan? Plan(DateTime startedAtUtc, EscalationPosition position, Func<ScheduleId, string?> onCall)
    {
        if (!Contains(position))
        {
            return null;
        }

        var (users, nobody) = Resolve(Steps[position.StepIndex], onCall);
        var next = After(position);
        return new EscalationPlan(position, DueAt(startedAtUtc, position), users, nobody,
            next, next is { } n ? DueAt(startedAtUtc, n) : null);
    }

    /// <summary>
    /// The people a step pages: users as listed, schedules as their on-call user; duplicates removed,
    /// first occurrence kept. Also returns the schedules with nobody on call, to record as a warning.
    /// </summary>
    public static (IReadOnlyList<string> UserIds, IReadOnlyList<ScheduleId> SchedulesWithNobodyOnCall) Resolve(
        EscalationStep step, Func<ScheduleId, string?> onCall)
    {
        var users = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var nobody = new List<ScheduleId>();
        foreach (var target in step.Targets)
        {
            var userId = target switch
            {
                EscalationTarget.UserTarget user => user.UserId,
                EscalationTarget.ScheduleTarget schedule => onCall(schedule.ScheduleId),
                _ => null,
            };

            if (string.IsNullOrWhiteSpace(userId))
            {
                if (target is EscalationTarget.ScheduleTarget empty)
                {
                    nobody.Add(empty.ScheduleId);
                }

                continue;
            }

            if (seen.Add(userId))
            {
                users.Add(userId);
            }
        }

        return (users, nobody);
    }

    private static DateTime AsUtc(DateTime value) =>
        value.Kind == DateTimeKind.Utc ? value : DateTime.SpecifyKind(value, DateTimeKind.Utc);
}
