namespace Integrations.Core.Identity;

/// <summary>Who is calling: an authenticated principal with its tenant and scopes.</summary>
public sealed record Caller(CallerKind Kind, string Id, string? OrganizationId, IReadOnlySet<string> Scopes)
{
    public const string PlatformAdminId = "platform-admin";

    public static Caller PlatformAdmin { get; } = new(CallerKind.PlatformAdmin, PlatformAdminId, null, new HashSet<string>(StringComparer.Ordinal));

    public bool HasScope(string scope) => Scopes.Contains(scope);
}
