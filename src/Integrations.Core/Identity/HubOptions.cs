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
}
