using System.ComponentModel.DataAnnotations;

namespace Integrations.Core.Audit;

/// <summary>Audit log settings. Bound from the <c>Audit</c> configuration section.</summary>
public sealed class AuditOptions
{
    public const string SectionName = "Audit";

    /// <summary>How long records are kept (default 2555 days, seven years).</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "36500.00:00:00")]
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(2555);

    /// <summary>The shortest retention an organization may set for its own records (default 365 days).</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "36500.00:00:00")]
    public TimeSpan MinimumRetention { get; set; } = TimeSpan.FromDays(365);

    /// <summary>The longest retention an organization may set for its own records (default 3650 days).</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "36500.00:00:00")]
    public TimeSpan MaximumRetention { get; set; } = TimeSpan.FromDays(3650);

    /// <summary>Records younger than this are not sealed yet, so a request still writing its record is not skipped by the chain.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan SealDelay { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The range an audit query covers when it gives no <c>from</c> (default the last 7 days).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "366.00:00:00")]
    public TimeSpan DefaultQueryRange { get; set; } = TimeSpan.FromDays(7);

    /// <summary>The widest range one audit query may cover (default 31 days): a query reads every segment in its range.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "3660.00:00:00")]
    public TimeSpan MaxQueryRange { get; set; } = TimeSpan.FromDays(31);

    /// <summary>NCRONTAB (six fields, with seconds) of the retention cleanup; the Functions timer reads the same setting.</summary>
    [Required]
    public string CleanupSchedule { get; set; } = "0 30 3 * * *";

    /// <summary>NCRONTAB (six fields) of the job that seals new records into the hash chain.</summary>
    [Required]
    public string SealSchedule { get; set; } = "0 */5 * * * *";
}
