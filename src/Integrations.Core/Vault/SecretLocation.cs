namespace Integrations.Core.Vault;

/// <summary>Where a secret lives: its tenant, project and name.</summary>
public readonly record struct SecretLocation(string OrganizationId, string ProjectId, string Name)
{
    /// <summary>
    /// Set when the secret was addressed by id (<c>…/secrets/by-id/{secretId}</c>): the vault then acts only if the secret
    /// at this place still has this id, so a name purged and reused between finding and acting is not found.
    /// </summary>
    public string? SecretId { get; init; }
}
