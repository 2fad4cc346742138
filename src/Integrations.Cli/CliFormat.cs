using System.Globalization;
using Integrations.Core.Common;

namespace Integrations.Cli;

/// <summary>How times and durations look in the CLI's output: UTC, sortable, independent of the machine's culture.</summary>
internal static class CliFormat
{
    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Time(DateTimeOffset? time) => time is { } value ? Time(value) : "-";

    public static string Duration(TimeSpan duration) =>
        ((long)duration.TotalHours).ToString("00", CultureInfo.InvariantCulture) + duration.ToString(@"\:mm\:ss", CultureInfo.InvariantCulture);

    public static string Count(long count) => count.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Text that came from storage or a caller (names, targets), for a plain <c>Text</c> cell: characters that do not
    /// print (controls, bidi overrides, zero-width) shown as <c>\u{XXXX}</c>, so an operator sees what is stored and
    /// no name can rearrange or hide the rest of a line.
    /// </summary>
    public static string Text(string? text) => PrintableText.Escape(text);

    /// <summary><see cref="Text"/>, escaped again for Spectre markup.</summary>
    public static string Markup(string? text) => Spectre.Console.Markup.Escape(PrintableText.Escape(text));
}
