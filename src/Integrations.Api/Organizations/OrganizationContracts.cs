namespace Integrations.Api.Organizations;

public sealed record CreateOrganizationRequest(string? Name);

/// <summary>A new organization with its owner key: the only time <see cref="ApiKey"/> is shown.</summary>
/// <param name="ApiKeyExpiresAt">
/// Always null: the owner key is the one key that never expires (outside <c>Hub:MaxApiKeyLifetime</c>), so an organization
/// cannot lock itself out. Keys it creates expire; keep it in a secret manager and revoke it if it leaks.
/// </param>
public sealed record OrganizationCreatedResponse(string Id, string Name, string ApiKey, string ApiKeyId, DateTimeOffset CreatedAt, DateTimeOffset? ApiKeyExpiresAt);
