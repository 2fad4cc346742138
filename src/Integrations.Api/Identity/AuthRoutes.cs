using Integrations.Api.Routing;
using Integrations.Core.Audit;

namespace Integrations.Api.Identity;

/// <summary>
/// People's own account routes: entries of the route table (<see cref="ApiRoutes"/>). The ones that hand out credentials are
/// <see cref="RouteAccess.Anonymous"/> (limited per source address under <see cref="RateLimitPolicies.Auth"/>, audited without
/// the body); the rest need the person's access token (<see cref="RouteAccess.User"/>).
/// </summary>
public static class AuthRoutes
{
    public static ApiRoute SignUp { get; } = new("SignUp", "POST", "v1/auth/signup",
        "Creates an account {email, password, display_name?} with a personal organization (the person is its owner) and logs in: 201 with a token response.",
        RouteAccess.Anonymous, AuditActions.UserSignUp, ChangesState: true, RateLimitPolicies.Auth, RouteHandlers.Of<AuthEndpoints>((e, r, ct) => e.SignUpAsync(r, ct)));

    public static ApiRoute Login { get; } = new("Login", "POST", "v1/auth/login",
        "Logs in {email, password, organization_id?}: a 2-hour access token and a refresh token. 401 alike for an unknown address and a wrong password; 429 with Retry-After when throttled.",
        RouteAccess.Anonymous, AuditActions.UserLogin, ChangesState: true, RateLimitPolicies.Auth, RouteHandlers.Of<AuthEndpoints>((e, r, ct) => e.LoginAsync(r, ct)));

    public static ApiRoute Refresh { get; } = new("RefreshSession", "POST", "v1/auth/refresh",
        "Exchanges a refresh token {refresh_token, organization_id?} for a new pair (single use, rotated; reuse ends the session).",
        RouteAccess.Anonymous, AuditActions.UserRefresh, ChangesState: true, RateLimitPolicies.Auth, RouteHandlers.Of<AuthEndpoints>((e, r, ct) => e.RefreshAsync(r, ct)));

    public static ApiRoute Logout { get; } = new("Logout", "POST", "v1/auth/logout",
        "Ends the session of a refresh token {refresh_token}: 204 whether or not the token was valid.",
        RouteAccess.Anonymous, AuditActions.UserLogout, ChangesState: true, RateLimitPolicies.Auth, RouteHandlers.Of<AuthEndpoints>((e, r, ct) => e.LogoutAsync(r, ct)));

    public static ApiRoute LogoutAll { get; } = new("LogoutAll", "POST", "v1/auth/logout-all",
        "Ends every session of the signed-in person: refresh tokens are refused at once, access tokens within Auth:SessionCheckInterval.",
        RouteAccess.User, AuditActions.UserLogoutAll, ChangesState: true, RateLimitPolicies.Standard, RouteHandlers.Of<AuthEndpoints>((e, r, ct) => e.LogoutAllAsync(r, ct)));

    public static ApiRoute ChangePassword { get; } = new("ChangePassword", "POST", "v1/auth/password",
        "Changes the signed-in person's password {current_password, new_password}; every session ends.",
        RouteAccess.User, AuditActions.UserPasswordChange, ChangesState: true, RateLimitPolicies.Standard, RouteHandlers.Of<AuthEndpoints>((e, r, ct) => e.ChangePasswordAsync(r, ct)));

    public static ApiRoute Me { get; } = new("GetMe", "GET", "v1/me",
        "The signed-in person: id, email, whether it is verified, and their organizations with their role in each.",
        RouteAccess.User, AuditActions.UserRead, ChangesState: false, RateLimitPolicies.Standard, RouteHandlers.Of<AuthEndpoints>((e, r, ct) => e.MeAsync(r, ct)));

    public static IReadOnlyList<ApiRoute> All { get; } = [SignUp, Login, Refresh, Logout, LogoutAll, ChangePassword, Me];
}
