using Integrations.Core.Identity;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Integrations.Api.Pipeline;

/// <summary>
/// <c>Authorization: Bearer &lt;key&gt;</c>: the platform admin key or an organization API key, through
/// <see cref="CallerAuthenticator"/> (hashed lookup, cached; unknown keys remembered briefly).
/// </summary>
public sealed class ApiKeyAuthenticator(CallerAuthenticator authenticator) : IRequestAuthenticator
{
    private const string Scheme = "Bearer ";

    public async ValueTask<AuthenticationOutcome?> AuthenticateAsync(HttpContext context, bool allowStorageLookup, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var header = context.Request.Headers[HeaderNames.Authorization].ToString();
        if (!header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            // Another scheme (Basic …) or none: not ours. With no authenticator claiming it, the request is unauthenticated.
            return null;
        }

        var credential = header[Scheme.Length..].Trim();
        var result = await authenticator.AuthenticateAsync(credential, allowStorageLookup, cancellationToken).ConfigureAwait(false);
        return result.Caller is { } caller ? AuthenticationOutcome.Success(caller) : AuthenticationOutcome.Refused(result.Failure ?? AuthenticationFailure.Unknown, credential);
    }
}
