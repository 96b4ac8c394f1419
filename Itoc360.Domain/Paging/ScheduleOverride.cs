using System.Diagnostics.CodeAnalysis;

namespace Itoc360.Domain.Paging;

/// <summary>
/// Someone covers a schedule from <see cref="StartUtc"/> (inclusive) to <see cref="EndUtc"/> (exclusive)
/// whatever the rotation says. Where overrides overlap, the one created last wins
/// (<see cref="CreatedAtUtc"/>; on a tie, the later one in the schedule's list).
/// </summary>
public sealed record ScheduleOverride(string UserId, DateTime StartUtc, DateTime EndUtc, DateTime CreatedAtUtc)
{
    /// <summary>Longer covers than this are almost certainly a typo in the year.</summary>
    public static readonly TimeSpan MaxLength = TimeSpan.FromDays(366);

    /// <summary>
    /// Validates user input for an override. Times must be UTC; an unspecified kind (as read back from
    /// SQLite) is taken as UTC, a local kind is refused because its meaning depends on the server.
    /// </summary>
    public static bool TryCreate(string? userId, DateTime startUtc, DateTime endUtc, DateTime createdAtUtc,
        [NotNullWhen(true)] out ScheduleOverride? value, out IReadOnlyDictionary<string, string[]> errors)
    {
        var found = new Dictionary<string, string[]>();
        void Add(string key, string message) =>
            found[key] = found.TryGetValue(key, out var list) ? [.. list, message] : [message];

        if (string.IsNullOrWhiteSpace(userId))
        {
            Add("userId", "An override needs the user who covers.");
        }

        if (startUtc.Kind == DateTimeKind.Local)
        {
            Add("start", "The start must be given in UTC.");
        }

        if (endUtc.Kind == DateTimeKind.Local)
        {
            Add("end", "The end must be given in UTC.");
        }

        if (endUtc <= startUtc)
        {
            Add("end", "The end must be after the start.");
        }
        else if (endUtc - startUtc > MaxLength)
        {
            Add("end", $"An override can last at most {MaxLength.TotalDays:0} days.");
        }

        errors = found;
        if (found.Count > 0)
        {
            value = null;
            return false;
        }

        value = new ScheduleOverride(userId!.Trim(), AsUtc(startUtc), AsUtc(endUtc), AsUtc(createdAtUtc));
        return true;
    }

    internal bool Covers(DateTime utc) => StartUtc <= utc && utc < EndUtc;

    internal static DateTime AsUtc(DateTime value) =>
        value.Kind == DateTimeKind.Utc ? value : DateTime.SpecifyKind(value, DateTimeKind.Utc);
}
