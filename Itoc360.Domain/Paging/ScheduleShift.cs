namespace Itoc360.Domain.Paging;

/// <summary>
/// One stretch of time with one person on call: a rotation turn (between two hand-offs), or the part of
/// an override that is not hidden by a newer override. <see cref="UntilUtc"/> is exclusive.
/// </summary>
/// <param name="Override">The override that put <paramref name="UserId"/> on call; null for a rotation turn.</param>
public readonly record struct ScheduleShift(string UserId, DateTime FromUtc, DateTime UntilUtc, ScheduleOverride? Override = null)
{
    public bool IsOverride => Override is not null;
}
