using System.ComponentModel.DataAnnotations;

namespace Integrations.Core.Identity;

/// <summary>Platform settings. Bound from the <c>Hub</c> configuration section.</summary>
public sealed class HubOptions
{
    public const string SectionName = "Hub";

    /// <summary>The platform admin key: creates organizations and rotates keys. At least 32 characters.</summary>
    [Required(ErrorMessage = "Hub:AdminKey is required: set it to a random string of at least 32 characters (e.g. `openssl rand -base64 32`).")]
    [MinLength(32, ErrorMessage = "Hub:AdminKey must be at least 32 characters.")]
    public string AdminKey { get; set; } = "";

    /// <summary>How long an instance trusts an API key it has looked up. A revocation made on another instance takes effect within this time.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan ApiKeyCacheDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long an instance remembers that a well-formed key does not exist, so a flood of the same made-up key costs one
    /// storage read, not one per request. Keys are random, so no key can be asked for before it is created.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan UnknownKeyCacheDuration { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The longest an API key may live (default 365 days). A key created without <c>expires_at</c> expires this long
    /// after creation; a later <c>expires_at</c> is refused. The exceptions: the owner key created with an organization,
    /// and a key an operator creates with <c>ihub apikeys create --no-expiry</c> (both never expire).
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "3650.00:00:00", ErrorMessage = "Hub:MaxApiKeyLifetime must be between 1 minute and 3650 days (d.hh:mm:ss).")]
    public TimeSpan MaxApiKeyLifetime { get; set; } = TimeSpan.FromDays(365);

    /// <summary>
    /// How many API keys an organization may hold (default 1,000), revoked and expired ones included until the cleanup
    /// job removes them (<see cref="EndedApiKeyRetention"/> after they ended), so storage per tenant stays bounded.
    /// </summary>
    [Range(1, 1_000_000, ErrorMessage = "Hub:MaxApiKeysPerOrganization must be between 1 and 1000000.")]
    public int MaxApiKeysPerOrganization { get; set; } = 1_000;

    /// <summary>How many projects an organization may have (default 1,000).</summary>
    [Range(1, 1_000_000, ErrorMessage = "Hub:MaxProjectsPerOrganization must be between 1 and 1000000.")]
    public int MaxProjectsPerOrganization { get; set; } = 1_000;

    /// <summary>
    /// How long the rows of an expired or revoked API key are kept (default 30 days: it still lists, so its owner can see
    /// why a client fails) before the <see cref="ApiKeyCleanupSchedule"/> job removes them, audited.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "3650.00:00:00", ErrorMessage = "Hub:EndedApiKeyRetention must be between 0 and 3650 days.")]
    public TimeSpan EndedApiKeyRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>NCRONTAB (six fields, with seconds) of the job that removes ended API keys; the Functions timer reads the same setting.</summary>
    [Required]
    public string ApiKeyCleanupSchedule { get; set; } = "0 45 3 * * *";

    /// <summary>
    /// The hub's public URL as browsers and providers reach it (e.g. <c>https://hub.example.com</c>, or with a path prefix
    /// behind a proxy): OAuth redirect URIs are <c>{PublicBaseUrl}/v1/oauth/callback</c> and start links
    /// <c>{PublicBaseUrl}/v1/oauth/start</c>. Absolute, no query, fragment or user info; https outside Development except on a
    /// loopback host (checked by <see cref="HubOptionsValidator"/>). Required by the API (the CLI does not use it).
    /// </summary>
    public string? PublicBaseUrl { get; set; }
}
