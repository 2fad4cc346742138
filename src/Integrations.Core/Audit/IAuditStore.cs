using Integrations.Core.Common;

namespace Integrations.Core.Audit;

/// <summary>Durable storage of the audit log. Appends must not be lost silently: a failure throws.</summary>
public interface IAuditStore
{
    Task AppendAsync(AuditRecord record, CancellationToken cancellationToken = default);

    /// <summary>Records of a partition with from ≤ time &lt; to, newest first, one page and the total.</summary>
    Task<PagedList<AuditRecord>> QueryAsync(string partition, DateTimeOffset from, DateTimeOffset to, PageRequest page, CancellationToken cancellationToken = default);

    /// <summary>Records of a partition with from ≤ time ≤ to in chain order (time, then id).</summary>
    Task<IReadOnlyList<AuditRecord>> ReadAsync(string partition, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records of a partition with from ≤ time ≤ to in chain order (time, then id), read a bounded page at a time:
    /// the sealer and the verifier walk a partition of any size with bounded memory.
    /// </summary>
    IAsyncEnumerable<AuditRecord> ReadChainAsync(string partition, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default);

    /// <summary>
    /// Every partition that holds a record, read from the audit table itself (its keys only), not from the registry
    /// (<see cref="ListPartitionsAsync"/>), which someone with write access to storage could edit.
    /// </summary>
    IAsyncEnumerable<string> ScanPartitionsAsync(CancellationToken cancellationToken = default);

    /// <summary>Every partition in the registry: each partition is registered before its first record is written.</summary>
    Task<IReadOnlyList<string>> ListPartitionsAsync(CancellationToken cancellationToken = default);

    /// <summary>Stores each record's chain hash. Never replaces a different hash a record already has (throws instead).</summary>
    Task SetChainHashesAsync(string partition, IReadOnlyList<AuditRecord> sealedRecords, CancellationToken cancellationToken = default);

    Task DeleteAsync(string partition, IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken = default);

    Task<AuditChainState?> GetChainStateAsync(string partition, CancellationToken cancellationToken = default);

    /// <summary>Adds the state (no ETag) or replaces it if its ETag still matches.</summary>
    Task<WriteOutcome> TrySetChainStateAsync(AuditChainState state, CancellationToken cancellationToken = default);
}
