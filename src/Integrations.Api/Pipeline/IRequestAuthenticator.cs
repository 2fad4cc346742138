using Microsoft.AspNetCore.Http;

namespace Integrations.Api.Pipeline;

/// <summary>
/// One kind of caller: reads its credential from the request and turns it into a caller. The pipeline asks each
/// registered authenticator in order; the first that recognises a credential decides. A new kind of caller (a user's
/// JWT, a webhook signature, an OAuth state) is a new authenticator, never a branch in a handler.
/// </summary>
public interface IRequestAuthenticator
{
    /// <summary>
    /// The outcome for this request, or null when it carries no credential of this kind. With
    /// <paramref name="allowStorageLookup"/> false (the source address is being throttled) an authenticator answers
    /// only from what it already holds in memory and reports a credential it would have to look up as unknown.
    /// </summary>
    ValueTask<AuthenticationOutcome?> AuthenticateAsync(HttpContext context, bool allowStorageLookup, CancellationToken cancellationToken = default);
}
