using System.ComponentModel.DataAnnotations;

namespace Integrations.Core.OAuth;

/// <summary>The daily check of providers' <c>client_secret_expires_at</c> (<see cref="ClientSecretExpiryCheck"/>). Bound from <c>OAuth</c>.</summary>
public sealed class ClientSecretExpiryOptions
{
    public const string SectionName = "OAuth";

    /// <summary>NCRONTAB (six fields); default daily at 04:15 UTC. The Functions timer reads the same setting.</summary>
    [Required(ErrorMessage = "OAuth:ClientSecretExpiryCheckSchedule is required: an NCRONTAB expression with six fields, e.g. \"0 15 4 * * *\".")]
    public string ClientSecretExpiryCheckSchedule { get; set; } = "0 15 4 * * *";

    /// <summary>At most this many providers are checked per run. Default 1000.</summary>
    [Range(1, 100_000, ErrorMessage = "OAuth:ClientSecretExpiryBatchSize must be between 1 and 100000.")]
    public int ClientSecretExpiryBatchSize { get; set; } = 1000;
}
