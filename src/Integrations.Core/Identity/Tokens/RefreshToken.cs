using Integrations.Core.Crypto;

namespace Integrations.Core.Identity.Tokens;

/// <summary>
/// The opaque refresh-token string, in the API key's shape (<see cref="ApiKeyToken"/>): <c>ihr_</c>, 32 base62 characters of
/// randomness (~190 bits), and a 6-character base62 CRC32 of what precedes it. The prefix lets secret scanners recognise a
/// leaked token and keeps it apart from an API key (<c>ihk_</c>); the checksum rejects a mistyped or made-up token without a
/// storage lookup. At rest only its keyed lookup hash is kept (<see cref="LookupHash"/>: an HMAC of its SHA-256 under the
/// ring's authority key, with a label of its own), so someone who can read storage cannot use a stored token and someone
/// who can write storage cannot plant one they made.
/// </summary>
public static class RefreshToken
{
    public const string Prefix = "ihr_";
    public const int Length = ChecksummedToken.Length;

    /// <summary>A new refresh token. It is shown to its holder once; store only its <see cref="LookupHash"/>.</summary>
    public static string Generate() => ChecksummedToken.Generate(Prefix);

    /// <summary>True when <paramref name="token"/> has the refresh token's shape and a matching checksum.</summary>
    public static bool IsWellFormed(ReadOnlySpan<char> token) => ChecksummedToken.IsWellFormed(token, Prefix);

    /// <summary>SHA-256 of the token's UTF-8 bytes.</summary>
    public static byte[] Digest(string token) => ChecksummedToken.Digest(token);

    /// <summary>The stored form: lowercase hex HMAC-SHA256 under the authority key, labelled for refresh tokens.</summary>
    public static string LookupHash(AuthorityKey authorityKey, string token)
    {
        ArgumentNullException.ThrowIfNull(authorityKey);
        return authorityKey.RefreshTokenLookupHash(Digest(token));
    }

    /// <summary>What a list of sessions may show to tell tokens apart: the prefix and the last four characters (never logged).</summary>
    public static string Hint(string token) => ChecksummedToken.Hint(token);
}
