using System.Globalization;

namespace Itoc360.Web.Components.Controls;

/// <summary>Short, stable renderings of stored UTC times, the same on every page.</summary>
public static class TimeText
{
    public static string Utc(DateTime at) => at.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    public static string Ago(DateTime at, DateTime nowUtc)
    {
        var age = nowUtc - at;
        return age switch
        {
            { TotalSeconds: < 60 } => "just now",
            { TotalMinutes: < 60 } => $"{(int)age.TotalMinutes} min ago",
            { TotalHours: < 48 } => $"{(int)age.TotalHours} h ago",
            _ => Utc(at),
        };
    }
}
