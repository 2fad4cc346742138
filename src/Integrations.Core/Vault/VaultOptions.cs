using System.ComponentModel.DataAnnotations;

namespace Integrations.Core.Vault;

/// <summary>Limits of the vault. Bound from the <c>Vault</c> configuration section.</summary>
public sealed class VaultOptions
{
    public const string SectionName = "Vault";

    /// <summary>The largest value accepted, in bytes (UTF-8). Larger is 413. The hard ceiling (48 KiB) keeps a sealed value inside one Table property (64 KiB).</summary>
    [Range(1, 48 * 1024)]
    public int MaxValueBytes { get; set; } = 48 * 1024;

    /// <summary>How long a deleted secret can be restored before it may be purged (and the retention purge removes it).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "3650.00:00:00")]
    public TimeSpan SoftDeleteRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Secrets a project may hold, deleted ones included until they are purged (default 10,000). A create past it is 409.</summary>
    [Range(1, 1_000_000)]
    public int MaxSecretsPerProject { get; set; } = 10_000;

    /// <summary>Versions a secret may have (default 500). An update past it is 409: create a new secret, or purge and recreate.</summary>
    [Range(1, 100_000)]
    public int MaxVersionsPerSecret { get; set; } = 500;

    /// <summary>NCRONTAB (six fields, with seconds) of the job that purges deleted secrets past <see cref="SoftDeleteRetention"/>; the Functions timer reads the same setting.</summary>
    [Required]
    public string PurgeSchedule { get; set; } = "0 45 3 * * *";

    /// <summary>The most secrets one run of the retention purge removes (default 500); the rest wait for the next run.</summary>
    [Range(1, 100_000)]
    public int PurgeBatchSize { get; set; } = 500;

    /// <summary>NCRONTAB (six fields) of the daily secret expiry check; the Functions timer reads the same setting.</summary>
    [Required(ErrorMessage = "Vault:ExpiryCheckSchedule is required: an NCRONTAB expression with six fields, e.g. \"0 0 4 * * *\".")]
    public string ExpiryCheckSchedule { get; set; } = "0 0 4 * * *";

    /// <summary>The most secrets one run of the expiry check looks at (default 5000).</summary>
    [Range(1, 100_000, ErrorMessage = "Vault:ExpiryCheckBatchSize must be between 1 and 100000.")]
    public int ExpiryCheckBatchSize { get; set; } = 5000;
}
