using System.ComponentModel.DataAnnotations;

namespace Integrations.Core.OAuth.Tokens;

/// <summary>The refresh-ahead job (<see cref="RefreshAheadService"/>). Bound from <c>OAuth</c> and validated at start.</summary>
public sealed class RefreshAheadOptions
{
    public const string SectionName = "OAuth";

    /// <summary>NCRONTAB (six fields) of the job; default every 5 minutes. The Functions timer reads the same setting.</summary>
    [Required(ErrorMessage = "OAuth:RefreshAheadSchedule is required: an NCRONTAB expression with six fields, e.g. \"0 */5 * * * *\".")]
    public string RefreshAheadSchedule { get; set; } = "0 */5 * * * *";

    /// <summary>At most this many connections are looked at per run (oldest due first); the rest wait for the next run. Default 200.</summary>
    [Range(1, 5000, ErrorMessage = "OAuth:RefreshAheadBatchSize must be between 1 and 5000.")]
    public int RefreshAheadBatchSize { get; set; } = 200;
}
