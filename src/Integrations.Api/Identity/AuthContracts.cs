using Integrations.Core.Identity.Users;

namespace Integrations.Api.Identity;

/// <summary><c>POST /v1/auth/signup</c>. <see cref="ToString"/> leaves the password out.</summary>
public sealed record SignUpRequest(string? Email, string? Password, string? DisplayName)
{
    public override string ToString() => "SignUpRequest { }";
}

/// <summary><c>POST /v1/auth/login</c>. <see cref="ToString"/> leaves the password out.</summary>
public sealed record LoginRequest(string? Email, string? Password, string? OrganizationId)
{
    public override string ToString() => $"LoginRequest {{ OrganizationId = {OrganizationId} }}";
}

/// <summary><c>POST /v1/auth/refresh</c>. <see cref="ToString"/> leaves the token out.</summary>
public sealed record RefreshRequest(string? RefreshToken, string? OrganizationId)
{
    public override string ToString() => $"RefreshRequest {{ OrganizationId = {OrganizationId} }}";
}

/// <summary><c>POST /v1/auth/logout</c>. <see cref="ToString"/> leaves the token out.</summary>
public sealed record LogoutRequest(string? RefreshToken)
{
    public override string ToString() => "LogoutRequest { }";
}

/// <summary><c>POST /v1/auth/password</c>. <see cref="ToString"/> leaves both passwords out.</summary>
public sealed record ChangePasswordRequest(string? CurrentPassword, string? NewPassword)
{
    public override string ToString() => "ChangePasswordRequest { }";
}

/// <summary>A person as the auth routes show them.</summary>
public sealed record UserResponse(string Id, string Email, bool EmailVerified, string DisplayName)
{
    public static UserResponse From(User user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return new(user.Id, user.Email, user.EmailVerified, user.DisplayName);
    }
}

/// <summary>
/// What sign-up, login and refresh answer: the access token (<see cref="TokenType"/> <c>Bearer</c>, <see cref="ExpiresIn"/>
/// seconds) and the refresh token that replaces the one used. <see cref="ToString"/> leaves both tokens out.
/// </summary>
public sealed record TokenResponse(string AccessToken, string TokenType, long ExpiresIn, string RefreshToken, UserResponse User, string OrganizationId, string Role)
{
    public override string ToString() => $"TokenResponse {{ UserId = {User.Id}, OrganizationId = {OrganizationId} }}";
}

/// <summary>An organization the person belongs to, with their role there.</summary>
public sealed record MembershipResponse(string Id, string Role, bool Personal);

/// <summary><c>GET /v1/me</c>: the signed-in person, the organization their token speaks for, and all of theirs.</summary>
public sealed record MeResponse(string Id, string Email, bool EmailVerified, string DisplayName, string OrganizationId, string Role, IReadOnlyList<MembershipResponse> Organizations);

/// <summary><c>POST /v1/auth/logout-all</c> and <c>/v1/auth/password</c>: how many sessions ended.</summary>
public sealed record SessionsEndedResponse(int SessionsEnded);
