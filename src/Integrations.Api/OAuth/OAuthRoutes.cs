using Integrations.Api.Routing;
using Integrations.Core.Audit;
using Integrations.Core.Identity;

namespace Integrations.Api.OAuth;

/// <summary>The OAuth browser-flow routes (start link, project settings): entries of the route table (<see cref="ApiRoutes"/>).</summary>
public static class OAuthRoutes
{
    public static ApiRoute Start { get; } = new("StartOAuth", "GET", "v1/oauth/start",
        "Open an OAuth start link (t = the token from authorize's start_url): binds the flow to this browser with a cookie and redirects to the provider. Single use.",
        RouteAccess.Public, AuditAction: null, ChangesState: false, RateLimitPolicies.None,
        RouteHandlers.Of<OAuthStartEndpoints>((e, r, ct) => e.StartAsync(r, ct)));

    public static ApiRoute GetSettings { get; } = new("GetOAuthSettings", "GET", "v1/projects/{projectId}/oauth/settings",
        "The project's OAuth settings: allowed_redirect_origins (what redirect_after may point at) and the hub's redirect_uri.",
        RouteAccess.Project(Scopes.ProvidersRead), AuditActions.OAuthSettingsRead, false, RateLimitPolicies.Standard,
        RouteHandlers.Of<OAuthSettingsEndpoints>((e, r, ct) => e.GetAsync(r, ct)))
    {
        AuditTarget = static _ => "oauth/settings",
    };

    public static ApiRoute PutSettings { get; } = new("SetOAuthSettings", "PUT", "v1/projects/{projectId}/oauth/settings",
        "Replace the project's OAuth settings ({\"allowed_redirect_origins\": [\"https://app.example.com\", …]}: bare origins, https outside Development).",
        RouteAccess.Project(Scopes.ProvidersWrite), AuditActions.OAuthSettingsSet, true, RateLimitPolicies.Standard,
        RouteHandlers.Of<OAuthSettingsEndpoints>((e, r, ct) => e.PutAsync(r, ct)))
    {
        AuditTarget = static _ => "oauth/settings",
    };

    public static IReadOnlyList<ApiRoute> All { get; } = [Start, GetSettings, PutSettings];
}
