namespace Integrations.Core.OAuth.Flows;

/// <summary>
/// A project's OAuth settings: the origins <c>redirect_after</c> may point at. It decides where a browser is sent, so its
/// row is MAC'd (<see cref="Integrity.AuthorityRows.OAuthSettingsKind"/>): a storage writer cannot add an origin.
/// </summary>
public sealed record ProjectOAuthSettings
{
    public required string OrganizationId { get; init; }

    public required string ProjectId { get; init; }

    /// <summary>Normalised origins (<see cref="RedirectAfterPolicy.NormalizeOrigins"/>); empty: no <c>redirect_after</c> allowed.</summary>
    public IReadOnlyList<string> AllowedRedirectOrigins { get; init; } = [];

    public string? UpdatedBy { get; init; }

    public DateTimeOffset? UpdatedAt { get; init; }

    /// <summary>The settings of a project that has never set any.</summary>
    public static ProjectOAuthSettings Empty(string organizationId, string projectId) => new() { OrganizationId = organizationId, ProjectId = projectId };
}
