using System.Globalization;
using Integrations.Core.Identity.Users;

namespace Integrations.Core.Integrity;

// Users, their email claims and sessions: the rows that decide who can log in and which refresh token works.
public sealed partial class AuthorityRows
{
    /// <summary>The MAC domain of a user row: its password hash, address and security stamp decide who can log in as them.</summary>
    public const string UserKind = "user/v1";

    /// <summary>The MAC domain of an email claim row: it decides which user an address logs in as.</summary>
    public const string EmailClaimKind = "email-claim/v1";

    /// <summary>The MAC domain of a session row: whether it is revoked, which refresh token is current, and until when.</summary>
    public const string SessionKind = "session/v1";

    // Not a row MAC: the keyed hash an email claim is found under, so partition keys never show an address.
    private const string EmailLookupKind = "email-lookup/v1";

    /// <summary>
    /// The partition key of an address's claim: lowercase hex of a MAC under the authority key over the lookup key, so a
    /// storage reader sees no address in keys (or logs of them) and cannot test guesses without the key.
    /// </summary>
    public async ValueTask<string> EmailLookupHashAsync(string emailLookupKey, CancellationToken cancellationToken = default)
    {
        var authority = await keys.GetAuthorityKeyAsync(cancellationToken).ConfigureAwait(false);
        return Convert.ToHexStringLower(Convert.FromBase64String(authority.RowMac(EmailLookupKind, [emailLookupKey])));
    }

    /// <summary>The MAC of a user row (<see cref="Fields(User)"/>).</summary>
    public async ValueTask<string> SignAsync(User user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        var authority = await keys.GetAuthorityKeyAsync(cancellationToken).ConfigureAwait(false);
        return authority.RowMac(UserKind, Fields(user));
    }

    /// <summary>True when <paramref name="mac"/> covers the user's fields as they are.</summary>
    public async ValueTask<bool> VerifyAsync(User user, string? mac, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        var authority = await keys.GetAuthorityKeyAsync(cancellationToken).ConfigureAwait(false);
        return authority.VerifyRowMac(UserKind, Fields(user), mac);
    }

    /// <summary>The MAC of an email claim: the claim's partition (the address's lookup hash), its user and when it was made.</summary>
    public async ValueTask<string> SignEmailClaimAsync(string emailLookupHash, string userId, DateTimeOffset claimedAt, CancellationToken cancellationToken = default)
    {
        var authority = await keys.GetAuthorityKeyAsync(cancellationToken).ConfigureAwait(false);
        return authority.RowMac(EmailClaimKind, [emailLookupHash, userId, Time(claimedAt)]);
    }

    /// <summary>True when <paramref name="mac"/> binds the claim of <paramref name="emailLookupHash"/> to <paramref name="userId"/>.</summary>
    public async ValueTask<bool> VerifyEmailClaimAsync(
        string emailLookupHash, string userId, DateTimeOffset claimedAt, string? mac, CancellationToken cancellationToken = default)
    {
        var authority = await keys.GetAuthorityKeyAsync(cancellationToken).ConfigureAwait(false);
        return authority.VerifyRowMac(EmailClaimKind, [emailLookupHash, userId, Time(claimedAt)], mac);
    }

    /// <summary>The MAC of a session row (<see cref="Fields(Session)"/>).</summary>
    public async ValueTask<string> SignAsync(Session session, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        var authority = await keys.GetAuthorityKeyAsync(cancellationToken).ConfigureAwait(false);
        return authority.RowMac(SessionKind, Fields(session));
    }

    /// <summary>True when <paramref name="mac"/> covers the session's fields as they are.</summary>
    public async ValueTask<bool> VerifyAsync(Session session, string? mac, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        var authority = await keys.GetAuthorityKeyAsync(cancellationToken).ConfigureAwait(false);
        return authority.VerifyRowMac(SessionKind, Fields(session), mac);
    }

    /// <summary>Every field of a user, in MAC order (all but the ETag).</summary>
    public static IReadOnlyList<string?> Fields(User user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return
        [
            user.Id,
            user.Email,
            user.EmailLookupKey,
            user.PasswordHash,
            user.EmailVerified ? "1" : "0",
            user.DisplayName,
            Time(user.CreatedAt),
            Time(user.UpdatedAt),
            Time(user.PasswordChangedAt),
            user.SecurityStamp,
        ];
    }

    /// <summary>Every field of a session, in MAC order (all but the ETag; the sealed pair by its bytes).</summary>
    public static IReadOnlyList<string?> Fields(Session session)
    {
        ArgumentNullException.ThrowIfNull(session);
        return
        [
            session.Id,
            session.UserId,
            session.OrganizationId,
            session.SecurityStamp,
            session.Source,
            Time(session.CreatedAt),
            Time(session.LastRefreshedAt),
            Time(session.ExpiresAt),
            session.Generation.ToString(CultureInfo.InvariantCulture),
            session.CurrentTokenHash,
            session.PreviousTokenHash,
            Time(session.RotatedAt),
            session.SealedGrace is null ? null : Convert.ToBase64String(session.SealedGrace),
            Time(session.RevokedAt),
            session.RevokedReason,
        ];
    }
}
