using System.ComponentModel.DataAnnotations;

namespace Integrations.Core.Counters;

/// <summary>How the durable counters (<see cref="HubCounters"/>) buffer, flush and expire (section <c>Counters</c>).</summary>
public sealed class CounterOptions
{
    public const string SectionName = "Counters";

    /// <summary>
    /// How often an instance writes its buffered sums (and on shutdown). A crash loses at most this much of the instance's
    /// counting, and other instances see its counts this late. Default 30 seconds.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00", ErrorMessage = "Counters:FlushInterval must be between 00:00:01 and 00:10:00.")]
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Rows for hours older than this are deleted by the cleanup job (<c>Counters:CleanupSchedule</c>). At least a day and an
    /// hour: the status endpoint reads the last 24 hours. Default 8 days.
    /// </summary>
    [Range(typeof(TimeSpan), "1.01:00:00", "400.00:00:00", ErrorMessage = "Counters:Retention must be between 1.01:00:00 (the status reads 24 hours) and 400.00:00:00.")]
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(8);

    /// <summary>
    /// At most this many (key, hour) buffers are held in memory. A recording that needs a new buffer beyond it is dropped
    /// (counted, logged at the next flush) and an early flush is asked for; buffers of past hours are released once
    /// flushed. Default 20,000 (a few hundred bytes each).
    /// </summary>
    [Range(100, 1_000_000, ErrorMessage = "Counters:MaxBufferedKeys must be between 100 and 1000000.")]
    public int MaxBufferedKeys { get; set; } = 20_000;
}
