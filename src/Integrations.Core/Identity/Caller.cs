namespace Integrations.Core.Identity;

/// <summary>Who is calling: an authenticated principal with its tenant and scopes.</summary>
public sealed record Caller(CallerKind Kind, string Id, string? OrganizationId, IReadOnlySet<string> Scopes)
{
    public const string PlatformAdminId = "platform-admin";

    public static Caller PlatformAdmin { get; } = new(CallerKind.PlatformAdmin, PlatformAdminId, null, new HashSet<string>(StringComparer.Ordinal));

    /// <summary>A <see cref="CallerKind.User"/>'s role in <see cref="OrganizationId"/> (the token's <c>role</c> claim); null for keys.</summary>
    public Organizations.OrganizationRole? Role { get; init; }

    /// <summary>A <see cref="CallerKind.User"/>'s session (the token's <c>sid</c>); null for keys and the Development header.</summary>
    public string? SessionId { get; init; }

    public bool HasScope(string scope) => Scopes.Contains(scope);
}
