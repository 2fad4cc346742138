using Integrations.Core.Common;

namespace Integrations.Core.Vault;

/// <summary>Storage of secrets. Every write is conditional: nothing is ever overwritten silently.</summary>
public interface ISecretStore
{
    /// <summary>Adds the secret and its first version together; <see cref="WriteOutcome.Conflict"/> when the name is taken (even by a deleted secret).</summary>
    Task<WriteOutcome> TryCreateAsync(SecretRecord secret, SecretVersionRecord firstVersion, CancellationToken cancellationToken = default);

    /// <summary>The secret, with <see cref="SecretRecord.CurrentValue"/> only when <paramref name="includeValue"/> is true.</summary>
    Task<SecretRecord?> GetAsync(SecretLocation location, bool includeValue, CancellationToken cancellationToken = default);

    /// <summary>
    /// Where the secret with id <paramref name="secretId"/> of the project lives, or null. The answer is a hint: the
    /// caller reads the secret and checks its id, as a secret can be purged and its name reused at any time.
    /// </summary>
    Task<SecretLocation?> FindByIdAsync(string organizationId, string projectId, string secretId, CancellationToken cancellationToken = default);

    Task<SecretVersionRecord?> GetVersionAsync(SecretLocation location, int version, CancellationToken cancellationToken = default);

    /// <summary>
    /// Atomically adds <paramref name="version"/> and replaces the secret with <paramref name="updated"/>, if the
    /// secret's ETag is still <see cref="SecretRecord.ETag"/>.
    /// </summary>
    Task<WriteOutcome> TryAddVersionAsync(SecretRecord updated, SecretVersionRecord version, CancellationToken cancellationToken = default);

    /// <summary>Replaces the secret (deletion, restore, metadata) if its ETag still matches; <paramref name="updated"/> must carry its value.</summary>
    Task<WriteOutcome> TryUpdateAsync(SecretRecord updated, CancellationToken cancellationToken = default);

    /// <summary>
    /// One page of the project's secrets matching <paramref name="query"/>, in name order, without values or metadata,
    /// and the number matching. Holds no more than the page (and its keys) in memory, whatever the project's size.
    /// </summary>
    Task<PagedList<SecretRecord>> ListAsync(string organizationId, string projectId, SecretQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// How many secrets (deleted ones included) the project holds, counting no further than <paramref name="atMost"/>.
    /// Reads keys only.
    /// </summary>
    Task<int> CountAsync(string organizationId, string projectId, int atMost, CancellationToken cancellationToken = default);

    /// <summary>Versions <paramref name="from"/> to <paramref name="to"/> (inclusive) of a secret in order, without values.</summary>
    Task<IReadOnlyList<SecretVersionInfo>> ListVersionsAsync(SecretLocation location, int from, int to, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deleted secrets, across every tenant, deleted at or before <paramref name="deletedBefore"/> (at most
    /// <paramref name="max"/>): candidates for the retention purge. Reads keys only; the purge re-checks each.
    /// </summary>
    IAsyncEnumerable<SecretLocation> ListDeletedAsync(DateTimeOffset deletedBefore, int max, CancellationToken cancellationToken = default);

    /// <summary>
    /// Live secrets, across every tenant, that have an <see cref="SecretRecord.ExpiresAt"/> or a
    /// <see cref="SecretRecord.RotateEvery"/> (at most <paramref name="max"/>), without values: the expiry check's candidates.
    /// </summary>
    IAsyncEnumerable<SecretRecord> ListWithExpiryAsync(int max, CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes the secret and all its versions for good: versions first, then the secret itself if its ETag is still
    /// <see cref="SecretRecord.ETag"/> of <paramref name="purging"/>, so an interrupted purge can simply run again.
    /// </summary>
    Task<WriteOutcome> PurgeAsync(SecretRecord purging, CancellationToken cancellationToken = default);
}
