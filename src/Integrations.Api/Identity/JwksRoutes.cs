using Integrations.Api.Routing;

namespace Integrations.Api.Identity;

/// <summary>
/// The public keys that verify user access tokens: an entry of the route table (<see cref="ApiRoutes"/>). Public (relying
/// parties fetch it without credentials), not audited, not limited: it publishes nothing secret.
/// </summary>
public static class JwksRoutes
{
    public static ApiRoute Jwks { get; } = new(
        "Jwks", "GET", ".well-known/jwks.json", "The JSON Web Key Set (RFC 7517) of the keys that sign access tokens: every key whose tokens may still be valid.",
        RouteAccess.Public, AuditAction: null, ChangesState: false, RateLimitPolicies.None, RouteHandlers.Of<JwksEndpoints>((e, r, ct) => e.GetAsync(r, ct)));

    public static IReadOnlyList<ApiRoute> All { get; } = [Jwks];
}
