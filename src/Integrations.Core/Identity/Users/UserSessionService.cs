using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Integrations.Core.Common;
using Integrations.Core.Crypto;
using Integrations.Core.Identity.Lockout;
using Integrations.Core.Identity.Passwords;
using Integrations.Core.Identity.Tokens;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Integrations.Core.Identity.Users;

/// <summary>
/// People and their sessions: sign-up, password login, refresh with rotation and reuse detection, logout, logout everywhere
/// and password change. Host-agnostic: the routes (a later part) call it.
/// </summary>
/// <remarks>
/// <para>
/// <b>Sessions and refresh-token families.</b> A login creates a session: one family of refresh tokens. Each token names its
/// user, session and generation and carries a tag under the authority key (<see cref="RefreshToken"/>), so there is no row
/// per token: a refresh reads the user, the session and the user's memberships (for the token's organization and role) in
/// one request, and the session row says, by keyed lookup hash (never the token), which one token is current. A refresh of
/// the current token issues a new pair and moves the session to it with one write conditional on the session's ETag, so of
/// two refreshes of one token exactly one rotates.
/// </para>
/// <para>
/// <b>Reuse detection.</b> A token of the family (its tag verifies) from an earlier generation has been used before. Used again, someone else holds a
/// copy (a stolen token, or the thief's own rotation made the owner's copy stale): the whole session is revoked, so both
/// the thief and the owner must log in again (RFC 9700 §4.14.2, OAuth 2.0 Security BCP). The answer is the same
/// <see cref="UserErrors.InvalidRefreshToken"/> as for an unknown token.
/// </para>
/// <para>
/// <b>Grace window</b> (<see cref="UserSessionOptions.RefreshTokenReuseGrace"/>, 10 s). Two tabs that refresh with the same
/// token at once must not log the person out. For the grace window after a rotation, the token it consumed answers again
/// with the <em>same</em> pair. To hand the same pair out twice it must be recoverable for those seconds, and the hub keeps
/// no token in plaintext: the pair is <b>sealed</b> with the vault's envelope cipher (a fresh data key, AES-256-GCM, wrapped
/// by the active KEK) and bound to the user, session, consumed token and generation (a sealed pair copied to another
/// session does not open), in the session row, and is never opened after the window. A deterministic re-derivation
/// (the new refresh token as a MAC of the old one) was rejected: the access token cannot be re-derived (its <c>jti</c> and
/// ECDSA signature are random), and it would make each token a function of the previous one under a long-lived key.
/// </para>
/// <para>
/// <b>Ending sessions.</b> Logout revokes one session; logout everywhere and password change revoke every session of the
/// user in the same transaction as the user row, and replace the user's security stamp, which every session recorded at
/// login: a session written by a login that raced the change carries the old stamp and is refused at its first refresh.
/// </para>
/// </remarks>
public sealed partial class UserSessionService(
    IUserStore users,
    IUserOrganizations organizations,
    ILoginThrottle throttle,
    IPasswordHasher hasher,
    PasswordPolicy policy,
    AccessTokenIssuer issuer,
    KeyRing keyRing,
    EnvelopeCipher cipher,
    IOptions<UserSessionOptions> options,
    TimeProvider time,
    IEnumerable<IUserEventListener> listeners,
    ILogger<UserSessionService> logger)
{
    private readonly IUserEventListener[] _listeners = [.. listeners];

    /// <summary>The longest display name, in UTF-16 code units after NFKC and trimming.</summary>
    public const int MaxDisplayNameLength = 100;

    // Conditional writes that lose a race are re-read and tried again; a handful of rounds is plenty for one person's sessions.
    private const int MaxAttempts = 5;
    private const string GraceObjectPrefix = "refresh-grace/";

    /// <summary>
    /// Creates an account: the address normalised (one account per <see cref="EmailAddress.LookupKey"/>), the password checked
    /// against <c>Auth:PasswordPolicy</c> and hashed. Then <see cref="IUserOrganizations.CreatePersonalOrganizationAsync"/>.
    /// Errors: <c>invalid-email</c>, <see cref="UserErrors.InvalidDisplayName"/>, the password policy's codes, and
    /// <see cref="UserErrors.EmailTaken"/> (409).
    /// </summary>
    public async Task<Result<User>> SignUpAsync(string? email, string? password, string? displayName, CancellationToken cancellationToken = default)
    {
        var address = EmailAddress.Parse(email);
        if (!address.IsSuccess)
        {
            return address.Error;
        }

        var name = UnicodeText.Nfkc(displayName ?? string.Empty).Trim();
        if (name.Length > MaxDisplayNameLength || name.Any(char.IsControl))
        {
            return HubError.Invalid(UserErrors.InvalidDisplayName,
                $"display_name must be at most {MaxDisplayNameLength} characters without control characters.", "display_name");
        }

        if (policy.Check(password, address.Value, name) is { } refused)
        {
            return refused;
        }

        var now = time.GetUtcNow();
        var user = new User(Ids.New(User.IdPrefix), address.Value.Value, address.Value.LookupKey, hasher.Hash(password!), EmailVerified: false, name,
            now, now, now, NewSecurityStamp());
        if (await users.AddAsync(user, cancellationToken).ConfigureAwait(false) != WriteOutcome.Written)
        {
            return HubError.Conflict(UserErrors.EmailTaken, "An account with this email address already exists. Log in, or reset the password.");
        }

        await organizations.CreatePersonalOrganizationAsync(user, cancellationToken).ConfigureAwait(false);
        Log.SignedUp(logger, user.Id);
        await TellAsync(new UserEvent(Events.HubEventTypes.AuthSignUp, user, now)).ConfigureAwait(false);
        return user;
    }

    /// <summary>
    /// Checks an email and password and starts a session: an access token for <paramref name="organizationId"/> (or the
    /// user's default organization) and the session's first refresh token. An unknown address, an account without a
    /// password and a wrong password are one answer (<see cref="UserErrors.InvalidCredentials"/>) at one cost (one Argon2id
    /// computation each). The throttle is asked first and told the outcome. A hash made with weaker parameters than today's
    /// is replaced (rehash on login).
    /// </summary>
    /// <param name="email">The address as typed.</param>
    /// <param name="password">The password as typed.</param>
    /// <param name="source">The caller's address (for the throttle and the session list).</param>
    /// <param name="organizationId">The organization the token should speak for; 404 when the user is not a member.</param>
    /// <param name="cancellationToken">Cancels the login.</param>
    public async Task<LoginResult> LoginAsync(
        string? email, string? password, string source, string? organizationId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        password ??= string.Empty;
        var address = EmailAddress.Parse(email);
        // An address that does not parse is still throttled, under what was sent, so malformed tries are no free guesses.
        var accountKey = address.IsSuccess ? address.Value.LookupKey : (email ?? string.Empty).Trim().ToLowerInvariant();
        var decision = await throttle.CheckAsync(accountKey, source, cancellationToken).ConfigureAwait(false);
        if (!decision.Allowed)
        {
            Log.LoginThrottled(logger);
            return LoginResult.Failed(
                new HubError(ErrorKind.Unavailable, UserErrors.LoginThrottled, "Too many failed login attempts. Try again later."), decision.RetryAfter);
        }

        var user = address.IsSuccess ? await users.FindByEmailAsync(address.Value.LookupKey, cancellationToken).ConfigureAwait(false) : null;
        PasswordVerification verification;
        if (user?.PasswordHash is null)
        {
            // No account (or no password): the same Argon2id work as a wrong password, so time tells nothing.
            verification = hasher.VerifyAgainstDummy(password);
        }
        else
        {
            verification = hasher.Verify(password, user.PasswordHash);
        }

        if (user is null || !verification.Valid)
        {
            await throttle.RecordFailureAsync(accountKey, source, cancellationToken).ConfigureAwait(false);
            Log.LoginFailed(logger, user?.Id ?? "(none)", user is null ? "no such account" : user.PasswordHash is null ? "no password" : "wrong password");
            return LoginResult.Failed(InvalidCredentials("email"));
        }

        if (verification.NeedsRehash)
        {
            user = await RehashAsync(user, password, cancellationToken).ConfigureAwait(false);
        }

        await throttle.RecordSuccessAsync(accountKey, source, cancellationToken).ConfigureAwait(false);
        var started = await StartSessionAsync(user, source, organizationId, cancellationToken).ConfigureAwait(false);
        return started.IsSuccess ? LoginResult.Success(started.Value!) : LoginResult.Failed(started.Error!);
    }

    /// <summary>
    /// Starts a session for a person already proven by other means (social login: the platform's app ran the provider's
    /// sign-in): no password check and no login throttle — the lock answers password guessing, which this is not. The same
    /// tokens as <see cref="LoginAsync"/>; 404 for an <paramref name="organizationId"/> the person is not in.
    /// </summary>
    public async Task<Result<UserTokens>> StartSessionAsync(User user, string source, string? organizationId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(source);
        var organization = await organizations.FindAsync(user.Id, organizationId, cancellationToken).ConfigureAwait(false);
        if (organization is null)
        {
            return NoOrganization(organizationId);
        }

        var now = time.GetUtcNow();
        var sessionId = Ids.New(Session.IdPrefix);
        var authorityKey = await keyRing.GetAuthorityKeyAsync(cancellationToken).ConfigureAwait(false);
        var refreshToken = RefreshToken.Issue(authorityKey, user.Id, sessionId, generation: 0);
        var session = new Session(sessionId, user.Id, organization.OrganizationId, user.SecurityStamp, source, now, now,
            now + options.Value.RefreshTokenLifetime, Generation: 0, RefreshToken.LookupHash(authorityKey, refreshToken), null, null, null, null, null);
        var accessToken = await issuer.IssueAsync(new AccessTokenClaims(user.Id, organization.OrganizationId, organization.Role, session.Id), cancellationToken)
            .ConfigureAwait(false);
        await users.AddSessionAsync(session, cancellationToken).ConfigureAwait(false);
        Log.LoggedIn(logger, user.Id, session.Id);
        return new UserTokens(accessToken, refreshToken, session.ExpiresAt, user, session.Id, organization);
    }

    /// <summary>
    /// Exchanges a refresh token for a new pair (rotation). The current token of a live session rotates once; the token a
    /// rotation consumed answers with the same pair for the grace window; any other token of the family revokes the session.
    /// Every refusal is <see cref="UserErrors.InvalidRefreshToken"/>. <paramref name="organizationId"/> switches the
    /// organization the new access token speaks for (404 when the user is not a member); the role is read anew each time.
    /// </summary>
    public async Task<Result<UserTokens>> RefreshAsync(string? refreshToken, string? organizationId = null, CancellationToken cancellationToken = default)
    {
        var subject = RefreshToken.ReadSubject(refreshToken);
        if (subject is null)
        {
            return Refused("malformed", null);
        }

        var authorityKey = await keyRing.GetAuthorityKeyAsync(cancellationToken).ConfigureAwait(false);
        var hash = RefreshToken.LookupHash(authorityKey, refreshToken!);
        var grace = options.Value.RefreshTokenReuseGrace;
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            // The user, the session and the memberships in one read: the token names the user and the session.
            var (user, session, memberships) = await users.GetWithSessionAsync(subject.UserId, subject.SessionId, cancellationToken).ConfigureAwait(false);
            if (session is null || user is null)
            {
                return Refused("no session or user", subject.SessionId);
            }

            if (session.RevokedAt is not null)
            {
                return Refused("session ended", session.Id);
            }

            if (!string.Equals(session.SecurityStamp, user.SecurityStamp, StringComparison.Ordinal))
            {
                return Refused("password changed or logged out everywhere since login", session.Id);
            }

            var now = time.GetUtcNow();
            if (string.Equals(hash, session.CurrentTokenHash, StringComparison.Ordinal))
            {
                if (now >= session.ExpiresAt)
                {
                    return Refused("expired", session.Id);
                }

                // No longer a member of the session's organization (and none asked for): the user's default.
                var organization = organizations.Choose(memberships, organizationId ?? session.OrganizationId)
                    ?? (organizationId is null ? organizations.Choose(memberships, null) : null);

                if (organization is null)
                {
                    return NoOrganization(organizationId);
                }

                var (outcome, tokens) = await RotateAsync(session, user, hash, organization, now, grace, authorityKey, cancellationToken).ConfigureAwait(false);
                if (tokens is not null)
                {
                    return tokens;
                }

                if (outcome == WriteOutcome.NotFound)
                {
                    return Refused("session gone", session.Id);
                }

                continue; // Another refresh of this token rotated first: read again (it is now the grace case).
            }

            if (string.Equals(hash, session.PreviousTokenHash, StringComparison.Ordinal)
                && session.RotatedAt is { } rotatedAt && now < rotatedAt + grace && session.SealedGrace is { } sealedGrace)
            {
                var pair = await OpenGraceAsync(session, hash, sealedGrace, cancellationToken).ConfigureAwait(false);
                if (pair is null)
                {
                    return Refused("grace pair unreadable", session.Id);
                }

                Log.GraceAnswered(logger, session.Id, session.Generation);
                return new UserTokens(pair.Value.AccessToken, pair.Value.RefreshToken, session.ExpiresAt, user, session.Id, pair.Value.Organization);
            }

            if (subject.Generation < session.Generation && RefreshToken.HasValidTag(authorityKey, refreshToken!))
            {
                // A consumed token used again: someone else holds a copy. End the family.
                var revoked = Revoked(session, SessionRevocation.ReuseDetected, now);
                var written = await users.UpdateSessionAsync(revoked, cancellationToken).ConfigureAwait(false);
                if (written == WriteOutcome.Conflict)
                {
                    continue;
                }

                Log.ReuseDetected(logger, user.Id, session.Id, subject.Generation, session.Generation);
                await TellAsync(new UserEvent(Events.HubEventTypes.AuthRefreshTokenReuseDetected, user, now, session.Id)).ConfigureAwait(false);
                return InvalidRefreshToken();
            }

            return Refused("not the family's current token", session.Id);
        }

        return Refused("too many concurrent changes", subject.SessionId);
    }

    /// <summary>Ends one session of <paramref name="userId"/>: its refresh tokens are refused at once. Idempotent; 404 when there is no such session.</summary>
    public async Task<Result<Session>> LogoutAsync(string userId, string sessionId, CancellationToken cancellationToken = default)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var session = await users.GetSessionAsync(userId, sessionId, cancellationToken).ConfigureAwait(false);
            if (session is null)
            {
                return HubError.NotFound("session");
            }

            if (session.RevokedAt is not null)
            {
                return session;
            }

            var revoked = Revoked(session, SessionRevocation.Logout, time.GetUtcNow());
            var outcome = await users.UpdateSessionAsync(revoked, cancellationToken).ConfigureAwait(false);
            if (outcome == WriteOutcome.Written)
            {
                Log.SessionsRevoked(logger, userId, 1, SessionRevocation.Logout);
                return revoked;
            }

            if (outcome == WriteOutcome.NotFound)
            {
                return HubError.NotFound("session");
            }
        }

        return HubError.Conflict(UserErrors.AccountChanged, "The session changed while it was being ended; try again.");
    }

    /// <summary>Ends every session of the user at once (one transaction with the user row) and replaces their security stamp. The number ended.</summary>
    public async Task<Result<int>> LogoutAllAsync(string userId, CancellationToken cancellationToken = default)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var user = await users.GetAsync(userId, cancellationToken).ConfigureAwait(false);
            if (user is null)
            {
                return HubError.NotFound("user");
            }

            var now = time.GetUtcNow();
            var ended = await EndAllSessionsAsync(user with { SecurityStamp = NewSecurityStamp(), UpdatedAt = now }, SessionRevocation.LogoutAll, now, cancellationToken)
                .ConfigureAwait(false);
            if (ended is { } count)
            {
                return count;
            }
        }

        return HubError.Conflict(UserErrors.AccountChanged, "The account changed while its sessions were being ended; try again.");
    }

    /// <summary>
    /// Changes the password after checking the current one (<see cref="UserErrors.InvalidCredentials"/>, field
    /// <c>current_password</c>), under the password policy; every session ends in the same transaction.
    /// </summary>
    public async Task<Result<User>> ChangePasswordAsync(string userId, string? currentPassword, string? newPassword, CancellationToken cancellationToken = default)
    {
        var user = await users.GetAsync(userId, cancellationToken).ConfigureAwait(false);
        if (user is null)
        {
            return HubError.NotFound("user");
        }

        var verifiedHash = user.PasswordHash;
        var verification = verifiedHash is null
            ? hasher.VerifyAgainstDummy(currentPassword ?? string.Empty)
            : hasher.Verify(currentPassword ?? string.Empty, verifiedHash);
        if (!verification.Valid)
        {
            Log.PasswordChangeRefused(logger, user.Id);
            return InvalidCredentials("current_password");
        }

        var address = EmailAddress.Parse(user.Email);
        if (policy.Check(newPassword, address.IsSuccess ? address.Value : null, user.DisplayName) is { } refused)
        {
            return refused;
        }

        var newHash = hasher.Hash(newPassword!);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            if (!string.Equals(user.PasswordHash, verifiedHash, StringComparison.Ordinal))
            {
                // Changed by someone else since the current password was checked: that check no longer holds.
                return InvalidCredentials("current_password");
            }

            var now = time.GetUtcNow();
            var changed = user with { PasswordHash = newHash, PasswordChangedAt = now, UpdatedAt = now, SecurityStamp = NewSecurityStamp() };
            if (await EndAllSessionsAsync(changed, SessionRevocation.PasswordChanged, now, cancellationToken).ConfigureAwait(false) is not null)
            {
                Log.PasswordChanged(logger, user.Id);
                await TellAsync(new UserEvent(Events.HubEventTypes.AuthPasswordChanged, changed, now)).ConfigureAwait(false);
                return changed with { ETag = null };
            }

            user = await users.GetAsync(userId, cancellationToken).ConfigureAwait(false);
            if (user is null)
            {
                return HubError.NotFound("user");
            }
        }

        return HubError.Conflict(UserErrors.AccountChanged, "The account changed while the password was being changed; try again.");
    }

    /// <summary>Writes <paramref name="user"/> and ends every live session with it; null when a row changed meanwhile.</summary>
    private async Task<int?> EndAllSessionsAsync(User user, string reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var sessions = await users.ListSessionsAsync(user.Id, cancellationToken).ConfigureAwait(false);
        var ending = sessions.Where(s => s.RevokedAt is null).Select(s => Revoked(s, reason, now)).ToList();
        var outcome = await users.UpdateUserAndSessionsAsync(user, user.Id, ending, cancellationToken).ConfigureAwait(false);
        if (outcome != WriteOutcome.Written)
        {
            return null;
        }

        Log.SessionsRevoked(logger, user.Id, ending.Count, reason);
        return ending.Count;
    }

    private async Task<(WriteOutcome Outcome, UserTokens? Tokens)> RotateAsync(
        Session session, User user, string consumedHash, UserOrganization organization, DateTimeOffset now, TimeSpan grace, AuthorityKey authorityKey,
        CancellationToken cancellationToken)
    {
        var generation = session.Generation + 1;
        var next = RefreshToken.Issue(authorityKey, user.Id, session.Id, generation);
        var nextHash = RefreshToken.LookupHash(authorityKey, next);
        var accessToken = await issuer.IssueAsync(new AccessTokenClaims(user.Id, organization.OrganizationId, organization.Role, session.Id), cancellationToken)
            .ConfigureAwait(false);
        var sealedGrace = grace > TimeSpan.Zero
            ? await SealGraceAsync(session.UserId, session.Id, consumedHash, generation, next, accessToken, organization, cancellationToken).ConfigureAwait(false)
            : null;
        var rotated = session with
        {
            OrganizationId = organization.OrganizationId,
            LastRefreshedAt = now,
            ExpiresAt = now + options.Value.RefreshTokenLifetime,
            Generation = generation,
            CurrentTokenHash = nextHash,
            PreviousTokenHash = consumedHash,
            RotatedAt = now,
            SealedGrace = sealedGrace,
        };
        var outcome = await users.UpdateSessionAsync(rotated, cancellationToken).ConfigureAwait(false);
        if (outcome == WriteOutcome.Written)
        {
            Log.Rotated(logger, session.Id, generation);
            return (outcome, new UserTokens(accessToken, next, rotated.ExpiresAt, user, session.Id, organization));
        }

        // Lost the race: this token was never handed out and is not current (no row of it exists to remove).
        return (outcome, null);
    }

    private async Task<byte[]> SealGraceAsync(
        string userId, string sessionId, string consumedHash, int generation, string refreshToken, IssuedAccessToken accessToken, UserOrganization organization,
        CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("rt", refreshToken);
            json.WriteString("at", accessToken.Token);
            json.WriteString("jti", accessToken.TokenId);
            json.WriteString("kid", accessToken.KeyId);
            json.WriteNumber("iat", accessToken.IssuedAt.ToUnixTimeSeconds());
            json.WriteNumber("exp", accessToken.ExpiresAt.ToUnixTimeSeconds());
            json.WriteString("org", organization.OrganizationId);
            json.WriteString("role", organization.Role);
            json.WriteEndObject();
        }

        var plaintext = buffer.WrittenMemory;
        try
        {
            var sealedPair = await cipher.SealAsync(plaintext, GraceContext(userId, sessionId, consumedHash, generation), cancellationToken).ConfigureAwait(false);
            return sealedPair.Bytes;
        }
        finally
        {
            buffer.Clear(); // Clear zeroes the written bytes.
        }
    }

    private async Task<(IssuedAccessToken AccessToken, string RefreshToken, UserOrganization Organization)?> OpenGraceAsync(
        Session session, string consumedHash, byte[] sealedGrace, CancellationToken cancellationToken)
    {
        byte[]? plaintext = null;
        try
        {
            plaintext = await cipher.OpenAsync(SealedSecret.Parse(sealedGrace), GraceContext(session.UserId, session.Id, consumedHash, session.Generation), cancellationToken)
                .ConfigureAwait(false);
            using var document = JsonDocument.Parse(plaintext);
            var root = document.RootElement;
            var accessToken = new IssuedAccessToken(
                root.GetProperty("at").GetString()!, root.GetProperty("jti").GetString()!, root.GetProperty("kid").GetString()!,
                DateTimeOffset.FromUnixTimeSeconds(root.GetProperty("iat").GetInt64()), DateTimeOffset.FromUnixTimeSeconds(root.GetProperty("exp").GetInt64()));
            return (accessToken, root.GetProperty("rt").GetString()!,
                new UserOrganization(root.GetProperty("org").GetString()!, root.GetProperty("role").GetString()!));
        }
        catch (Exception ex) when (ex is SecretIntegrityException or KeyUnavailableException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            Log.GraceUnreadable(logger, session.Id, ex.GetType().Name);
            return null;
        }
        finally
        {
            if (plaintext is not null)
            {
                CryptographicOperations.ZeroMemory(plaintext);
            }
        }
    }

    // Bound to the user, the session, the token the rotation consumed and the generation it made: a sealed pair copied to
    // another session, or kept past the next rotation, does not open.
    private static SealContext GraceContext(string userId, string sessionId, string consumedHash, int generation) =>
        new(userId, sessionId, GraceObjectPrefix + consumedHash, generation);

    private async Task<User> RehashAsync(User user, string password, CancellationToken cancellationToken)
    {
        var rehashed = user with { PasswordHash = hasher.Hash(password), UpdatedAt = time.GetUtcNow() };
        if (await users.UpdateAsync(rehashed, cancellationToken).ConfigureAwait(false) == WriteOutcome.Written)
        {
            Log.Rehashed(logger, user.Id);
            return rehashed with { ETag = null };
        }

        // Changed meanwhile (another login rehashed it, or a password change): the next login tries again.
        Log.RehashSkipped(logger, user.Id);
        return user;
    }

    private static Session Revoked(Session session, string reason, DateTimeOffset now) =>
        // The sealed pair is dropped with the session: nothing may open it again.
        session with { RevokedAt = now, RevokedReason = reason, SealedGrace = null };

    private static string NewSecurityStamp() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    private HubError Refused(string reason, string? sessionId)
    {
        Log.RefreshRefused(logger, sessionId ?? "(none)", reason);
        return InvalidRefreshToken();
    }

    private static HubError InvalidRefreshToken() =>
        HubError.Invalid(UserErrors.InvalidRefreshToken, "The refresh token is not valid (it may have expired, been used, or its session ended). Log in again.", "refresh_token");

    private static HubError InvalidCredentials(string field) =>
        HubError.Invalid(UserErrors.InvalidCredentials, "The email address or password is not correct.", field);

    private static HubError NoOrganization(string? requested) => requested is null
        ? HubError.Conflict(UserErrors.NoOrganization, "The account belongs to no organization a token could speak for.")
        : HubError.NotFound("organization");

    // Event ids 9650-9679 are users' and sessions'. Never an address, a password or a token: user and session ids only.
    /// <summary>Tells the listeners; one that fails is logged and changes nothing (the account change has happened).</summary>
    private async Task TellAsync(UserEvent userEvent)
    {
        foreach (var listener in _listeners)
        {
            try
            {
                // Not the request's token: the change is made, and the platform should still hear of it.
                await listener.UserEventAsync(userEvent, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                Log.ListenerFailed(logger, ex, userEvent.Type, userEvent.User.Id);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 9650, Level = LogLevel.Information, Message = "User {UserId} signed up.")]
        public static partial void SignedUp(ILogger logger, string userId);

        [LoggerMessage(EventId = 9651, Level = LogLevel.Information, Message = "Login failed for user {UserId}: {Reason}.")]
        public static partial void LoginFailed(ILogger logger, string userId, string reason);

        [LoggerMessage(EventId = 9652, Level = LogLevel.Information, Message = "User {UserId} logged in: session {SessionId}.")]
        public static partial void LoggedIn(ILogger logger, string userId, string sessionId);

        [LoggerMessage(EventId = 9653, Level = LogLevel.Information, Message = "Password hash of user {UserId} rehashed with today's parameters.")]
        public static partial void Rehashed(ILogger logger, string userId);

        [LoggerMessage(EventId = 9654, Level = LogLevel.Debug, Message = "Rehash of user {UserId} skipped: the row changed meanwhile.")]
        public static partial void RehashSkipped(ILogger logger, string userId);

        [LoggerMessage(EventId = 9655, Level = LogLevel.Information, Message = "Login refused by the throttle.")]
        public static partial void LoginThrottled(ILogger logger);

        [LoggerMessage(EventId = 9656, Level = LogLevel.Debug, Message = "Refresh refused (session {SessionId}): {Reason}.")]
        public static partial void RefreshRefused(ILogger logger, string sessionId, string reason);

        [LoggerMessage(EventId = 9657, Level = LogLevel.Warning,
            Message = "Refresh token reuse detected: user {UserId}, session {SessionId} (token generation {TokenGeneration}, current {CurrentGeneration}); the session is revoked.")]
        public static partial void ReuseDetected(ILogger logger, string userId, string sessionId, int tokenGeneration, int currentGeneration);

        [LoggerMessage(EventId = 9658, Level = LogLevel.Debug, Message = "Session {SessionId}: the consumed token used again inside the grace window; the pair of generation {Generation} returned again.")]
        public static partial void GraceAnswered(ILogger logger, string sessionId, int generation);

        [LoggerMessage(EventId = 9659, Level = LogLevel.Warning, Message = "Session {SessionId}: the sealed grace pair could not be opened ({Failure}).")]
        public static partial void GraceUnreadable(ILogger logger, string sessionId, string failure);

        [LoggerMessage(EventId = 9660, Level = LogLevel.Information, Message = "User {UserId}: {Count} session(s) ended ({Reason}).")]
        public static partial void SessionsRevoked(ILogger logger, string userId, int count, string reason);

        [LoggerMessage(EventId = 9661, Level = LogLevel.Information, Message = "User {UserId} changed their password; every session ended.")]
        public static partial void PasswordChanged(ILogger logger, string userId);

        [LoggerMessage(EventId = 9664, Level = LogLevel.Warning, Message = "A listener failed on {EventType} for user {UserId}; the change stands.")]
        public static partial void ListenerFailed(ILogger logger, Exception exception, string eventType, string userId);

        [LoggerMessage(EventId = 9662, Level = LogLevel.Information, Message = "Password change of user {UserId} refused: the current password did not match.")]
        public static partial void PasswordChangeRefused(ILogger logger, string userId);

        [LoggerMessage(EventId = 9663, Level = LogLevel.Debug, Message = "Session {SessionId} rotated to generation {Generation}.")]
        public static partial void Rotated(ILogger logger, string sessionId, int generation);
    }
}
