namespace Integrations.Core.Crypto;

/// <summary>A key wrapped by the root wrapper, with the id of the exact root key (version) that wrapped it.</summary>
/// <param name="RootKeyId">For Key Vault the versioned <c>kid</c> that wrapKey returned; for the local wrapper, <c>local:</c> and a fingerprint.</param>
/// <param name="Ciphertext">The wrapped key.</param>
/// <param name="Format">
/// <see cref="BoundFormat"/> (2): bound to its purpose and record (<see cref="KeyBinding"/>). <see cref="LegacyFormat"/> (1):
/// written before keys were bound; the key ring accepts it only until it has upgraded its records once.
/// </param>
public sealed record WrappedKey(string RootKeyId, byte[] Ciphertext, int Format = WrappedKey.BoundFormat)
{
    /// <summary>Unbound wraps written by the foundation.</summary>
    public const int LegacyFormat = 1;

    /// <summary>Wraps bound to their purpose and record id.</summary>
    public const int BoundFormat = 2;
}
