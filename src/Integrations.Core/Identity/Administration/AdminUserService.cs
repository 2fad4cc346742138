using Integrations.Core.Audit;
using Integrations.Core.Common;
using Integrations.Core.Identity.Lockout;
using Integrations.Core.Identity.Organizations;
using Integrations.Core.Identity.Recovery;
using Integrations.Core.Identity.Users;
using Microsoft.Extensions.Logging;

namespace Integrations.Core.Identity.Administration;

/// <summary>
/// What the platform operator does to people's accounts: list and search, unlock, mark verified, log out everywhere, send a
/// password reset, delete. The admin routes (platform admin key) and the CLI (storage access) call it. An operator never
/// sets or learns a password: "password" issues a reset link the person receives.
/// </summary>
public sealed partial class AdminUserService(
    IUserStore users,
    IRecoveryTokenStore recoveryTokens,
    ILoginThrottleReset throttleReset,
    IMembershipStore memberships,
    OrganizationMembers members,
    OwnerChangeLock ownerLock,
    UserSessionService sessions,
    Social.ISocialLinkStore socialLinks,
    RecoveryService recovery,
    AuditLog audit,
    TimeProvider time,
    ILogger<AdminUserService> logger)
{
    public const int MaxSearchLength = 254;

    /// <summary>Users whose address starts with <paramref name="search"/> (case-insensitive), one page.</summary>
    public async Task<Result<PagedList<User>>> ListAsync(string? search, PageRequest page, CancellationToken cancellationToken = default)
    {
        var prefix = string.IsNullOrWhiteSpace(search) ? null : search.Trim().ToLowerInvariant();
        if (prefix is { Length: > MaxSearchLength })
        {
            return HubError.Invalid(RecoveryErrors.InvalidUserSearch, $"search must be at most {MaxSearchLength} characters.", "search");
        }

        return await users.ListAsync(prefix, page, cancellationToken).ConfigureAwait(false);
    }

    public Task<User?> GetAsync(string userId, CancellationToken cancellationToken = default) => users.GetAsync(userId, cancellationToken);

    /// <summary>Clears the account's login lock (every failure counted against it). 404 when there is no such user.</summary>
    public async Task<Result<User>> UnlockAsync(string userId, CancellationToken cancellationToken = default)
    {
        var user = await users.GetAsync(userId, cancellationToken).ConfigureAwait(false);
        if (user is null)
        {
            return HubError.NotFound("user");
        }

        await throttleReset.ResetAsync(user.EmailLookupKey, cancellationToken).ConfigureAwait(false);
        Log.Unlocked(logger, user.Id);
        return user;
    }

    /// <summary>Marks the address verified (idempotent).</summary>
    public async Task<Result<User>> VerifyAsync(string userId, CancellationToken cancellationToken = default)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var user = await users.GetAsync(userId, cancellationToken).ConfigureAwait(false);
            if (user is null)
            {
                return HubError.NotFound("user");
            }

            if (user.EmailVerified)
            {
                return user;
            }

            var verified = user with { EmailVerified = true, UpdatedAt = time.GetUtcNow() };
            if (await users.UpdateAsync(verified, cancellationToken).ConfigureAwait(false) == WriteOutcome.Written)
            {
                Log.Verified(logger, user.Id);
                return verified with { ETag = null };
            }
        }

        return HubError.Conflict(UserErrors.AccountChanged, "The account kept changing; try again.");
    }

    /// <summary>Ends every session of the user (their refresh tokens stop at once). The number ended.</summary>
    public Task<Result<int>> LogoutAsync(string userId, CancellationToken cancellationToken = default) => sessions.LogoutAllAsync(userId, cancellationToken);

    /// <summary>Sends the user a password-reset link (event and/or mail). The token is returned for the CLI only; routes never show it.</summary>
    public Task<Result<IssuedRecoveryToken>> SendPasswordResetAsync(string userId, CancellationToken cancellationToken = default) =>
        recovery.IssuePasswordResetAsync(userId, cancellationToken);

    /// <summary>
    /// Deletes the account: recovery tokens, refresh tokens, sessions, the user row and the email claim (the address and the
    /// display name with them), and clears its login lock. Returns the keyed HMAC of the address (<see cref="AuditLog.HmacAsync"/>)
    /// for the audit record, which never keeps the address itself. 404 when there is no such user.
    /// </summary>
    public async Task<Result<string>> DeleteAsync(string userId, CancellationToken cancellationToken = default)
    {
        var user = await users.GetAsync(userId, cancellationToken).ConfigureAwait(false);
        if (user is null)
        {
            return HubError.NotFound("user");
        }

        var memberOf = await memberships.ListByUserAsync(user.Id, cancellationToken).ConfigureAwait(false);
        // The owner locks of the organizations they own, held through the check and the delete: an owner demoted elsewhere
        // meanwhile must not leave such an organization with no one.
        var held = new List<ILockHandle>();
        try
        {
            foreach (var owned in memberOf.Where(m => m.Role == OrganizationRole.Owner).OrderBy(m => m.OrganizationId, StringComparer.Ordinal))
            {
                if (await ownerLock.AcquireAsync(owned.OrganizationId, cancellationToken).ConfigureAwait(false) is not { } owners)
                {
                    return HubError.Conflict(MemberErrors.MembershipChanged, "Another change of an organization's owners is under way; try again.");
                }

                held.Add(owners);
            }

            if (await SoleOwnerOfSharedOrganizationAsync(user.Id, memberOf, cancellationToken).ConfigureAwait(false) is { } organizationId)
            {
                return HubError.Conflict(MemberErrors.LastOwner,
                    $"The user is the only owner of organization {organizationId}, which has other members; make one of them an owner first.");
            }

            var emailHmac = await audit.HmacAsync(user.EmailLookupKey, cancellationToken).ConfigureAwait(false);
            // Credentials first: if the process dies midway, what is left can no longer be used to act as the person.
            var recoveryCount = await recoveryTokens.DeleteForUserAsync(user.Id, cancellationToken).ConfigureAwait(false);
            // Social links before the user's partition goes: their rows there name the claims that would log in as the person.
            await socialLinks.DeleteForUserAsync(user.Id, cancellationToken).ConfigureAwait(false);
            await users.DeleteAsync(user.Id, cancellationToken).ConfigureAwait(false);
            // The memberships' authority rows went with the user's partition; their index rows go after (the index is removed
            // last). An index row left by a crash here names a user who no longer exists and grants nothing (authority is
            // read from the user's partition, and every authenticated request and refresh reads the user first).
            foreach (var membership in memberOf)
            {
                await memberships.RemoveAsync(user.Id, membership.OrganizationId, cancellationToken).ConfigureAwait(false);
                await members.AnnounceRemovalAsync(membership.OrganizationId, user.Id, cancellationToken).ConfigureAwait(false);
            }

            await throttleReset.ResetAsync(user.EmailLookupKey, cancellationToken).ConfigureAwait(false);
            Log.Deleted(logger, user.Id, recoveryCount, memberOf.Count);
            return emailHmac;
        }
        finally
        {
            foreach (var owners in held)
            {
                await owners.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// An organization where the user is the only Owner and someone else is a member (their personal one included, once they
    /// invited people): deleting the user would leave those members with nobody able to manage it. Null when there is none.
    /// </summary>
    private async Task<string?> SoleOwnerOfSharedOrganizationAsync(string userId, IReadOnlyList<Membership> memberOf, CancellationToken cancellationToken)
    {
        foreach (var owned in memberOf.Where(m => m.Role == OrganizationRole.Owner))
        {
            var others = (await memberships.ListByOrganizationAsync(owned.OrganizationId, cancellationToken).ConfigureAwait(false))
                .Where(m => !string.Equals(m.UserId, userId, StringComparison.Ordinal))
                .ToList();
            if (others.Count == 0)
            {
                continue;
            }

            var anotherOwner = false;
            foreach (var other in others.Where(m => m.Role == OrganizationRole.Owner))
            {
                // Confirmed by the authority row, as the last-owner rule does: the index may briefly hold a member being removed.
                if (await memberships.FindAsync(other.UserId, owned.OrganizationId, cancellationToken).ConfigureAwait(false) is { Role: OrganizationRole.Owner })
                {
                    anotherOwner = true;
                    break;
                }
            }

            if (!anotherOwner)
            {
                return owned.OrganizationId;
            }
        }

        return null;
    }

    // Event ids 9730-9759 are recovery's and admin's. User ids only.
    private static partial class Log
    {
        [LoggerMessage(EventId = 9750, Level = LogLevel.Information, Message = "Admin: login lock of user {UserId} cleared.")]
        public static partial void Unlocked(ILogger logger, string userId);

        [LoggerMessage(EventId = 9751, Level = LogLevel.Information, Message = "Admin: email of user {UserId} marked verified.")]
        public static partial void Verified(ILogger logger, string userId);

        [LoggerMessage(EventId = 9752, Level = LogLevel.Information, Message = "Admin: user {UserId} deleted with their sessions ({RecoveryTokens} recovery token(s), {Memberships} membership(s) removed).")]
        public static partial void Deleted(ILogger logger, string userId, int recoveryTokens, int memberships);
    }
}
