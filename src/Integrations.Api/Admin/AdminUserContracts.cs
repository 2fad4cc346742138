using Integrations.Core.Identity.Users;

namespace Integrations.Api.Admin;

/// <summary>A user as the admin routes show it: no hash, no stamp.</summary>
public sealed record AdminUserResponse(
    string Id, string Email, string DisplayName, bool EmailVerified, bool HasPassword, DateTimeOffset CreatedAt, DateTimeOffset? PasswordChangedAt)
{
    public static AdminUserResponse From(User user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return new(user.Id, user.Email, user.DisplayName, user.EmailVerified, user.PasswordHash is not null, user.CreatedAt, user.PasswordChangedAt);
    }
}

/// <summary>The answer of <c>POST /v1/admin/users/{id}/logout</c>.</summary>
public sealed record AdminLogoutResponse(int SessionsEnded);
