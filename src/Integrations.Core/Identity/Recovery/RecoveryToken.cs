using Integrations.Core.Crypto;

namespace Integrations.Core.Identity.Recovery;

/// <summary>
/// The opaque email-verification and password-reset token strings, in the API key's shape (<see cref="ChecksummedToken"/>): a
/// prefix of their own (<c>ihv_</c> verification, <c>ihp_</c> reset), 32 base62 characters of randomness (~190 bits) and a
/// 6-character CRC32 checksum. The prefix keeps a reset token from ever verifying an address (or the reverse) and lets secret
/// scanners recognise a leak; the checksum refuses a mistyped or made-up token without a storage read. At rest only the keyed
/// lookup hash is kept (<see cref="LookupHash"/>): a MAC under the ring's authority key, labelled per purpose.
/// </summary>
public static class RecoveryToken
{
    public const string VerificationPrefix = "ihv_";
    public const string ResetPrefix = "ihp_";
    public const int Length = ChecksummedToken.Length;

    // Not a row MAC: the keyed hash a recovery token is found under (the purpose is part of what is MAC'd).
    private const string LookupKind = "recovery-lookup/v1";

    public static string PrefixOf(RecoveryPurpose purpose) => purpose == RecoveryPurpose.EmailVerification ? VerificationPrefix : ResetPrefix;

    /// <summary>A new token for <paramref name="purpose"/>. Shown once (mailed); store only its <see cref="LookupHash"/>.</summary>
    public static string Generate(RecoveryPurpose purpose) => ChecksummedToken.Generate(PrefixOf(purpose));

    /// <summary>True when <paramref name="token"/> has the shape and checksum of a token for <paramref name="purpose"/>.</summary>
    public static bool IsWellFormed(ReadOnlySpan<char> token, RecoveryPurpose purpose) => ChecksummedToken.IsWellFormed(token, PrefixOf(purpose));

    /// <summary>The stored form: lowercase hex HMAC-SHA256 under the authority key over the purpose and the token's SHA-256.</summary>
    public static string LookupHash(AuthorityKey authorityKey, RecoveryPurpose purpose, string token)
    {
        ArgumentNullException.ThrowIfNull(authorityKey);
        var digest = Convert.ToHexStringLower(ChecksummedToken.Digest(token));
        return Convert.ToHexStringLower(Convert.FromBase64String(authorityKey.RowMac(LookupKind, [purpose.ToString(), digest])));
    }
}
