namespace Integrations.Api.Organizations;

public sealed record CreateOrganizationRequest(string? Name);

/// <summary>A new organization with its owner key: the only time <see cref="ApiKey"/> is shown.</summary>
public sealed record OrganizationCreatedResponse(string Id, string Name, string ApiKey, string ApiKeyId, DateTimeOffset CreatedAt);
