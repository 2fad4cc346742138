using Integrations.Api.Routing;
using Integrations.Core.Audit;

namespace Integrations.Api.Admin;

/// <summary>The platform admin's user operations: entries of the route table (<see cref="ApiRoutes"/>), platform admin key only.</summary>
public static class AdminUserRoutes
{
    public static ApiRoute ListUsers { get; } = new("AdminListUsers", "GET", "v1/admin/users",
        "Users, ordered by address (search: an address prefix; page, per_page).",
        RouteAccess.PlatformAdmin, AuditActions.AdminUserList, false, RateLimitPolicies.Standard,
        RouteHandlers.Of<AdminUserEndpoints>((e, r, ct) => e.ListAsync(r, ct)));

    public static ApiRoute UnlockUser { get; } = User("AdminUnlockUser", "unlock", "Clear the user's login lock.", AuditActions.AdminUserUnlock,
        RouteHandlers.Of<AdminUserEndpoints>((e, r, ct) => e.UnlockAsync(r, ct)));

    public static ApiRoute VerifyUser { get; } = User("AdminVerifyUser", "verify", "Mark the user's email address verified.", AuditActions.AdminUserVerify,
        RouteHandlers.Of<AdminUserEndpoints>((e, r, ct) => e.VerifyAsync(r, ct)));

    public static ApiRoute LogoutUser { get; } = User("AdminLogoutUser", "logout", "End every session of the user.", AuditActions.AdminUserLogout,
        RouteHandlers.Of<AdminUserEndpoints>((e, r, ct) => e.LogoutAsync(r, ct)));

    public static ApiRoute ResetUserPassword { get; } = User("AdminResetUserPassword", "password",
        "Send the user a password-reset link (event and/or mail); the admin never sets or sees a password. 202.", AuditActions.AdminUserPasswordReset,
        RouteHandlers.Of<AdminUserEndpoints>((e, r, ct) => e.ResetPasswordAsync(r, ct)));

    public static ApiRoute DeleteUser { get; } = new("AdminDeleteUser", "DELETE", "v1/admin/users/{userId}",
        "Delete the user: sessions, refresh and recovery tokens, memberships, the account and its address. 409 while they are the only owner of an organization with other members. The audit keeps an HMAC of the address.",
        RouteAccess.PlatformAdmin, AuditActions.AdminUserDelete, true, RateLimitPolicies.Standard,
        RouteHandlers.Of<AdminUserEndpoints>((e, r, ct) => e.DeleteAsync(r, ct)))
    {
        AuditTarget = static values => "user/" + values["userId"],
    };

    public static IReadOnlyList<ApiRoute> All { get; } = [ListUsers, UnlockUser, VerifyUser, LogoutUser, ResetUserPassword, DeleteUser];

    private static ApiRoute User(string name, string operation, string summary, string action, RouteHandler handler) =>
        new(name, "POST", $"v1/admin/users/{{userId}}/{operation}", summary, RouteAccess.PlatformAdmin, action, true, RateLimitPolicies.Standard, handler)
        {
            AuditTarget = static values => "user/" + values["userId"],
        };
}
