using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Azure;
using Azure.Data.Tables;
using Integrations.Core.Audit;
using Integrations.Core.Common;

namespace Integrations.Azure.Tables;

/// <summary>
/// The audit log. PartitionKey = audit partition (one per project, organization, platform); each row is an
/// <see cref="AuditSegment"/> of records written together, RowKey = inverted ticks of its newest record, so a
/// partition reads newest first and a time range is a RowKey range. Chain state and the registry of partitions
/// live in the <c>auditchain</c> table (times as ticks: Table dates start in 1601).
/// </summary>
public sealed class TableAuditStore : IAuditStore, IAsyncDisposable
{
    /// <summary>A partition's writer (a background loop and its queue) is closed after this long without a record.</summary>
    public static readonly TimeSpan IdleWriterTimeout = TimeSpan.FromMinutes(5);

    /// <summary>The chain walk's time windows: how wide the first is, and the bounds it adapts within.</summary>
    private static readonly TimeSpan InitialChainWindow = TimeSpan.FromHours(1);
    private static readonly TimeSpan MinChainWindow = TimeSpan.FromSeconds(1);

    private const string StatePartition = "state";
    private const string RegistryPartition = "partition";
    private readonly HubTables _tables;
    private readonly TimeProvider _time;

    // One group-commit pipeline per partition: a slow or throttled partition delays only its own requests.
    private readonly ConcurrentDictionary<string, Lazy<AuditAppendBatcher>> _batchers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Task> _registered = new(StringComparer.Ordinal);
    private long _lastSweepTicks;

    public TableAuditStore(HubTables tables, TimeProvider time)
    {
        _tables = tables;
        _time = time;
    }

    /// <summary>
    /// About how many records <see cref="ReadChainAsync"/> holds in memory at once (more only when more than this were
    /// written within one second).
    /// </summary>
    public int MaxChainPage { get; init; } = 5000;

    /// <summary>How many partitions have a writer open now (each is a background loop; idle ones are closed).</summary>
    public int OpenPartitionWriters => _batchers.Count;

    public async Task AppendAsync(AuditRecord record, CancellationToken cancellationToken = default)
    {
        await RegisterAsync(record.Partition, cancellationToken).ConfigureAwait(false);
        while (true)
        {
            var entry = _batchers.GetOrAdd(record.Partition, _ => new Lazy<AuditAppendBatcher>(() => new AuditAppendBatcher(_tables.Audit, _time)));
            if (entry.Value.TryAppend(record, cancellationToken) is { } written)
            {
                await written.ConfigureAwait(false);
                break;
            }

            // Closed as idle between lookup and append: drop exactly that one (a fresh one may already be there) and retry.
            _batchers.TryRemove(KeyValuePair.Create(record.Partition, entry));
        }

        EvictIdleWriters();
    }

    public async Task<PagedList<AuditRecord>> QueryAsync(string partition, DateTimeOffset from, DateTimeOffset to, PageRequest page, CancellationToken cancellationToken = default)
    {
        // Segments come newest first but may overlap in time (concurrent flushes), so records are merged: once a
        // segment whose newest record is at T has been read, no later segment holds anything newer than T.
        var pendingMerge = new SortedSet<AuditRecord>(Comparer<AuditRecord>.Create((a, b) => AuditSegment.Comparer.Compare((b.Time, b.Id), (a.Time, a.Id))));
        var items = new List<AuditRecord>(page.PerPage);
        long total = 0;
        void Emit(AuditRecord record)
        {
            if (total >= page.Skip && items.Count < page.PerPage)
            {
                items.Add(record);
            }

            total++;
        }

        string? lastRowKey = null;
        await foreach (var segment in SegmentsAsync(partition, from, to, null, null, cancellationToken).ConfigureAwait(false))
        {
            lastRowKey = segment.RowKey;
            foreach (var record in AuditSegment.Records(segment).Where(r => r.Time >= from && r.Time < to))
            {
                pendingMerge.Add(record);
            }

            var newest = new DateTimeOffset(segment.GetInt64("NewestTicks") ?? 0, TimeSpan.Zero);
            while (pendingMerge.Count > 0 && pendingMerge.Min!.Time > newest)
            {
                Emit(pendingMerge.Min);
                pendingMerge.Remove(pendingMerge.Min);
            }

            if (items.Count == page.PerPage)
            {
                // The page is full: the rest is only counted, from the segments' counts, not their records.
                total += pendingMerge.Count + await CountAfterAsync(partition, from, to, lastRowKey, cancellationToken).ConfigureAwait(false);
                return new PagedList<AuditRecord>(items, page, total);
            }
        }

        foreach (var record in pendingMerge)
        {
            Emit(record);
        }

        return new PagedList<AuditRecord>(items, page, total);
    }

