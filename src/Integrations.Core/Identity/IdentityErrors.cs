namespace Integrations.Core.Identity;

/// <summary>Error codes of API keys. Each is a problem <c>type</c> with an entry in docs/problems.md.</summary>
public static class IdentityErrors
{
    public const string UnknownScope = "unknown-scope";
    public const string InvalidExpiry = "invalid-expiry";
}
