namespace Integrations.Core.Crypto;

/// <summary>What a hub key is for. Each purpose is bound into its wrapped form (<see cref="KeyBinding"/>).</summary>
public enum KeyPurpose
{
    /// <summary>A KEK: wraps the data keys of sealed values.</summary>
    DataKeyEncryption,

    /// <summary>The key of the audit log's HMACs and hash chain.</summary>
    AuditHmac,

    /// <summary>
    /// The key of authority: API keys are looked up by an HMAC under it, and every row that grants authority (API keys,
    /// the project → organization mapping) carries a MAC under it, so a storage writer can neither mint nor widen access.
    /// </summary>
    AuthorityMac,

    /// <summary>
    /// An ECDSA P-256 private key (PKCS#8) that signs user access tokens (ES256). Several may be held at once: the newest
    /// signs, older ones stay published and accepted until every token they signed has expired
    /// (<c>Identity.Tokens.AccessTokenSigningKeys</c>).
    /// </summary>
    AccessTokenSigning,
}
