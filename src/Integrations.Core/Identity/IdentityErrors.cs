namespace Integrations.Core.Identity;

/// <summary>Error codes of API keys. Each is a problem <c>type</c> with an entry in docs/problems.md.</summary>
public static class IdentityErrors
{
    public const string UnknownScope = "unknown-scope";
    public const string InvalidExpiry = "invalid-expiry";

    /// <summary>A key of an organization other than <c>Auth:Platform:OrganizationId</c> asked for a platform scope (<see cref="Scopes.Platform"/>).</summary>
    public const string ScopePlatformOnly = "scope-platform-only";

    /// <summary>A key asked for a scope the creating key does not hold itself.</summary>
    public const string ScopeNotHeld = "scope-not-held";

    /// <summary>A key asked for an expiry past the creating key's own, or past <c>Hub:MaxApiKeyLifetime</c>.</summary>
    public const string ExpiryTooLate = "expiry-too-late";

    /// <summary>The creating key was revoked while the new key was being written; the new key was revoked with it.</summary>
    public const string CreatingKeyRevoked = "creating-key-revoked";

    /// <summary>The organization holds <c>Hub:MaxApiKeysPerOrganization</c> keys.</summary>
    public const string ApiKeyQuotaReached = "api-key-quota-reached";
}
