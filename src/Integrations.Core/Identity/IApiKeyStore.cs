namespace Integrations.Core.Identity;

/// <summary>
/// Storage of API keys: by hash for authentication (the lookup row), by organization for management (the listed row).
/// The two rows live in different partitions, so no write covers both: revocation marks lookup rows before listed rows
/// and removal deletes lookup rows first, so a key that is listed as revoked or gone can never authenticate.
/// </summary>
public interface IApiKeyStore
{
    Task AddAsync(ApiKey key, CancellationToken cancellationToken = default);

    Task<ApiKey?> FindByHashAsync(string hash, CancellationToken cancellationToken = default);

    Task<ApiKey?> GetAsync(string organizationId, string keyId, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<ApiKey>> ListAsync(string organizationId, CancellationToken cancellationToken = default);

    /// <summary>How many keys (of any state) the organization has stored; reads keys only, never whole rows.</summary>
    Task<int> CountAsync(string organizationId, CancellationToken cancellationToken = default);

    /// <summary>Marks the keys' lookup rows revoked (the rows authentication reads); a missing row is skipped. Idempotent.</summary>
    Task RevokeLookupRowsAsync(IReadOnlyList<ApiKey> keys, DateTimeOffset revokedAt, CancellationToken cancellationToken = default);

    /// <summary>
    /// Marks the keys' listed rows revoked, in order, in transactions of up to 100 (one partition): put the key whose state
    /// the caller reads as "done" last. A missing row is skipped. Idempotent.
    /// </summary>
    Task RevokeListedRowsAsync(string organizationId, IReadOnlyList<ApiKey> keys, DateTimeOffset revokedAt, CancellationToken cancellationToken = default);

    /// <summary>Keys of every organization that expired, or were revoked, before <paramref name="before"/>.</summary>
    IAsyncEnumerable<ApiKey> ListEndedBeforeAsync(DateTimeOffset before, CancellationToken cancellationToken = default);

    /// <summary>Removes both rows of a key, the lookup row first; rows already gone are fine.</summary>
    Task DeleteAsync(ApiKey key, CancellationToken cancellationToken = default);
}
