namespace Integrations.Api.Http;

// Request bodies. Every field is nullable: a missing field is reported as such by validation, not by the parser.

public sealed record CreateOrganizationRequest(string? Name);

public sealed record CreateApiKeyRequest(string? Name, List<string>? Scopes, DateTimeOffset? ExpiresAt);

public sealed record CreateProjectRequest(string? Name);

public sealed record CreateSecretRequest(string? Name, string? Value, string? Description, List<string>? Tags);

public sealed record UpdateSecretRequest(string? Value, string? Description, List<string>? Tags);

public sealed record RevealSecretRequest(int? Version);

public sealed record RotateKeysRequest(string? Target);
