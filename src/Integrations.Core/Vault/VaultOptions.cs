using System.ComponentModel.DataAnnotations;

namespace Integrations.Core.Vault;

/// <summary>Limits of the vault. Bound from the <c>Vault</c> configuration section.</summary>
public sealed class VaultOptions
{
    public const string SectionName = "Vault";

    /// <summary>The largest value accepted, in bytes (UTF-8). Larger is 413. The hard ceiling (48 KiB) keeps a sealed value inside one Table property (64 KiB).</summary>
    [Range(1, 48 * 1024)]
    public int MaxValueBytes { get; set; } = 48 * 1024;

    /// <summary>How long a deleted secret can be restored before it may be purged.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "3650.00:00:00")]
    public TimeSpan SoftDeleteRetention { get; set; } = TimeSpan.FromDays(30);
}
