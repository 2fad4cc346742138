namespace Integrations.Core.Crypto;

/// <summary>
/// The root of the key hierarchy: wraps and unwraps KEKs and other hub keys. An Azure Key Vault key in
/// production, a local root key from configuration for development. Every wrap is bound to its purpose and record
/// (<see cref="KeyBinding"/>): unwrapping with another binding fails, so wrapped keys cannot be swapped between records.
/// </summary>
public interface IRootKeyWrapper
{
    /// <summary>Wraps <paramref name="key"/> with the current root key, bound to <paramref name="binding"/> (<see cref="WrappedKey.BoundFormat"/>).</summary>
    Task<WrappedKey> WrapAsync(ReadOnlyMemory<byte> key, KeyBinding binding, CancellationToken cancellationToken = default);

    /// <summary>
    /// Unwraps with the root key named in <paramref name="wrapped"/>. A <see cref="WrappedKey.BoundFormat"/> wrap must carry
    /// <paramref name="binding"/>, else <see cref="SecretIntegrityException"/>; a <see cref="WrappedKey.LegacyFormat"/> wrap
    /// carries none (whether to accept one is the key ring's decision). The caller zeroes the result.
    /// </summary>
    Task<byte[]> UnwrapAsync(WrappedKey wrapped, KeyBinding binding, CancellationToken cancellationToken = default);

    /// <summary>
    /// The id of the root key that <see cref="WrapAsync"/> uses now, as it would appear in <see cref="WrappedKey.RootKeyId"/>:
    /// for Key Vault the versioned <c>kid</c> of the key's current version, for the local wrapper <c>local:</c> and a
    /// fingerprint. A root rotation compares it with each stored record to find the ones still under an earlier root key.
    /// </summary>
    Task<string> GetCurrentKeyIdAsync(CancellationToken cancellationToken = default);

    /// <summary>Checks that the root key can be used (for readiness probes) without wrapping real material.</summary>
    Task CheckAsync(CancellationToken cancellationToken = default);
}
