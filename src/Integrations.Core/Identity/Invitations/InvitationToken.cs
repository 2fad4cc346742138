using Integrations.Core.Crypto;

namespace Integrations.Core.Identity.Invitations;

/// <summary>
/// The opaque invitation token string, in the API key's shape (<see cref="ChecksummedToken"/>): the prefix <c>ihi_</c>, 32
/// base62 characters of randomness (~190 bits) and a 6-character CRC32 checksum. The prefix keeps it apart from every other
/// hub token (a recovery token is never an invitation) and lets secret scanners recognise a leak; the checksum refuses a
/// mistyped or made-up token without a storage read. At rest only <see cref="LookupHash"/> is kept.
/// </summary>
public static class InvitationToken
{
    public const string Prefix = "ihi_";
    public const int Length = ChecksummedToken.Length;

    // Not a row MAC: the keyed hash an invitation is found under, in a label of its own.
    private const string LookupKind = "invitation-lookup/v1";

    /// <summary>A new token. Shown once (to the inviter and in the delivery); store only its <see cref="LookupHash"/>.</summary>
    public static string Generate() => ChecksummedToken.Generate(Prefix);

    /// <summary>True when <paramref name="token"/> has the shape and checksum of an invitation token.</summary>
    public static bool IsWellFormed(ReadOnlySpan<char> token) => ChecksummedToken.IsWellFormed(token, Prefix);

    /// <summary>The stored form: lowercase hex HMAC-SHA256 under the authority key over the token's SHA-256.</summary>
    public static string LookupHash(AuthorityKey authorityKey, string token)
    {
        ArgumentNullException.ThrowIfNull(authorityKey);
        var digest = Convert.ToHexStringLower(ChecksummedToken.Digest(token));
        return Convert.ToHexStringLower(Convert.FromBase64String(authorityKey.RowMac(LookupKind, [digest])));
    }
}