    /// <summary>
    /// The records with from ≤ time &lt; to in the segments after <paramref name="afterRowKey"/>, counted from each segment's
    /// Count column: only a segment that straddles an end of the range is read whole.
    /// </summary>
    private async Task<long> CountAfterAsync(string partition, DateTimeOffset from, DateTimeOffset to, string afterRowKey, CancellationToken cancellationToken)
    {
        long count = 0;
        await foreach (var segment in SegmentsAsync(partition, from, to, afterRowKey, ["RowKey", "Count", "OldestTicks", "NewestTicks"], cancellationToken).ConfigureAwait(false))
        {
            var oldest = segment.GetInt64("OldestTicks") ?? long.MinValue;
            var newest = segment.GetInt64("NewestTicks") ?? long.MaxValue;
            if (oldest >= from.UtcTicks && newest < to.UtcTicks)
            {
                count += segment.GetInt32("Count") ?? 0;
                continue;
            }

            var whole = await _tables.Audit.GetEntityAsync<TableEntity>(partition, segment.RowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
            count += AuditSegment.Records(whole.Value).Count(r => r.Time >= from && r.Time < to);
        }

        return count;
    }

    public async Task<IReadOnlyList<AuditRecord>> ReadAsync(string partition, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        var records = new List<AuditRecord>();
        await foreach (var segment in SegmentsAsync(partition, from, to, null, null, cancellationToken).ConfigureAwait(false))
        {
            records.AddRange(AuditSegment.Records(segment).Where(r => r.Time >= from && r.Time <= to));
        }

        return records.OrderBy(r => (r.Time, r.Id), AuditSegment.Comparer).ToList();
    }

    public async IAsyncEnumerable<AuditRecord> ReadChainAsync(
        string partition, DateTimeOffset from, DateTimeOffset to, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // Rows come newest first, but the chain is walked oldest first: so the range is read in time windows, each
        // sized from the segments' record counts (read without their records) to hold at most about MaxChainPage
        // records, grown fourfold across sparse stretches (so years of nothing cost a dozen queries) and shrunk (to MinChainWindow at least) through busy ones.
        var start = from.UtcTicks;
        var end = to.UtcTicks;
        await foreach (var newest in SegmentsAsync(partition, from, to, null, ["NewestTicks"], cancellationToken).ConfigureAwait(false))
        {
            // The newest segment bounds the range from above: no window is spent on the empty future.
            end = Math.Min(end, newest.GetInt64("NewestTicks") ?? end);
            break;
        }

        var width = InitialChainWindow.Ticks;
        while (start <= end)
        {
            var stop = end - start < width ? end : start + width - 1; // window [start, stop], both inclusive
            var count = await CountAsync(partition, start, stop, MaxChainPage, cancellationToken).ConfigureAwait(false);
            if (count > MaxChainPage && stop - start >= MinChainWindow.Ticks)
            {
                width = Math.Max(MinChainWindow.Ticks, width / 2);
                continue;
            }

            if (count > 0)
            {
                var window = new List<AuditRecord>();
                await foreach (var segment in SegmentsAsync(partition, Time(start), Time(stop), null, null, cancellationToken).ConfigureAwait(false))
                {
                    window.AddRange(AuditSegment.Records(segment).Where(r => r.Time.UtcTicks >= start && r.Time.UtcTicks <= stop));
                }

                window.Sort((a, b) => AuditSegment.Comparer.Compare((a.Time, a.Id), (b.Time, b.Id)));
                foreach (var record in window)
                {
                    yield return record;
                }
            }

            if (stop == end)
            {
                break;
            }

            start = stop + 1;
            if (count < MaxChainPage / 4)
            {
                width = width > long.MaxValue / 4 ? long.MaxValue : width * 4;
            }
        }
    }

    public async IAsyncEnumerable<string> ScanPartitionsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // A skip scan: one single-row query per partition ("the first key after the last one seen"), reading keys only,
        // so the cost follows the number of partitions, not of rows, and no segment is decompressed.
        string? after = null;
        while (true)
        {
            string? next = null;
            var filter = after is null ? null : $"PartitionKey gt '{TableWrites.Quote(after)}'";
            await foreach (var entity in _tables.Audit.QueryAsync<TableEntity>(filter, maxPerPage: 1, select: ["PartitionKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                next = entity.PartitionKey;
                break;
            }

            if (next is null)
            {
                yield break;
            }

            yield return next;
            after = next;
        }
    }

    public async Task<IReadOnlyList<string>> ListPartitionsAsync(CancellationToken cancellationToken = default)
    {
        var partitions = new List<string>();
        await foreach (var entity in _tables.AuditChain.QueryAsync<TableEntity>($"PartitionKey eq '{RegistryPartition}'", select: ["RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            partitions.Add(entity.RowKey);
        }

        return partitions;
    }

    public Task SetChainHashesAsync(string partition, IReadOnlyList<AuditRecord> sealedRecords, CancellationToken cancellationToken = default)
    {
        var hashes = sealedRecords.ToDictionary(r => r.Id, r => r.ChainHash, StringComparer.Ordinal);
        return RewriteAsync(partition, sealedRecords, records => records.Select(r =>
        {
            if (!hashes.TryGetValue(r.Id, out var hash))
            {
                return r;
            }

            // A chain hash, once stored, is never replaced: re-sealing a record would re-sign whatever it now says.
            return r.ChainHash is null || r.ChainHash == hash
                ? r with { ChainHash = hash }
                : throw new InvalidOperationException($"Audit record {r.Id} in partition {partition} is already sealed; its chain hash is not replaced.");
        }).ToList(), cancellationToken);
    }

    public Task DeleteAsync(string partition, IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken = default)
    {
        var ids = records.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        return RewriteAsync(partition, records, stored => stored.Where(r => !ids.Contains(r.Id)).ToList(), cancellationToken);
    }

    public async Task<AuditChainState?> GetChainStateAsync(string partition, CancellationToken cancellationToken = default)
    {
        var e = await TableWrites.GetOrDefaultAsync<TableEntity>(_tables.AuditChain, StatePartition, partition, null, cancellationToken).ConfigureAwait(false);
        // KeyId, Mac and AnchorCount are absent from states written before states were signed (AuditChain signs those once their chain verifies).
        return e is null
            ? null
            : new AuditChainState(partition, FromTicks(e.GetInt64("SealedThroughTicks")), e.GetString("SealedThroughId") ?? "", e.GetString("HeadHash") ?? "",
                e.GetInt64("SealedCount") ?? 0, FromTicks(e.GetInt64("AnchorTicks")), e.GetString("AnchorId") ?? "", e.GetString("AnchorHash") ?? "",
                e.GetInt64("AnchorCount") ?? 0, e.GetString("KeyId"), e.GetString("Mac"), e.ETag.ToString());
    }

    public Task<WriteOutcome> TrySetChainStateAsync(AuditChainState state, CancellationToken cancellationToken = default)
    {
        var entity = new TableEntity(StatePartition, state.Partition)
        {
            ["SealedThroughTicks"] = state.SealedThroughTime.UtcTicks,
            ["SealedThroughId"] = state.SealedThroughId,
            ["HeadHash"] = state.HeadHash,
            ["SealedCount"] = state.SealedCount,
            ["AnchorTicks"] = state.AnchorTime.UtcTicks,
            ["AnchorId"] = state.AnchorId,
            ["AnchorHash"] = state.AnchorHash,
            ["AnchorCount"] = state.AnchorCount,
            ["KeyId"] = state.KeyId,
            ["Mac"] = state.Mac,
        };
        return TableWrites.TryAsync(() => state.ETag is null
            ? _tables.AuditChain.AddEntityAsync(entity, cancellationToken)
            : _tables.AuditChain.UpdateEntityAsync(entity, new ETag(state.ETag), TableUpdateMode.Replace, cancellationToken));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var batcher in _batchers.Values.Where(b => b.IsValueCreated))
        {
            await batcher.Value.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Segments that can hold records with from ≤ time ≤ to: their newest record is at or after <paramref name="from"/>
    /// and no more than <see cref="AuditSegment.MaxSpan"/> after <paramref name="to"/>.
    /// </summary>
    private async IAsyncEnumerable<TableEntity> SegmentsAsync(
        string partition, DateTimeOffset from, DateTimeOffset to, string? afterRowKey, IEnumerable<string>? select, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var upper = to >= DateTimeOffset.MaxValue - AuditSegment.MaxSpan ? DateTimeOffset.MaxValue : to + AuditSegment.MaxSpan;
        var lower = afterRowKey is null ? $"RowKey ge '{AuditSegment.Inverted(upper.UtcTicks)}'" : $"RowKey gt '{TableWrites.Quote(afterRowKey)}'";
        var filter = $"PartitionKey eq '{TableWrites.Quote(partition)}' and {lower} and RowKey lt '{AuditSegment.Inverted(from.UtcTicks)}~'";
        await foreach (var segment in _tables.Audit.QueryAsync<TableEntity>(filter, select: select, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            yield return segment;
        }
    }

    /// <summary>Rewrites (or deletes, when emptied) each segment holding any of <paramref name="records"/>; ETag-checked.</summary>
    private async Task RewriteAsync(string partition, IReadOnlyList<AuditRecord> records, Func<IReadOnlyList<AuditRecord>, List<AuditRecord>> change, CancellationToken cancellationToken)
    {
        if (records.Count == 0)
        {
            return;
        }

        var ids = records.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        var from = records.Min(r => r.Time);
        var to = records.Max(r => r.Time);
        var segments = new List<TableEntity>();
        await foreach (var segment in SegmentsAsync(partition, from, to, null, null, cancellationToken).ConfigureAwait(false))
        {
            segments.Add(segment);
        }

        foreach (var segment in segments)
        {
            var stored = AuditSegment.Records(segment);
            if (!stored.Any(r => ids.Contains(r.Id)))
            {
                continue;
            }

            var changed = change(stored);
            if (changed.Count == 0)
            {
                await _tables.Audit.DeleteEntityAsync(segment.PartitionKey, segment.RowKey, segment.ETag, cancellationToken).ConfigureAwait(false);
                continue;
            }

            // The RowKey (newest record when written) stays: what remains lies within the span it bounds.
            segment["Records"] = AuditSegment.Serialize(changed);
            segment["Count"] = changed.Count;
            segment["OldestTicks"] = changed.Min(r => r.Time.UtcTicks);
            await _tables.Audit.UpdateEntityAsync(segment, segment.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Closes the writers of partitions that have been idle for <see cref="IdleWriterTimeout"/>, at most once a minute:
    /// a process that has written to many partitions once (many projects) does not keep a loop for each forever. They
    /// leave the table at once; their queues drain in the background, so no request waits on another partition.
    /// </summary>
    private void EvictIdleWriters()
    {
        var now = _time.GetUtcNow();
        var last = Interlocked.Read(ref _lastSweepTicks);
        if (now.UtcTicks - last < TimeSpan.TicksPerMinute || Interlocked.CompareExchange(ref _lastSweepTicks, now.UtcTicks, last) != last)
        {
            return;
        }

        var closed = new List<AuditAppendBatcher>();
        foreach (var (partition, entry) in _batchers)
        {
            if (entry.IsValueCreated && now - entry.Value.LastUsed >= IdleWriterTimeout && _batchers.TryRemove(KeyValuePair.Create(partition, entry)))
            {
                _registered.TryRemove(partition, out _);
                closed.Add(entry.Value);
            }
        }

        if (closed.Count > 0)
        {
            // Completing a queue writes what it already took; later appenders find it closed and take a new writer.
            _ = Task.Run(async () =>
            {
                foreach (var batcher in closed)
                {
                    await batcher.DisposeAsync().ConfigureAwait(false);
                }
            });
        }
    }

    /// <summary>Records the partition in the registry the sealer walks, once per partition per process, before its first record.</summary>
    private Task RegisterAsync(string partition, CancellationToken cancellationToken)
    {
        var task = _registered.GetOrAdd(partition, p => _tables.AuditChain.UpsertEntityAsync(new TableEntity(RegistryPartition, p), TableUpdateMode.Merge, CancellationToken.None));
        if (task.IsFaulted || task.IsCanceled)
        {
            _registered.TryRemove(partition, out _);
        }

        return task.WaitAsync(cancellationToken);
    }

    private static DateTimeOffset FromTicks(long? ticks) => new(ticks ?? 0, TimeSpan.Zero);

    private static DateTimeOffset Time(long ticks) => new(ticks, TimeSpan.Zero);

    /// <summary>The records the segments that can hold [start, stop] carry (their Count only), counted up to just past <paramref name="limit"/>.</summary>
    private async Task<long> CountAsync(string partition, long start, long stop, int limit, CancellationToken cancellationToken)
    {
        long count = 0;
        await foreach (var segment in SegmentsAsync(partition, Time(start), Time(stop), null, ["Count"], cancellationToken).ConfigureAwait(false))
        {
            count += segment.GetInt32("Count") ?? 0;
            if (count > limit)
            {
                break;
            }
        }

        return count;
    }
}
