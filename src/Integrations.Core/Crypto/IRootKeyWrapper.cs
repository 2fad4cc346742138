namespace Integrations.Core.Crypto;

/// <summary>
/// The root of the key hierarchy: wraps and unwraps KEKs and other hub keys. An Azure Key Vault key in
/// production, a local root key from configuration for development.
/// </summary>
public interface IRootKeyWrapper
{
    /// <summary>Wraps <paramref name="key"/> with the current root key.</summary>
    Task<WrappedKey> WrapAsync(ReadOnlyMemory<byte> key, CancellationToken cancellationToken = default);

    /// <summary>Unwraps with the root key named in <paramref name="wrapped"/>. The caller zeroes the result.</summary>
    Task<byte[]> UnwrapAsync(WrappedKey wrapped, CancellationToken cancellationToken = default);

    /// <summary>
    /// The id of the root key that <see cref="WrapAsync"/> uses now, as it would appear in <see cref="WrappedKey.RootKeyId"/>:
    /// for Key Vault the versioned <c>kid</c> of the key's current version, for the local wrapper <c>local:</c> and a
    /// fingerprint. A root rotation compares it with each stored record to find the ones still under an earlier root key.
    /// </summary>
    Task<string> GetCurrentKeyIdAsync(CancellationToken cancellationToken = default);

    /// <summary>Checks that the root key can be used (for readiness probes) without wrapping real material.</summary>
    Task CheckAsync(CancellationToken cancellationToken = default);
}
