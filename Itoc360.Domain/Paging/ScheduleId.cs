namespace Itoc360.Domain.Paging;

/// <summary>Identifies an on-call schedule; escalation steps point at schedules by this id.</summary>
public readonly record struct ScheduleId(Guid Value)
{
    public static ScheduleId New() => new(Guid.CreateVersion7());
    public override string ToString() => Value.ToString();
}
