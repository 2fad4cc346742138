namespace Integrations.Core.Identity.Social;

/// <summary>Error codes of social login and social connections; each has an entry in docs/problems.md (## Social login).</summary>
public static class SocialErrors
{
    /// <summary>The provider is not a slug (lowercase letters, digits and '-', 1–32 characters).</summary>
    public const string InvalidProvider = "invalid-social-provider";

    /// <summary>provider_user_id is missing, longer than 255 characters or holds non-printing characters.</summary>
    public const string InvalidProviderUserId = "invalid-provider-user-id";

    /// <summary>avatar_url is not an absolute https URL of at most 2048 characters without user info.</summary>
    public const string InvalidAvatarUrl = "invalid-avatar-url";

    /// <summary>An account holds the address but the provider did not verify it: linking would let anyone claim the account.</summary>
    public const string EmailUnverified = "social-email-unverified";

    /// <summary>The account already has a link for this provider (another account there), or the provider account is linked elsewhere.</summary>
    public const string ProviderAlreadyLinked = "social-provider-already-linked";

    /// <summary>Removing the connection would leave no way to log in (no password and no other connection).</summary>
    public const string LastLoginMethod = "social-last-login-method";

    /// <summary>The key holds the scope but is not a key of the platform's own organization (<c>Auth:Platform:OrganizationId</c>).</summary>
    public const string PlatformKeyOnly = "social-login-platform-key-only";
}
