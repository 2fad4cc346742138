using Integrations.Core.Identity;
using Microsoft.AspNetCore.Http;

namespace Integrations.Api.Pipeline;

/// <summary>
/// <c>Authorization: Bearer &lt;key&gt;</c>: the platform admin key or an organization API key, through
/// <see cref="CallerAuthenticator"/> (hashed lookup, cached; unknown keys remembered briefly). A JWT-shaped bearer is not
/// an API key and is left to the JWT authenticator (<see cref="BearerCredential"/>).
/// </summary>
public sealed class ApiKeyAuthenticator(CallerAuthenticator authenticator) : IRequestAuthenticator
{
    public async ValueTask<AuthenticationOutcome?> AuthenticateAsync(HttpContext context, bool allowStorageLookup, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!BearerCredential.TryRead(context, out var credential))
        {
            // Another scheme (Basic …) or none: not ours. With no authenticator claiming it, the request is unauthenticated.
            return null;
        }

        if (BearerCredential.IsAccessTokenShaped(credential))
        {
            // A person's access token: the JWT authenticator's, asked next (see BearerCredential for why exactly one claims it).
            return null;
        }

        var result = await authenticator.AuthenticateAsync(credential, allowStorageLookup, cancellationToken).ConfigureAwait(false);
        return result.Caller is { } caller ? AuthenticationOutcome.Success(caller) : AuthenticationOutcome.Refused(result.Failure ?? AuthenticationFailure.Unknown, credential);
    }
}
