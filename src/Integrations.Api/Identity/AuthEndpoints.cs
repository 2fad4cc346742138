using Integrations.Api.Http;
using Integrations.Api.Pipeline;
using Integrations.Core.Common;
using Integrations.Core.Crypto;
using Integrations.Core.Identity.Organizations;
using Integrations.Core.Identity.Recovery;
using Integrations.Core.Identity.Tokens;
using Integrations.Core.Identity.Users;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Integrations.Api.Identity;

/// <summary>
/// People's own account: sign-up, login, refresh, logout, logout everywhere, password change and <c>GET /v1/me</c>, over
/// <see cref="UserSessionService"/>. Bodies hold passwords and tokens: they are never logged, audited or echoed in a problem
/// (the audit record names the user id at most; problems name the field, never its value).
/// </summary>
public sealed partial class AuthEndpoints(
    UserSessionService sessions, UserOrganizations organizations, IUserStore users, KeyRing keyRing,
    RecoveryService recovery, ILogger<AuthEndpoints> logger)
{
    public async Task<IResult> SignUpAsync(HubRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = await JsonBody.ReadAsync<SignUpRequest>(request.Request).ConfigureAwait(false);
        if (!body.IsSuccess)
        {
            return Problems.From(body.Error);
        }

        var created = await sessions.SignUpAsync(body.Value.Email, body.Value.Password, body.Value.DisplayName, cancellationToken).ConfigureAwait(false);
        if (!created.IsSuccess)
        {
            return Problems.From(created.Error);
        }

        request.Audit.Target = "user/" + created.Value.Id;
        await SendVerificationAsync(created.Value.Id, cancellationToken).ConfigureAwait(false);
        // Signed up: log in at once with the password just set (one more Argon2id computation, the price of one code path).
        var login = await sessions.LoginAsync(body.Value.Email, body.Value.Password, request.Audit.SourceAddress ?? "unknown", null, cancellationToken).ConfigureAwait(false);
        if (!login.IsSuccess)
        {
            Log.SignUpLoginFailed(logger, created.Value.Id, login.Error.Code);
            return LoginProblem(request, login);
        }

        return Tokens(login.Tokens, StatusCodes.Status201Created);
    }

    /// <summary>
    /// The new address's verification (the auth event, and mail when Resend is set). Not the sign-up's answer: a failure is
    /// logged, and the person can be verified later (a new sign-up attempt, an admin's verify).
    /// </summary>
    private async Task SendVerificationAsync(string userId, CancellationToken cancellationToken)
    {
        try
        {
            var issued = await recovery.IssueVerificationAsync(userId, cancellationToken).ConfigureAwait(false);
            if (!issued.IsSuccess)
            {
                Log.VerificationNotSent(logger, userId, issued.Error.Code);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.VerificationNotSent(logger, userId, ex.GetType().Name);
        }
    }

    public async Task<IResult> LoginAsync(HubRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = await JsonBody.ReadAsync<LoginRequest>(request.Request).ConfigureAwait(false);
        if (!body.IsSuccess)
        {
            return Problems.From(body.Error);
        }

        var login = await sessions.LoginAsync(body.Value.Email, body.Value.Password, request.Audit.SourceAddress ?? "unknown", body.Value.OrganizationId, cancellationToken)
            .ConfigureAwait(false);
        if (!login.IsSuccess)
        {
            return LoginProblem(request, login);
        }

        request.Audit.Target = "user/" + login.Tokens.User.Id;
        return Tokens(login.Tokens, StatusCodes.Status200OK);
    }

    public async Task<IResult> RefreshAsync(HubRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = await JsonBody.ReadAsync<RefreshRequest>(request.Request).ConfigureAwait(false);
        if (!body.IsSuccess)
        {
            return Problems.From(body.Error);
        }

        var refreshed = await sessions.RefreshAsync(body.Value.RefreshToken, body.Value.OrganizationId, cancellationToken).ConfigureAwait(false);
        if (!refreshed.IsSuccess)
        {
            return Problem(refreshed.Error);
        }

        request.Audit.Target = "user/" + refreshed.Value.User.Id;
        return Tokens(refreshed.Value, StatusCodes.Status200OK);
    }

    /// <summary>
    /// Ends the session the refresh token belongs to. Answers 204 whether or not the token was valid (RFC 7009 §2.2): a
    /// logout tells nobody whether a token exists.
    /// </summary>
    public async Task<IResult> LogoutAsync(HubRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = await JsonBody.ReadAsync<LogoutRequest>(request.Request).ConfigureAwait(false);
        if (!body.IsSuccess)
        {
            return Problems.From(body.Error);
        }

        // Any token of the family the hub issued (its tag verifies) names the session to end; a made-up one naming someone
        // else's session ends nothing.
        if (RefreshToken.ReadSubject(body.Value.RefreshToken) is { } subject
            && RefreshToken.HasValidTag(await keyRing.GetAuthorityKeyAsync(cancellationToken).ConfigureAwait(false), body.Value.RefreshToken!))
        {
            request.Audit.Target = "user/" + subject.UserId;
            var ended = await sessions.LogoutAsync(subject.UserId, subject.SessionId, cancellationToken).ConfigureAwait(false);
            if (!ended.IsSuccess && ended.Error.Kind != ErrorKind.NotFound)
            {
                return Problems.From(ended.Error);
            }
        }

        return Results.NoContent();
    }

    public async Task<IResult> LogoutAllAsync(HubRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Audit.Target = "user/" + request.Caller.Id;
        var ended = await sessions.LogoutAllAsync(request.Caller.Id, cancellationToken).ConfigureAwait(false);
        return ended.IsSuccess ? Responses.Json(new SessionsEndedResponse(ended.Value)) : Problems.From(ended.Error);
    }

    public async Task<IResult> ChangePasswordAsync(HubRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Audit.Target = "user/" + request.Caller.Id;
        var body = await JsonBody.ReadAsync<ChangePasswordRequest>(request.Request).ConfigureAwait(false);
        if (!body.IsSuccess)
        {
            return Problems.From(body.Error);
        }

        var changed = await sessions.ChangePasswordAsync(request.Caller.Id, body.Value.CurrentPassword, body.Value.NewPassword, cancellationToken).ConfigureAwait(false);
        // A wrong current password stays 400 here: a 401 on a signed-in route would read as "your token is bad".
        return changed.IsSuccess ? Results.NoContent() : Problems.From(changed.Error);
    }

    public async Task<IResult> MeAsync(HubRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var caller = request.Caller;
        request.Audit.Target = "user/" + caller.Id;
        var readingMemberships = organizations.ListAsync(caller.Id, cancellationToken);
        var user = await users.GetAsync(caller.Id, cancellationToken).ConfigureAwait(false);
        var memberships = await readingMemberships.ConfigureAwait(false);
        if (user is null)
        {
            return Problems.From(HubError.NotFound("user"));
        }

        return Responses.Json(new MeResponse(user.Id, user.Email, user.EmailVerified, user.DisplayName, request.OrganizationId,
            OrganizationRoles.Name(caller.Role ?? OrganizationRole.Viewer),
            memberships.Select(m => new MembershipResponse(m.OrganizationId, OrganizationRoles.Name(m.Role), m.Personal)).ToList()));
    }

    private static IResult Tokens(UserTokens tokens, int status) =>
        Responses.Json(new TokenResponse(tokens.AccessToken.Token, "Bearer", (long)(tokens.AccessToken.ExpiresAt - tokens.AccessToken.IssuedAt).TotalSeconds,
            tokens.RefreshToken, UserResponse.From(tokens.User), tokens.Organization.OrganizationId, tokens.Organization.Role), status);

    private static IResult LoginProblem(HubRequest request, LoginResult login)
    {
        if (login.RetryAfter is { } wait)
        {
            request.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Problems.Create(StatusCodes.Status429TooManyRequests, login.Error!.Code, "Too many requests", login.Error.Message);
        }

        return Problem(login.Error!);
    }

    /// <summary>
    /// Login and refresh: credentials that do not match are 401 (the same body for an unknown address and a wrong password,
    /// and for every kind of bad refresh token); the rest as their kind says.
    /// </summary>
    private static IResult Problem(HubError error) => error.Code is UserErrors.InvalidCredentials or UserErrors.InvalidRefreshToken
        ? Problems.Create(StatusCodes.Status401Unauthorized, error.Code, "Unauthorized", error.Message, error.Field)
        : Problems.From(error);

    private static partial class Log
    {
        [LoggerMessage(EventId = 9716, Level = LogLevel.Warning, Message = "User {UserId} signed up but the email verification could not be issued ({Reason}).")]
        public static partial void VerificationNotSent(ILogger logger, string userId, string reason);

        [LoggerMessage(EventId = 9715, Level = LogLevel.Warning, Message = "User {UserId} signed up but the first login failed ({Code}).")]
        public static partial void SignUpLoginFailed(ILogger logger, string userId, string code);
    }
}
