using Integrations.Api.Routing;
using Integrations.Core.Audit;
using Integrations.Core.Identity;

namespace Integrations.Api.Identity;

/// <summary>
/// Social login (the platform's key, scope <c>auth:social-login</c>, only on a key of the <c>Auth:Platform</c> organization)
/// and a person's own social connections (their access token): entries of the route table (<see cref="ApiRoutes"/>).
/// </summary>
public static class SocialRoutes
{
    // Standard, not Auth: the caller is the platform's server key, shared by every person signing in to the platform, and the
    // auth policy (30 a minute) counted per credential would cap social sign-ins platform-wide. No password is checked here.
    public static ApiRoute SocialLogin { get; } = new("SocialLogin", "POST", "v1/auth/social-login",
        "Logs a person in from a profile the platform's app verified with Google/GitHub/Apple {provider, provider_user_id, email, email_verified, display_name?, avatar_url?, organization_id?}: " +
        "the linked person, or the account with that address when the provider verified it (409 social-email-unverified otherwise), or a new account with a personal organization. " +
        "The login's token response. Only a key of the platform's own organization (Auth:Platform:OrganizationId) holding auth:social-login.",
        RouteAccess.Organization(Scopes.AuthSocialLogin), AuditActions.UserSocialLogin, ChangesState: true, RateLimitPolicies.Standard,
        RouteHandlers.Of<SocialEndpoints>((e, r, ct) => e.SocialLoginAsync(r, ct)));

    public static ApiRoute ListConnections { get; } = new("ListSocialConnections", "GET", "v1/me/social-connections",
        "The signed-in person's social connections: provider, the address the provider reported, and when it was linked.",
        RouteAccess.User, AuditActions.UserSocialConnectionList, ChangesState: false, RateLimitPolicies.Standard,
        RouteHandlers.Of<SocialEndpoints>((e, r, ct) => e.ListAsync(r, ct)));

    public static ApiRoute DeleteConnection { get; } = new("DeleteSocialConnection", "DELETE", "v1/me/social-connections/{provider}",
        "Removes the signed-in person's connection to a provider: 204; 404 when there is none; 409 social-last-login-method when it is their last way in (no password, no other connection).",
        RouteAccess.User, AuditActions.UserSocialConnectionDelete, ChangesState: true, RateLimitPolicies.Standard,
        RouteHandlers.Of<SocialEndpoints>((e, r, ct) => e.DeleteAsync(r, ct)));

    public static IReadOnlyList<ApiRoute> All { get; } = [SocialLogin, ListConnections, DeleteConnection];
}
