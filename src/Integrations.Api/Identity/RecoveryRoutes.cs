using Integrations.Api.Routing;
using Integrations.Core.Audit;

namespace Integrations.Api.Identity;

/// <summary>
/// Email verification and password reset: entries of the route table (<see cref="ApiRoutes"/>). Anonymous (the person has no
/// credential yet), so the pipeline limits them per source address (<see cref="RateLimitPolicies.Recovery"/>) and audits their
/// outcome naming at most <c>user/{id}</c> — never the token, the password or the address.
/// </summary>
public static class RecoveryRoutes
{
    public static ApiRoute VerifyEmail { get; } = new(
        "VerifyEmail", "GET", "v1/auth/verify", "Verify an email address with the mailed token (token, type=signup). JSON, or a redirect to Auth:CallbackRedirectUrl.",
        RouteAccess.Anonymous, AuditActions.AuthVerifyEmail, ChangesState: true, RateLimitPolicies.Recovery, RouteHandlers.Of<RecoveryEndpoints>((e, r, ct) => e.VerifyAsync(r, ct)));

    public static ApiRoute RequestPasswordReset { get; } = new(
        "RequestPasswordReset", "POST", "v1/auth/password-reset", "Ask for a password-reset mail ({email}); 202 whether or not an account holds the address.",
        RouteAccess.Anonymous, AuditActions.AuthPasswordResetRequest, ChangesState: true, RateLimitPolicies.Recovery, RouteHandlers.Of<RecoveryEndpoints>((e, r, ct) => e.RequestResetAsync(r, ct)));

    public static ApiRoute ConfirmPasswordReset { get; } = new(
        "ConfirmPasswordReset", "POST", "v1/auth/password-reset/confirm", "Set a new password with a reset token ({token, new_password}); ends every session. 204.",
        RouteAccess.Anonymous, AuditActions.AuthPasswordResetConfirm, ChangesState: true, RateLimitPolicies.Recovery, RouteHandlers.Of<RecoveryEndpoints>((e, r, ct) => e.ConfirmResetAsync(r, ct)));

    public static IReadOnlyList<ApiRoute> All { get; } = [VerifyEmail, RequestPasswordReset, ConfirmPasswordReset];
}
