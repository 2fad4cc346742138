using System.Security.Cryptography;
using Integrations.Core.Common;
using Integrations.Core.Crypto;
using Integrations.Core.Identity.Lockout;
using Integrations.Core.Identity.Passwords;
using Integrations.Core.Identity.Users;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Integrations.Core.Identity.Recovery;

/// <summary>
/// Email verification and password reset through single-use, short-lived tokens (<see cref="RecoveryToken"/>), stored only as
/// keyed hashes in MAC'd rows. Host-agnostic: the recovery routes, the admin routes and the CLI call it.
/// </summary>
/// <remarks>
/// A token is used once: the use is a write conditional on the row's ETag, so of two concurrent uses one wins. A reset token
/// also records the user's security stamp at issue: any password change, reset or logout-everywhere replaces the stamp, so
/// every other reset token of the user dies with it. A confirmed reset sets the new hash, marks the address verified (the
/// person just read mail sent to it), ends every session in the same transaction as the user row (a new security stamp),
/// and clears the account's login lock (<see cref="ILoginThrottleReset"/>), so an attacker cannot keep the owner locked out.
/// </remarks>
public sealed partial class RecoveryService(
    IUserStore users,
    IRecoveryTokenStore tokens,
    KeyRing keyRing,
    IPasswordHasher hasher,
    PasswordPolicy policy,
    ILoginThrottleReset throttleReset,
    RecoveryDelivery delivery,
    IOptions<RecoveryOptions> options,
    TimeProvider time,
    ILogger<RecoveryService> logger)
{
    private const int MaxAttempts = 5;

    /// <summary>Issues an email-verification token for the user and delivers it (event, mail). 404 when there is no such user.</summary>
    public async Task<Result<IssuedRecoveryToken>> IssueVerificationAsync(string userId, CancellationToken cancellationToken = default)
    {
        var user = await users.GetAsync(userId, cancellationToken).ConfigureAwait(false);
        if (user is null)
        {
            return HubError.NotFound("user");
        }

        return await IssueAsync(user, RecoveryPurpose.EmailVerification, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Issues a password-reset token for the user and delivers it (the admin's reset, the CLI's <c>reset-password</c>).</summary>
    public async Task<Result<IssuedRecoveryToken>> IssuePasswordResetAsync(string userId, CancellationToken cancellationToken = default)
    {
        var user = await users.GetAsync(userId, cancellationToken).ConfigureAwait(false);
        if (user is null)
        {
            return HubError.NotFound("user");
        }

        return await IssueAsync(user, RecoveryPurpose.PasswordReset, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Uses a verification token: marks the address verified. Errors: <see cref="RecoveryErrors.InvalidRecoveryToken"/>
    /// (malformed, wrong checksum, a reset token, unknown), <see cref="RecoveryErrors.RecoveryTokenExpired"/>,
    /// <see cref="RecoveryErrors.RecoveryTokenUsed"/>.
    /// </summary>
    public async Task<Result<User>> VerifyEmailAsync(string? token, CancellationToken cancellationToken = default)
    {
        var found = await FindUsableAsync(token, RecoveryPurpose.EmailVerification, cancellationToken).ConfigureAwait(false);
        if (!found.IsSuccess)
        {
            return found.Error;
        }

        var (record, user) = found.Value;
        if (await tokens.MarkUsedAsync(record, time.GetUtcNow(), cancellationToken).ConfigureAwait(false) != WriteOutcome.Written)
        {
            return Used();
        }

        for (var attempt = 0; attempt < MaxAttempts && user is not null; attempt++)
        {
            if (user.EmailVerified)
            {
                break;
            }

            var verified = user with { EmailVerified = true, UpdatedAt = time.GetUtcNow() };
            if (await users.UpdateAsync(verified, cancellationToken).ConfigureAwait(false) == WriteOutcome.Written)
            {
                user = verified with { ETag = null };
                break;
            }

            user = await users.GetAsync(record.UserId, cancellationToken).ConfigureAwait(false);
        }

        if (user is null || !user.EmailVerified)
        {
            return HubError.Conflict(UserErrors.AccountChanged, "The account changed while the address was being verified; try again.");
        }

        Log.EmailVerified(logger, user.Id);
        return user;
    }

    /// <summary>
    /// Asks for a password-reset mail for <paramref name="email"/>. Answers nothing, and takes at least
    /// <see cref="RecoveryOptions.PasswordResetResponseFloor"/>, whether or not an account holds the address — the caller
    /// answers 202 either way. An address that does not parse, or an account without a verified or any address, is the same.
    /// </summary>
    public async Task RequestPasswordResetAsync(string? email, CancellationToken cancellationToken = default)
    {
        var started = time.GetTimestamp();
        try
        {
            var address = EmailAddress.Parse(email);
            var user = address.IsSuccess ? await users.FindByEmailAsync(address.Value.LookupKey, cancellationToken).ConfigureAwait(false) : null;
            if (user is null)
            {
                Log.ResetForUnknown(logger);
                return;
            }

            await IssueAsync(user, RecoveryPurpose.PasswordReset, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            var remaining = options.Value.PasswordResetResponseFloor - time.GetElapsedTime(started);
            if (remaining > TimeSpan.Zero)
            {
                await Task.Delay(remaining, time, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Sets a new password with a reset token: the password policy applies (checked before the token is used, so a refused
    /// password does not spend it); every session ends; the login lock clears. Errors as <see cref="VerifyEmailAsync"/>, and
    /// the policy's codes.
    /// </summary>
    public async Task<Result<User>> ConfirmPasswordResetAsync(string? token, string? newPassword, CancellationToken cancellationToken = default)
    {
        var found = await FindUsableAsync(token, RecoveryPurpose.PasswordReset, cancellationToken).ConfigureAwait(false);
        if (!found.IsSuccess)
        {
            return found.Error;
        }

        var (record, user) = found.Value;
        var address = EmailAddress.Parse(user.Email);
        if (policy.Check(newPassword, address.IsSuccess ? address.Value : null, user.DisplayName) is { } refused)
        {
            return refused;
        }

        var newHash = hasher.Hash(newPassword!);
        if (await tokens.MarkUsedAsync(record, time.GetUtcNow(), cancellationToken).ConfigureAwait(false) != WriteOutcome.Written)
        {
            return Used();
        }

        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var now = time.GetUtcNow();
            var changed = user with
            {
                PasswordHash = newHash, PasswordChangedAt = now, UpdatedAt = now, EmailVerified = true,
                SecurityStamp = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
            };
            if (await EndAllSessionsAsync(changed, now, cancellationToken).ConfigureAwait(false) is { } ended)
            {
                // After the write: the lock is the owner's way back in now that the password is theirs again.
                await throttleReset.ResetAsync(user.EmailLookupKey, cancellationToken).ConfigureAwait(false);
                Log.PasswordReset(logger, user.Id, ended);
                return changed with { ETag = null };
            }

            // Changed meanwhile (a login's rehash, a logout): the token is spent and was valid, so apply to the fresh row.
            if (await users.GetAsync(record.UserId, cancellationToken).ConfigureAwait(false) is not { } fresh)
            {
                return HubError.NotFound("user");
            }

            user = fresh;
        }

        return HubError.Conflict(UserErrors.AccountChanged, "The account changed while the password was being reset; ask for a new reset link.");
    }

    /// <summary>Ends every live session of <paramref name="user"/> (already carrying a new stamp) in one write with it; null on a conflict.</summary>
    internal async Task<int?> EndAllSessionsAsync(User user, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var sessions = await users.ListSessionsAsync(user.Id, cancellationToken).ConfigureAwait(false);
        var ending = sessions.Where(s => s.RevokedAt is null)
            .Select(s => s with { RevokedAt = now, RevokedReason = SessionRevocation.PasswordChanged, SealedGrace = null }).ToList();
        return await users.UpdateUserAndSessionsAsync(user, user.Id, ending, cancellationToken).ConfigureAwait(false) == WriteOutcome.Written ? ending.Count : null;
    }

    private async Task<Result<IssuedRecoveryToken>> IssueAsync(User user, RecoveryPurpose purpose, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var lifetime = purpose == RecoveryPurpose.EmailVerification ? options.Value.EmailVerificationLifetime : options.Value.PasswordResetLifetime;
        var token = RecoveryToken.Generate(purpose);
        var hash = RecoveryToken.LookupHash(await keyRing.GetAuthorityKeyAsync(cancellationToken).ConfigureAwait(false), purpose, token);
        await tokens.AddAsync(new RecoveryTokenRecord(hash, purpose, user.Id, user.EmailLookupKey, user.SecurityStamp, now, now + lifetime, null), cancellationToken)
            .ConfigureAwait(false);
        var issued = new IssuedRecoveryToken(user.Id, purpose, token, delivery.LinkFor(purpose, token), now + lifetime);
        Log.Issued(logger, purpose, user.Id);
        await delivery.DeliverAsync(user, issued, cancellationToken).ConfigureAwait(false);
        return issued;
    }

    private async Task<Result<(RecoveryTokenRecord Record, User User)>> FindUsableAsync(string? token, RecoveryPurpose purpose, CancellationToken cancellationToken)
    {
        if (token is null || !RecoveryToken.IsWellFormed(token, purpose))
        {
            return Refused(purpose, "malformed, wrong checksum or the other kind");
        }

        var hash = RecoveryToken.LookupHash(await keyRing.GetAuthorityKeyAsync(cancellationToken).ConfigureAwait(false), purpose, token);
        var record = await tokens.FindAsync(hash, cancellationToken).ConfigureAwait(false);
        if (record is null || record.Purpose != purpose)
        {
            return Refused(purpose, "unknown");
        }

        if (record.UsedAt is not null)
        {
            Log.TokenRefused(logger, purpose, "already used");
            return Used();
        }

        if (time.GetUtcNow() >= record.ExpiresAt)
        {
            Log.TokenRefused(logger, purpose, "expired");
            return HubError.Invalid(RecoveryErrors.RecoveryTokenExpired, "The link has expired. Ask for a new one.", "token");
        }

        var user = await users.GetAsync(record.UserId, cancellationToken).ConfigureAwait(false);
        if (user is null || !string.Equals(user.EmailLookupKey, record.EmailLookupKey, StringComparison.Ordinal))
        {
            return Refused(purpose, "no such user or the address changed");
        }

        if (purpose == RecoveryPurpose.PasswordReset && !string.Equals(user.SecurityStamp, record.SecurityStamp, StringComparison.Ordinal))
        {
            Log.TokenRefused(logger, purpose, "the password changed or sessions ended since it was issued");
            return Used();
        }

        return (record, user);
    }

    private HubError Refused(RecoveryPurpose purpose, string reason)
    {
        Log.TokenRefused(logger, purpose, reason);
        return HubError.Invalid(RecoveryErrors.InvalidRecoveryToken, "The link is not valid. Ask for a new one.", "token");
    }

    private static HubError Used() =>
        HubError.Invalid(RecoveryErrors.RecoveryTokenUsed, "The link was already used (or a newer password made it void). Ask for a new one.", "token");

    // Event ids 9730-9759 are recovery's and admin's. User ids only: never an address, a token or a password.
    private static partial class Log
    {
        [LoggerMessage(EventId = 9730, Level = LogLevel.Information, Message = "{Purpose} token issued for user {UserId}.")]
        public static partial void Issued(ILogger logger, RecoveryPurpose purpose, string userId);

        [LoggerMessage(EventId = 9731, Level = LogLevel.Information, Message = "{Purpose} token refused: {Reason}.")]
        public static partial void TokenRefused(ILogger logger, RecoveryPurpose purpose, string reason);

        [LoggerMessage(EventId = 9732, Level = LogLevel.Information, Message = "User {UserId} verified their email address.")]
        public static partial void EmailVerified(ILogger logger, string userId);

        [LoggerMessage(EventId = 9733, Level = LogLevel.Information, Message = "User {UserId} reset their password; {Count} session(s) ended, login lock cleared.")]
        public static partial void PasswordReset(ILogger logger, string userId, int count);

        [LoggerMessage(EventId = 9734, Level = LogLevel.Debug, Message = "Password reset asked for an address no account holds; nothing sent.")]
        public static partial void ResetForUnknown(ILogger logger);
    }
}
