using Integrations.Api.Pipeline;
using Integrations.Core.Common;
using Integrations.Core.Identity;
using Integrations.Core.Identity.Organizations;
using Integrations.Core.Identity.Users;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Integrations.Api.Identity;

/// <summary>
/// <c>X-Principal-Id: usr_…</c> — seed 002's development shortcut: only when the host environment is Development does it
/// authenticate, as that user in their default organization with their role there. In any other environment a request
/// carrying the header is refused (401) and logged at Warning, whatever else it carries: a header that works in production
/// would be a password-less login for anyone who can reach the API.
/// </summary>
/// <remarks>
/// It is registered <em>before</em> the other authenticators so that refusal comes first; in Development it declines any
/// request with an <c>Authorization</c> header, so the chain's priority stays API key, then JWT, then this header.
/// </remarks>
/// <param name="organizations">The user's default organization and role.</param>
/// <param name="logger">Where refusals are logged.</param>
/// <param name="environment">The host's environment; none (a composition without a host) counts as not Development.</param>
public sealed partial class PrincipalHeaderAuthenticator(
    IUserOrganizations organizations, ILogger<PrincipalHeaderAuthenticator> logger, IHostEnvironment? environment = null) : IRequestAuthenticator
{
    public const string HeaderName = "X-Principal-Id";

    public async ValueTask<AuthenticationOutcome?> AuthenticateAsync(HttpContext context, bool allowStorageLookup, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!context.Request.Headers.TryGetValue(HeaderName, out var values))
        {
            return null;
        }

        if (environment is null || !environment.IsDevelopment())
        {
            Log.Refused(logger, environment?.EnvironmentName ?? "(unknown)");
            return AuthenticationOutcome.Refused(AuthenticationFailure.NotAllowed, null);
        }

        if (context.Request.Headers.Authorization.Count > 0)
        {
            return null;
        }

        var userId = values.ToString();
        if (!Ids.IsValid(User.IdPrefix, userId))
        {
            return AuthenticationOutcome.Refused(AuthenticationFailure.Malformed, null);
        }

        var organization = allowStorageLookup ? await organizations.FindAsync(userId, null, cancellationToken).ConfigureAwait(false) : null;
        if (organization is null || OrganizationRoles.Parse(organization.Role) is not { } role)
        {
            return AuthenticationOutcome.Refused(AuthenticationFailure.Unknown, null);
        }

        Log.Accepted(logger, userId, organization.OrganizationId);
        return AuthenticationOutcome.Success(new Caller(CallerKind.User, userId, organization.OrganizationId, RoleMatrix.ScopesOf(role)) { Role = role });
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 9702, Level = LogLevel.Warning, Message = "A request carried the X-Principal-Id header in the {Environment} environment: refused (401). The header authenticates only in Development.")]
        public static partial void Refused(ILogger logger, string environment);

        [LoggerMessage(EventId = 9703, Level = LogLevel.Debug, Message = "Development: X-Principal-Id authenticated user {UserId} in organization {OrganizationId}.")]
        public static partial void Accepted(ILogger logger, string userId, string organizationId);
    }
}
