using Integrations.Core.Identity;

namespace Integrations.Api.ApiKeys;

public sealed record CreateApiKeyRequest(string? Name, List<string>? Scopes, DateTimeOffset? ExpiresAt);

/// <summary>An API key as listed: a hint, never the key.</summary>
public sealed record ApiKeyResponse(
    string Id, string Name, IReadOnlyList<string> Scopes, string Hint, string CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt,
    string? ParentKeyId)
{
    public static ApiKeyResponse From(ApiKey k) => new(k.Id, k.Name, k.Scopes, k.Hint, k.CreatedBy, k.CreatedAt, k.ExpiresAt, k.RevokedAt, k.ParentKeyId);
}

/// <summary>A new key: the only time <see cref="Key"/> is shown.</summary>
/// <param name="ExpiresAt">Always set for a key created through the API: the caller's expiry or <c>Hub:MaxApiKeyLifetime</c> bounds it.</param>
/// <param name="ParentKeyId">The key that created it; revoking that key revokes this one.</param>
public sealed record ApiKeyCreatedResponse(string Id, string Key, string Name, IReadOnlyList<string> Scopes, DateTimeOffset? ExpiresAt, string? ParentKeyId);
