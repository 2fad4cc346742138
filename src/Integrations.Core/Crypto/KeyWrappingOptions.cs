using System.ComponentModel.DataAnnotations;

namespace Integrations.Core.Crypto;

/// <summary>Which root key wraps the hub's KEKs. Bound from the <c>KeyWrapping</c> configuration section.</summary>
public sealed class KeyWrappingOptions
{
    public const string SectionName = "KeyWrapping";

    /// <summary><see cref="KeyWrappingProvider.Local"/> (development) or <see cref="KeyWrappingProvider.KeyVault"/>.</summary>
    public KeyWrappingProvider Provider { get; set; } = KeyWrappingProvider.Local;

    /// <summary>Local provider: the 32-byte root key, base64.</summary>
    public string? RootKey { get; set; }

    /// <summary>Local provider: earlier root keys, base64, still accepted for unwrapping until a root rotation re-wraps every KEK.</summary>
    public IList<string> PreviousRootKeys { get; } = [];

    /// <summary>Key Vault provider: the key's URI, e.g. <c>https://myvault.vault.azure.net/keys/hub-root</c> (unversioned: wrap uses the current version).</summary>
    public Uri? KeyId { get; set; }

    /// <summary>How often an instance re-reads which KEK is active. A rotation waits this long before verifying.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan ActiveKeyRefreshInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a write may take from sealing a value to storing it (storage retries included). A rotation verifies
    /// only after <see cref="ActiveKeyRefreshInterval"/> plus this time has passed since the new KEK became active.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan RotationSettleTime { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How long a retired KEK still opens values (a straggler written just after the rotation verified) and is
    /// re-checked by rotations. After it the KEK is not loaded at all: a leaked KEK stops being useful.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "365.00:00:00")]
    public TimeSpan RetiredKekGracePeriod { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// When KEKs rotate on their own: an NCRONTAB expression (six fields, UTC), e.g. <c>0 0 3 1 1,4,7,10 *</c> for
    /// quarterly; empty (the default) for never. A rotation is due once an occurrence has passed since the active KEK
    /// became active; <see cref="RotationCheckSchedule"/> is how often that is checked.
    /// </summary>
    public string? RotationSchedule { get; set; }

    /// <summary>How often both shells check whether a scheduled rotation is due (NCRONTAB, six fields; default hourly).</summary>
    public string RotationCheckSchedule { get; set; } = "0 10 * * * *";

    /// <summary>
    /// How long an instance uses a KEK it unwrapped before unwrapping it again through the root wrapper (default 1 hour).
    /// Disabling or deleting the Key Vault key therefore stops decryption on every instance within this time.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "KeyWrapping:MaxUnwrappedKeyAge must be between 1 second and 1 day (hh:mm:ss).")]
    public TimeSpan MaxUnwrappedKeyAge { get; set; } = TimeSpan.FromHours(1);
}
