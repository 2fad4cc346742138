using Integrations.Azure.Tables;
using Integrations.Core.Identity;

namespace Integrations.Azure.Tests.Identity;

/// <summary>The real Table store, wrapped (never replaced): a test overrides the one call it counts, fails or holds.</summary>
internal class DelegatingApiKeyStore(IApiKeyStore inner) : IApiKeyStore
{
    public DelegatingApiKeyStore(TableApiKeyStore inner)
        : this((IApiKeyStore)inner)
    {
    }

    public virtual Task AddAsync(ApiKey key, CancellationToken cancellationToken = default) => inner.AddAsync(key, cancellationToken);

    public virtual Task<ApiKey?> FindByHashAsync(string hash, CancellationToken cancellationToken = default) => inner.FindByHashAsync(hash, cancellationToken);

    public virtual Task<ApiKey?> GetAsync(string organizationId, string keyId, CancellationToken cancellationToken = default) =>
        inner.GetAsync(organizationId, keyId, cancellationToken);

    public virtual Task<IReadOnlyList<ApiKey>> ListAsync(string organizationId, CancellationToken cancellationToken = default) =>
        inner.ListAsync(organizationId, cancellationToken);

    public virtual Task<int> CountAsync(string organizationId, CancellationToken cancellationToken = default) => inner.CountAsync(organizationId, cancellationToken);

    public virtual Task RevokeLookupRowsAsync(IReadOnlyList<ApiKey> keys, DateTimeOffset revokedAt, CancellationToken cancellationToken = default) =>
        inner.RevokeLookupRowsAsync(keys, revokedAt, cancellationToken);

    public virtual Task RevokeListedRowsAsync(string organizationId, IReadOnlyList<ApiKey> keys, DateTimeOffset revokedAt, CancellationToken cancellationToken = default) =>
        inner.RevokeListedRowsAsync(organizationId, keys, revokedAt, cancellationToken);

    public virtual IAsyncEnumerable<ApiKey> ListEndedBeforeAsync(DateTimeOffset before, CancellationToken cancellationToken = default) =>
        inner.ListEndedBeforeAsync(before, cancellationToken);

    public virtual Task DeleteAsync(ApiKey key, CancellationToken cancellationToken = default) => inner.DeleteAsync(key, cancellationToken);
}
