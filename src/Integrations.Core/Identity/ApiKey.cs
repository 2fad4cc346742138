using Integrations.Core.Common;

namespace Integrations.Core.Identity;

/// <summary>An API key as stored: never the key itself, only its SHA-256 and a hint.</summary>
public sealed record ApiKey(
    string Id,
    string OrganizationId,
    string Name,
    IReadOnlyList<string> Scopes,
    string Hash,
    string Hint,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? RevokedAt = null)
{
    public bool IsUsableAt(DateTimeOffset now) => RevokedAt is null && (ExpiresAt is null || ExpiresAt > now);
}

/// <summary>A key just created: the only moment its secret exists outside the caller's hands.</summary>
public sealed record IssuedApiKey(ApiKey Key, string Token);

/// <summary>Storage of API keys: by hash for authentication, by organization for management.</summary>
public interface IApiKeyStore
{
    Task AddAsync(ApiKey key, CancellationToken cancellationToken = default);

    Task<ApiKey?> FindByHashAsync(string hash, CancellationToken cancellationToken = default);

    Task<ApiKey?> GetAsync(string organizationId, string keyId, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<ApiKey>> ListAsync(string organizationId, CancellationToken cancellationToken = default);

    /// <summary>Marks the key revoked in both its rows; <see cref="WriteOutcome.NotFound"/> when the organization has no such key.</summary>
    Task<WriteOutcome> RevokeAsync(string organizationId, string keyId, DateTimeOffset revokedAt, CancellationToken cancellationToken = default);
}
