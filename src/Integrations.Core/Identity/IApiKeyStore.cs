using Integrations.Core.Common;

namespace Integrations.Core.Identity;

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
