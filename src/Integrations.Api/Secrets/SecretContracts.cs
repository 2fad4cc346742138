using Integrations.Core.Vault;

namespace Integrations.Api.Secrets;

// Request bodies: every field is nullable, so a missing field is reported by validation, not by the parser.

public sealed record CreateSecretRequest(string? Name, string? Value, string? Description, List<string>? Tags);

public sealed record UpdateSecretRequest(string? Value, string? Description, List<string>? Tags);

public sealed record RevealSecretRequest(int? Version);

// Responses: none has a field for a secret value except RevealResponse.

public sealed record SecretResponse(
    string Id, string Name, int Version, string? Description, IReadOnlyList<string> Tags, string CreatedBy, DateTimeOffset CreatedAt,
    string UpdatedBy, DateTimeOffset UpdatedAt, DateTimeOffset? DeletedAt, DateTimeOffset? PurgeAfter)
{
    public static SecretResponse From(SecretRecord s, TimeSpan retention) => new(
        s.SecretId, s.Location.Name, s.CurrentVersion, s.Description, s.Tags, s.CreatedBy, s.CreatedAt, s.UpdatedBy, s.UpdatedAt, s.DeletedAt, s.DeletedAt + retention);
}

public sealed record SecretVersionResponse(int Version, string CreatedBy, DateTimeOffset CreatedAt);

public sealed record RevealResponse(string Name, int Version, string Value);
