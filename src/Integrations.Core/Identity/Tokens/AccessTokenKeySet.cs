using System.Collections.Frozen;

namespace Integrations.Core.Identity.Tokens;

/// <summary>
/// The signing keys an instance holds at one moment: the one that signs new tokens, every key whose tokens are still
/// accepted (the signer included), and the JWKS document that publishes them. Immutable; replaced whole on reload.
/// </summary>
public sealed class AccessTokenKeySet
{
    internal AccessTokenKeySet(SigningKey signer, IReadOnlyList<SigningKey> accepted, DateTimeOffset readAt, DateTimeOffset freshUntil)
    {
        Signer = signer;
        Accepted = accepted;
        ById = accepted.ToFrozenDictionary(k => k.Id, StringComparer.Ordinal);
        ReadAt = readAt;
        FreshUntil = freshUntil;
        JwksJson = Jwks.Write(accepted);
    }

    /// <summary>The key that signs new tokens: the newest usable one.</summary>
    public SigningKey Signer { get; }

    /// <summary>Every key whose tokens are accepted and published, newest first.</summary>
    public IReadOnlyList<SigningKey> Accepted { get; }

    /// <summary>The JWK Set (RFC 7517 §5) of <see cref="Accepted"/>: public parts only.</summary>
    public string JwksJson { get; }

    internal FrozenDictionary<string, SigningKey> ById { get; }

    internal DateTimeOffset ReadAt { get; }

    /// <summary>When this set must be read again: the refresh interval, a key's end of acceptance, or its unwrap age.</summary>
    internal DateTimeOffset FreshUntil { get; }
}
