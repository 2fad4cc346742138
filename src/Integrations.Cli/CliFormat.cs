using System.Globalization;

namespace Integrations.Cli;

/// <summary>How times and durations look in the CLI's output: UTC, sortable, independent of the machine's culture.</summary>
internal static class CliFormat
{
    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Time(DateTimeOffset? time) => time is { } value ? Time(value) : "-";

    public static string Duration(TimeSpan duration) =>
        ((long)duration.TotalHours).ToString("00", CultureInfo.InvariantCulture) + duration.ToString(@"\:mm\:ss", CultureInfo.InvariantCulture);

    public static string Count(long count) => count.ToString(CultureInfo.InvariantCulture);
}
