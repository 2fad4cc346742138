namespace Integrations.Core.Vault;

/// <summary>Where a secret lives: its tenant, project and name.</summary>
public readonly record struct SecretLocation(string OrganizationId, string ProjectId, string Name);
