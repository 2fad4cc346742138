namespace Integrations.Core.Identity.Users;

/// <summary>
/// Error codes of sign-up, login, refresh and password change. Each is a problem <c>type</c> with an entry in
/// docs/problems.md (## Identity: users and sessions). Messages never hold a password, a token or whether an account exists
/// (except <see cref="EmailTaken"/> at sign-up).
/// </summary>
public static class UserErrors
{
    /// <summary>Sign-up: an account already holds this address (compared by its normalised lookup key).</summary>
    public const string EmailTaken = "email-taken";

    /// <summary>Sign-up: the display name is too long or holds control characters (field <c>display_name</c>).</summary>
    public const string InvalidDisplayName = "invalid-display-name";

    /// <summary>Login or password change: the email and password do not match an account — the same answer for an unknown address.</summary>
    public const string InvalidCredentials = "invalid-credentials";

    /// <summary>Refresh: the token is malformed, unknown, expired, already used, or its session has ended — one answer for all.</summary>
    public const string InvalidRefreshToken = "invalid-refresh-token";

    /// <summary>Login: too many failed attempts for this account or address; try again after <c>Retry-After</c>.</summary>
    public const string LoginThrottled = "login-throttled";

    /// <summary>Login or refresh: the user belongs to no organization a token could speak for.</summary>
    public const string NoOrganization = "no-organization";

    /// <summary>Logout, logout everywhere or password change: the account's rows kept changing under the write; try again.</summary>
    public const string AccountChanged = "account-changed";
}
