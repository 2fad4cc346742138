namespace Integrations.Core.Crypto;

/// <summary>A key wrapped by the root wrapper, with the id of the exact root key (version) that wrapped it.</summary>
/// <param name="RootKeyId">For Key Vault the versioned <c>kid</c> that wrapKey returned; for the local wrapper, <c>local:</c> and a fingerprint.</param>
/// <param name="Ciphertext">The wrapped key.</param>
public sealed record WrappedKey(string RootKeyId, byte[] Ciphertext);
