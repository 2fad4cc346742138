namespace Integrations.Core.Identity;

public enum CallerKind
{
    /// <summary>The platform operator (<c>Hub:AdminKey</c>): creates organizations and rotates keys; sees no tenant data.</summary>
    PlatformAdmin,

    /// <summary>An organization's API key.</summary>
    ApiKey,
}

/// <summary>Who is calling: an authenticated principal with its tenant and scopes.</summary>
public sealed record Caller(CallerKind Kind, string Id, string? OrganizationId, IReadOnlySet<string> Scopes)
{
    public const string PlatformAdminId = "platform-admin";

    public static Caller PlatformAdmin { get; } = new(CallerKind.PlatformAdmin, PlatformAdminId, null, new HashSet<string>(StringComparer.Ordinal));

    public bool HasScope(string scope) => Scopes.Contains(scope);
}
