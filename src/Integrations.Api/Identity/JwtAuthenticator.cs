using Integrations.Api.Pipeline;
using Integrations.Core.Identity;
using Integrations.Core.Identity.Organizations;
using Integrations.Core.Identity.Tokens;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Integrations.Api.Identity;

/// <summary>
/// <c>Authorization: Bearer eyJ…</c>: a person's access token, asked after the API-key authenticator (which declines this
/// shape, <see cref="BearerCredential"/>). The token is checked by <see cref="AccessTokenValidator"/> (algorithm, key,
/// issuer, audience, lifetime), its session by <see cref="SessionCheck"/>; the caller acts in the token's organization
/// with the scopes of its role (<see cref="RoleMatrix"/>), so every route's scope check applies to people as to keys.
/// </summary>
public sealed partial class JwtAuthenticator(AccessTokenValidator validator, SessionCheck sessions, ILogger<JwtAuthenticator> logger) : IRequestAuthenticator
{
    public async ValueTask<AuthenticationOutcome?> AuthenticateAsync(HttpContext context, bool allowStorageLookup, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!BearerCredential.TryRead(context, out var token) || !BearerCredential.IsAccessTokenShaped(token))
        {
            return null;
        }

        // The validator logs why it refused (event 9630), never the token.
        var result = await validator.ValidateAsync(token, cancellationToken).ConfigureAwait(false);
        if (result.Principal is not { } principal)
        {
            return AuthenticationOutcome.Refused(result.Failure switch
            {
                AccessTokenFailure.Expired or AccessTokenFailure.NotYetValid => AuthenticationFailure.Expired,
                AccessTokenFailure.Malformed => AuthenticationFailure.Malformed,
                _ => AuthenticationFailure.Unknown,
            }, token);
        }

        if (OrganizationRoles.Parse(principal.Role) is not { } role)
        {
            // Signed by us, so only an issuer bug (or a role this version does not know) gets here: grant nothing.
            Log.UnknownRole(logger, principal.UserId, principal.SessionId);
            return AuthenticationOutcome.Refused(AuthenticationFailure.Unknown, token);
        }

        if (!await sessions.IsLiveAsync(principal.UserId, principal.SessionId, allowStorageLookup, cancellationToken).ConfigureAwait(false))
        {
            Log.SessionEnded(logger, principal.UserId, principal.SessionId);
            return AuthenticationOutcome.Refused(AuthenticationFailure.Revoked, token);
        }

        return AuthenticationOutcome.Success(new Caller(CallerKind.User, principal.UserId, principal.OrganizationId, RoleMatrix.ScopesOf(role))
        {
            Role = role,
            SessionId = principal.SessionId,
        });
    }

    // Event ids 9700-9729: auth routes, the JWT authenticator, the Development header and memberships. Ids only, never a token.
    private static partial class Log
    {
        [LoggerMessage(EventId = 9700, Level = LogLevel.Information, Message = "Access token of user {UserId} refused: session {SessionId} has ended (or could not be checked while the address is throttled).")]
        public static partial void SessionEnded(ILogger logger, string userId, string sessionId);

        [LoggerMessage(EventId = 9701, Level = LogLevel.Warning, Message = "Access token of user {UserId} (session {SessionId}) refused: its role claim names no known role.")]
        public static partial void UnknownRole(ILogger logger, string userId, string sessionId);
    }
}
