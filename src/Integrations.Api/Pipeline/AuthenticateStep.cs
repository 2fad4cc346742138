using Microsoft.AspNetCore.Http;

namespace Integrations.Api.Pipeline;

/// <summary>Step 1: asks each registered <see cref="IRequestAuthenticator"/> in order; the first that recognises a credential decides.</summary>
public sealed class AuthenticateStep(IEnumerable<IRequestAuthenticator> authenticators)
{
    private readonly IRequestAuthenticator[] _authenticators = authenticators.ToArray();

    /// <summary>The caller, or why there is none. Throws when a credential store cannot be reached.</summary>
    public async ValueTask<AuthenticationOutcome> RunAsync(HttpContext context, bool allowStorageLookup, CancellationToken cancellationToken = default)
    {
        foreach (var authenticator in _authenticators)
        {
            if (await authenticator.AuthenticateAsync(context, allowStorageLookup, cancellationToken).ConfigureAwait(false) is { } outcome)
            {
                return outcome;
            }
        }

        return AuthenticationOutcome.Missing;
    }
}
