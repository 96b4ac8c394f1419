namespace Itoc360.Domain.Incidents;

/// <summary>Incident priority. Declared from most to least severe, so a smaller value is more urgent.</summary>
public enum Priority
{
    Critical = 0,
    High = 1,
    Medium = 2,
    Low = 3,
}

public static class PriorityExtensions
{
    /// <summary>True when <paramref name="priority"/> is more urgent than <paramref name="other"/>.</summary>
    public static bool IsMoreUrgentThan(this Priority priority, Priority other) => priority < other;

    public static bool TryParse(string? text, out Priority priority) =>
        Enum.TryParse(text, ignoreCase: true, out priority) && Enum.IsDefined(priority);
}
