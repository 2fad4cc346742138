using Integrations.Api.OAuth;
using Integrations.Api.Routing;
using Integrations.Core.Audit;
using Integrations.Core.Identity;

namespace Integrations.Api.Connections;

/// <summary>The connect flows: authorize (and its public callback), device, grant. Entries of the route table (<see cref="ApiRoutes"/>).</summary>
public static class ConnectRoutes
{
    public static ApiRoute Authorize { get; } = new("AuthorizeConnection", "POST", ConnectionRoutes.Item + "/authorize",
        "Start connecting an oauth2_authorization_code connection ({redirect_after?, scopes?}): returns the provider's authorization_url, the hub's single-use start_url (binds the flow to the browser that opens it) and expires_at. A connection in scopes_insufficient re-consents for the missing scopes.",
        RouteAccess.Project(Scopes.ConnectionsWrite), AuditActions.ConnectionAuthorize, true, RateLimitPolicies.Standard,
        RouteHandlers.Of<ConnectEndpoints>((e, r, ct) => e.AuthorizeAsync(r, ct)))
    {
        AuditTarget = static values => ConnectionRoutes.Target(values[ConnectionRoutes.IdParameter]),
    };

    public static ApiRoute Callback { get; } = new("OAuthCallback", "GET", "v1/oauth/callback",
        "The OAuth redirect URI (code, state, iss): checks the state (single use, unexpired, iss, browser binding), exchanges the code with PKCE, validates the id token, stores the tokens, then redirects to redirect_after or shows a small page. Provider errors are shown, never treated as success.",
        RouteAccess.Public, AuditAction: null, ChangesState: false, RateLimitPolicies.None,
        RouteHandlers.Of<OAuthCallbackEndpoints>((e, r, ct) => e.CallbackAsync(r, ct)));

    public static ApiRoute Device { get; } = new("StartDeviceAuthorization", "POST", ConnectionRoutes.Item + "/device",
        "Start RFC 8628 device authorization for an oauth2_device connection: returns user_code, verification_uri(_complete), expires_in and interval; the hub polls the provider and the connection's status says how it goes (pending with a reason, then active).",
        RouteAccess.Project(Scopes.ConnectionsWrite), AuditActions.ConnectionDevice, true, RateLimitPolicies.Standard,
        RouteHandlers.Of<ConnectEndpoints>((e, r, ct) => e.DeviceAsync(r, ct)))
    {
        AuditTarget = static values => ConnectionRoutes.Target(values[ConnectionRoutes.IdParameter]),
    };

    public static ApiRoute Grant { get; } = new("GrantConnection", "POST", ConnectionRoutes.Item + "/grant",
        "Connect with a direct grant ({grant_type, parameters}): client_credentials (oauth2_client_credentials: the first token now); password (oauth2_password: DISCOURAGED, legacy — OAuth 2.0 Security BCP forbids it; use it only for providers that offer nothing else); for oauth2_generic token exchange (RFC 8693), JWT bearer (RFC 7523) or any other grant with caller-supplied parameters. Client authentication is the hub's: parameters may not set client_id, client_secret or client_assertion. Parameter values are sent to the provider only, never logged or audited.",
        RouteAccess.Project(Scopes.ConnectionsWrite), AuditActions.ConnectionGrant, true, RateLimitPolicies.Standard,
        RouteHandlers.Of<ConnectEndpoints>((e, r, ct) => e.GrantAsync(r, ct)))
    {
        AuditTarget = static values => ConnectionRoutes.Target(values[ConnectionRoutes.IdParameter]),
    };

    public static IReadOnlyList<ApiRoute> All { get; } = [Authorize, Callback, Device, Grant];
}
