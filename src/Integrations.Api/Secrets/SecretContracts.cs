using Integrations.Core.Vault;

namespace Integrations.Api.Secrets;

// Request bodies: every field is nullable, so a missing field is reported by validation, not by the parser.

public sealed record CreateSecretRequest(
    string? Name, string? Value, string? Description, List<string>? Tags, string? AuthType = null, Dictionary<string, string>? Metadata = null);

public sealed record UpdateSecretRequest(string? Value, string? Description, List<string>? Tags, string? AuthType = null, Dictionary<string, string>? Metadata = null);

public sealed record RevealSecretRequest(int? Version);

// Responses: none has a field for a secret value except RevealResponse.

/// <summary>A secret's metadata. <see cref="Metadata"/> is null (left out) in lists, which do not read it: GET the secret for it.</summary>
public sealed record SecretResponse(
    string Id, string Name, int Version, string? Description, IReadOnlyList<string> Tags, string AuthType, IReadOnlyDictionary<string, string>? Metadata,
    string CreatedBy, DateTimeOffset CreatedAt, string UpdatedBy, DateTimeOffset UpdatedAt, DateTimeOffset? DeletedAt, DateTimeOffset? PurgeAfter)
{
    public static SecretResponse From(SecretRecord s, TimeSpan retention, bool withMetadata = true) => new(
        s.SecretId, s.Location.Name, s.CurrentVersion, s.Description, s.Tags, s.AuthType, withMetadata ? s.Metadata : null, s.CreatedBy, s.CreatedAt,
        s.UpdatedBy, s.UpdatedAt, s.DeletedAt, s.DeletedAt + retention);
}

public sealed record SecretVersionResponse(int Version, string CreatedBy, DateTimeOffset CreatedAt);

public sealed record RevealResponse(string Name, int Version, string Value);
