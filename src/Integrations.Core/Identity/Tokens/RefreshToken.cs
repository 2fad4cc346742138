using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Integrations.Core.Common;
using Integrations.Core.Crypto;
using Integrations.Core.Identity.Users;

namespace Integrations.Core.Identity.Tokens;

/// <summary>
/// The refresh-token string: opaque to its holder, but it names the session it belongs to so a refresh is one read of that
/// session, with no row per token. In the API key's shape (a prefix, then ASCII letters and digits, then a 6-character
/// base62 CRC32 of what precedes it, see <see cref="ApiKeyToken"/>):
/// <c>ihr_</c> · the session id's 20 random characters · the user id's 20 · the generation (8 hex digits) · a 16-character
/// base62 nonce (~95 bits) · a 24-hex-digit tag (96 bits of an HMAC under the ring's authority key over everything before
/// it) · the checksum.
/// </summary>
/// <remarks>
/// <para>
/// Two keyed values do two jobs. The <b>lookup hash</b> (<see cref="LookupHash"/>) of the whole token is what the session
/// row stores for its current and previous token: only the token with that exact nonce and tag rotates. The <b>tag</b>
/// proves that the hub issued a token of that session and generation, so a consumed token that comes back is recognised as
/// reuse and ends the family, while a made-up token naming someone's session (ids leak: the access token carries
/// <c>sid</c>) is refused without touching it. Neither can be forged without the authority key, and at rest only the
/// lookup hash exists.
/// </para>
/// <para>
/// The prefix lets secret scanners recognise a leaked token and keeps it apart from an API key (<c>ihk_</c>); the checksum
/// rejects a mistyped token without a storage read.
/// </para>
/// </remarks>
public static class RefreshToken
{
    public const string Prefix = "ihr_";

    private const int IdRandomLength = 20;
    private const int GenerationLength = 8;
    private const int NonceLength = 16;
    private const int TagBytes = 12;
    private const int TagLength = TagBytes * 2;
    private const int SessionStart = 4;
    private const int UserStart = SessionStart + IdRandomLength;
    private const int GenerationStart = UserStart + IdRandomLength;
    private const int NonceStart = GenerationStart + GenerationLength;
    private const int TagStart = NonceStart + NonceLength;
    private const int ChecksumStart = TagStart + TagLength;

    /// <summary>Characters in a refresh token.</summary>
    public const int Length = ChecksumStart + ChecksummedToken.ChecksumLength;

    /// <summary>
    /// A new token of <paramref name="sessionId"/> (of <paramref name="userId"/>) for <paramref name="generation"/>. It is
    /// shown to its holder once; store only its <see cref="LookupHash"/>.
    /// </summary>
    public static string Issue(AuthorityKey authorityKey, string userId, string sessionId, int generation)
    {
        ArgumentNullException.ThrowIfNull(authorityKey);
        if (!Ids.IsValid(User.IdPrefix, userId) || !Ids.IsValid(Session.IdPrefix, sessionId))
        {
            throw new ArgumentException("The user or session id is not one the hub issues.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(generation);
        Span<char> chars = stackalloc char[Length];
        Prefix.AsSpan().CopyTo(chars);
        sessionId.AsSpan(Session.IdPrefix.Length + 1).CopyTo(chars[SessionStart..]);
        userId.AsSpan(User.IdPrefix.Length + 1).CopyTo(chars[UserStart..]);
        generation.TryFormat(chars.Slice(GenerationStart, GenerationLength), out _, "x8", CultureInfo.InvariantCulture);
        ChecksummedToken.FillRandom(chars.Slice(NonceStart, NonceLength));
        var tag = Tag(authorityKey, chars[..TagStart]);
        Convert.TryToHexStringLower(tag, chars.Slice(TagStart, TagLength), out _);
        ChecksummedToken.WriteChecksum(chars[..ChecksumStart], chars[ChecksumStart..]);
        return new string(chars);
    }

    /// <summary>True when <paramref name="token"/> has the refresh token's shape and a matching checksum.</summary>
    public static bool IsWellFormed(ReadOnlySpan<char> token) => ChecksummedToken.IsWellFormed(token, Prefix, Length);

    /// <summary>
    /// The session a well-formed token names, or null for anything else. Names only: whether the hub issued it is
    /// <see cref="HasValidTag"/>, whether it is the session's current token is its <see cref="LookupHash"/>.
    /// </summary>
    public static RefreshTokenSubject? ReadSubject(string? token)
    {
        if (token is null || !IsWellFormed(token))
        {
            return null;
        }

        var sessionId = string.Concat(Session.IdPrefix, "_", token.AsSpan(SessionStart, IdRandomLength));
        var userId = string.Concat(User.IdPrefix, "_", token.AsSpan(UserStart, IdRandomLength));
        var generationText = token.AsSpan(GenerationStart, GenerationLength);
        if (!Ids.IsValid(Session.IdPrefix, sessionId) || !Ids.IsValid(User.IdPrefix, userId) || !IsLowerHex(generationText)
            || !int.TryParse(generationText, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var generation) || generation < 0)
        {
            return null;
        }

        return new RefreshTokenSubject(userId, sessionId, generation);
    }

    /// <summary>True when the token's tag is the authority key's over the rest: the hub issued it. Constant time.</summary>
    public static bool HasValidTag(AuthorityKey authorityKey, string token)
    {
        ArgumentNullException.ThrowIfNull(authorityKey);
        if (!IsWellFormed(token))
        {
            return false;
        }

        Span<byte> presented = stackalloc byte[TagBytes];
        if (Convert.FromHexString(token.AsSpan(TagStart, TagLength), presented, out _, out var written) != System.Buffers.OperationStatus.Done
            || written != TagBytes)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(presented, Tag(authorityKey, token.AsSpan(0, TagStart)));
    }

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

    private static ReadOnlySpan<byte> Tag(AuthorityKey authorityKey, ReadOnlySpan<char> body)
    {
        Span<byte> ascii = stackalloc byte[body.Length];
        Encoding.ASCII.GetBytes(body, ascii);
        return authorityKey.RefreshTokenTag(ascii).AsSpan(0, TagBytes);
    }

    private static bool IsLowerHex(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>The session a refresh token names (read from the token; not yet checked against the session).</summary>
/// <param name="UserId">The session's user.</param>
/// <param name="SessionId">The session (family).</param>
/// <param name="Generation">The session generation the token was issued in.</param>
public sealed record RefreshTokenSubject(string UserId, string SessionId, int Generation);
