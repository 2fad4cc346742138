using Integrations.Api.Routing;
using Integrations.Core.Audit;
using Integrations.Core.Common;
using Integrations.Core.Identity;

namespace Integrations.Api.ApiKeys;

/// <summary>The API-key routes: entries of the route table (<see cref="ApiRoutes"/>).</summary>
public static class ApiKeyRoutes
{
    private const string Collection = "v1/orgs/{orgId}/api-keys";

    public static ApiRoute Create { get; } = new("CreateApiKey", "POST", Collection, "Create an API key (scopes a subset of the caller's, expiry no later than its own); the key is returned once.",
        RouteAccess.Organization(Scopes.Admin), AuditActions.ApiKeyCreate, true, RateLimitPolicies.Standard,
        RouteHandlers.Of<ApiKeyEndpoints>((e, r, ct) => e.CreateAsync(r, ct)))
    {
        NamesItsTarget = true,
    };

    public static ApiRoute List { get; } = new("ListApiKeys", "GET", Collection, "List API keys (no key material).",
        RouteAccess.Organization(Scopes.Admin), AuditActions.ApiKeyList, false, RateLimitPolicies.Standard,
        RouteHandlers.Of<ApiKeyEndpoints>((e, r, ct) => e.ListAsync(r, ct)));

    public static ApiRoute Revoke { get; } = new("RevokeApiKey", "DELETE", Collection + "/{keyId}", "Revoke an API key and every key it created, theirs included.",
        RouteAccess.Organization(Scopes.Admin), AuditActions.ApiKeyRevoke, true, RateLimitPolicies.Standard,
        RouteHandlers.Of<ApiKeyEndpoints>((e, r, ct) => e.RevokeAsync(r, ct)))
    {
        AuditTarget = static values => Target(values["keyId"]),
    };

    public static IReadOnlyList<ApiRoute> All { get; } = [Create, List, Revoke];

    /// <summary>The audit target of a key; an id of the wrong shape is not echoed.</summary>
    public static string Target(string? keyId) => Ids.IsValid("key", keyId) ? $"apikey/{keyId}" : "apikey/(invalid id)";
}
