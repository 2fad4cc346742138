using System.Collections.Concurrent;
using Integrations.Core.Common;
using Integrations.Core.Crypto;

namespace Integrations.Core.Tests.Identity.Tokens;

/// <summary>
/// The key-record port in memory, with the Table store's semantics (add conflicts on an existing id, replace needs the
/// ETag): unit tests of the token logic only. The same behaviour over real Table Storage is in Integrations.Azure.Tests.
/// </summary>
internal sealed class InMemoryKeyRecordStore : IKeyRecordStore
{
    private readonly ConcurrentDictionary<string, KeyRecord> _records = new(StringComparer.Ordinal);
    private KeyRingState? _state;
    private int _etag;

    public Task<IReadOnlyList<KeyRecord>> ListAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<KeyRecord>>([.. _records.Values]);

    public Task<KeyRecord?> GetAsync(string id, CancellationToken cancellationToken = default) =>
        Task.FromResult(_records.GetValueOrDefault(id));

    public Task<WriteOutcome> TryAddAsync(KeyRecord record, CancellationToken cancellationToken = default) =>
        Task.FromResult(_records.TryAdd(record.Id, record with { ETag = NextETag() }) ? WriteOutcome.Written : WriteOutcome.Conflict);

    public Task<WriteOutcome> TryReplaceAsync(KeyRecord record, CancellationToken cancellationToken = default)
    {
        if (!_records.TryGetValue(record.Id, out var stored) || stored.ETag != record.ETag)
        {
            return Task.FromResult(WriteOutcome.Conflict);
        }

        return Task.FromResult(_records.TryUpdate(record.Id, record with { ETag = NextETag() }, stored) ? WriteOutcome.Written : WriteOutcome.Conflict);
    }

    public Task<WriteOutcome> TryDeleteAsync(KeyRecord record, CancellationToken cancellationToken = default)
    {
        if (!_records.TryGetValue(record.Id, out var stored))
        {
            return Task.FromResult(WriteOutcome.NotFound);
        }

        return Task.FromResult(stored.ETag == record.ETag && _records.TryRemove(new KeyValuePair<string, KeyRecord>(record.Id, stored))
            ? WriteOutcome.Written
            : WriteOutcome.Conflict);
    }

    /// <summary>Writes a record as a storage writer would: no ETag check.</summary>
    public void Put(KeyRecord record) => _records[record.Id] = record with { ETag = NextETag() };

    public Task<KeyRingState?> GetStateAsync(CancellationToken cancellationToken = default) => Task.FromResult(_state);

    public Task<WriteOutcome> TrySetStateAsync(KeyRingState state, CancellationToken cancellationToken = default)
    {
        if (_state?.ETag != state.ETag)
        {
            return Task.FromResult(WriteOutcome.Conflict);
        }

        _state = state with { ETag = NextETag() };
        return Task.FromResult(WriteOutcome.Written);
    }

    private string NextETag() => Interlocked.Increment(ref _etag).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
