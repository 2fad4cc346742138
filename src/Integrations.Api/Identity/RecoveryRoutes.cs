using Integrations.Api.Routing;

namespace Integrations.Api.Identity;

/// <summary>
/// Email verification and password reset: entries of the route table (<see cref="ApiRoutes"/>). Public (the person has no
/// credential yet); limited per source address and audited by the endpoints themselves (<see cref="RecoveryEndpoints"/>),
/// never with the token, the password or the address.
/// </summary>
public static class RecoveryRoutes
{
    public static ApiRoute VerifyEmail { get; } = new(
        "VerifyEmail", "GET", "v1/auth/verify", "Verify an email address with the mailed token (token, type=signup). JSON, or a redirect to Auth:CallbackRedirectUrl.",
        RouteAccess.Public, AuditAction: null, ChangesState: false, RateLimitPolicies.None, RouteHandlers.Of<RecoveryEndpoints>((e, r, ct) => e.VerifyAsync(r, ct)));

    public static ApiRoute RequestPasswordReset { get; } = new(
        "RequestPasswordReset", "POST", "v1/auth/password-reset", "Ask for a password-reset mail ({email}); 202 whether or not an account holds the address.",
        RouteAccess.Public, AuditAction: null, ChangesState: false, RateLimitPolicies.None, RouteHandlers.Of<RecoveryEndpoints>((e, r, ct) => e.RequestResetAsync(r, ct)));

    public static ApiRoute ConfirmPasswordReset { get; } = new(
        "ConfirmPasswordReset", "POST", "v1/auth/password-reset/confirm", "Set a new password with a reset token ({token, new_password}); ends every session. 204.",
        RouteAccess.Public, AuditAction: null, ChangesState: false, RateLimitPolicies.None, RouteHandlers.Of<RecoveryEndpoints>((e, r, ct) => e.ConfirmResetAsync(r, ct)));

    public static IReadOnlyList<ApiRoute> All { get; } = [VerifyEmail, RequestPasswordReset, ConfirmPasswordReset];
}
