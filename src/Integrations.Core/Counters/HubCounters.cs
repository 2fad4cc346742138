using System.Collections.Concurrent;
using Integrations.Core.Common;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Integrations.Core.Counters;

/// <summary>
/// <see cref="IHubCounters"/> over <see cref="ICounterStore"/>: recording adds to an in-memory buffer per (key, hour) —
/// a dictionary lookup and a short lock, never storage —, and <see cref="FlushAsync"/> (every
/// <see cref="CounterOptions.FlushInterval"/> and at shutdown, by <see cref="CounterFlusher"/>) writes each changed
/// buffer as this instance's row for that hour. The buffer holds absolute totals, not deltas since the last flush, so
/// a write replaces the row whole: a failed or repeated write loses nothing and needs no ETag, and a crash loses only
/// what was recorded since the last successful flush. A past hour's buffer is released once it is flushed.
/// </summary>
/// <remarks>
/// Counter names are lower-case <c>[a-z0-9_]</c>, 1–64 characters (they become table column names). Memory is bounded by
/// <see cref="CounterOptions.MaxBufferedKeys"/> buffers: beyond it a recording for a new (key, hour) is dropped and an
/// early flush asked for, which frees past hours' buffers; keys already buffered keep counting.
/// </remarks>
public sealed partial class HubCounters : IHubCounters, IDisposable
{
    public const int MaxNameLength = 64;

    private readonly ICounterStore _store;
    private readonly CounterOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<HubCounters> _logger;
    private readonly ConcurrentDictionary<(CounterKey Key, long Hour), Bucket> _buckets = new();
    private readonly SemaphoreSlim _flushing = new(1, 1);
    private int _bucketCount;
    private long _dropped;
    private TaskCompletionSource _flushWanted = NewSignal();

    public HubCounters(ICounterStore store, IOptions<CounterOptions> options, TimeProvider time, ILogger<HubCounters> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _store = store;
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    /// <summary>This process's id in the rows it writes: random per start, so no two processes ever write one row.</summary>
    public string InstanceId { get; } = Ids.New("ins");

    /// <summary>How many (key, hour) buffers are held now.</summary>
    public int BufferedCount => Volatile.Read(ref _bucketCount);

    /// <summary>Completes when a flush before the next interval is wanted (the buffer is full).</summary>
    internal Task FlushWanted => Volatile.Read(ref _flushWanted).Task;

    public void Increment(CounterKey key, string name, long delta = 1)
    {
        CheckName(name);
        ArgumentOutOfRangeException.ThrowIfNegative(delta);
        Record(key, bucket => bucket.Counts[name] = bucket.Counts.GetValueOrDefault(name) + delta);
    }

    public void RecordLatest(CounterKey key, string name, DateTimeOffset at)
    {
        CheckName(name);
        Record(key, bucket =>
        {
            if (!bucket.Latest.TryGetValue(name, out var previous) || at > previous)
            {
                bucket.Latest[name] = at;
            }
        });
    }

    public async Task<CounterTotals> ReadAsync(CounterKey key, DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        CheckKey(key);
        var fromHour = HourOf(since);
        // This instance's buffers are at least as new as its stored rows for the same hours: they replace them.
        var mine = new Dictionary<long, CounterRow>();
        foreach (var ((bufferedKey, hour), bucket) in _buckets)
        {
            if (hour >= fromHour && bufferedKey == key && Snapshot(bufferedKey, hour, bucket) is { } row)
            {
                mine[hour] = row;
            }
        }

        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        var latest = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        await foreach (var row in _store.ReadAsync(key, HourStart(fromHour), cancellationToken).ConfigureAwait(false))
        {
            var hour = HourOf(row.Hour);
            if (hour < fromHour || (string.Equals(row.InstanceId, InstanceId, StringComparison.Ordinal) && mine.ContainsKey(hour)))
            {
                continue;
            }

            Add(row, counts, latest);
        }

        foreach (var row in mine.Values)
        {
            Add(row, counts, latest);
        }

        return new CounterTotals(counts, latest);
    }

    /// <summary>
    /// Writes every buffer changed since its last write as this instance's row, then releases the past hours' buffers that
    /// are written. A row that fails to write stays buffered and is tried again next time. Returns the rows written.
    /// </summary>
    public async Task<int> FlushAsync(CancellationToken cancellationToken = default)
    {
        await _flushing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (FlushWanted.IsCompleted)
            {
                Volatile.Write(ref _flushWanted, NewSignal());
            }

            var pending = new List<(Bucket Bucket, long Version, CounterRow Row)>();
            foreach (var ((key, hour), bucket) in _buckets)
            {
                lock (bucket)
                {
                    if (!bucket.Removed && bucket.Version != bucket.FlushedVersion)
                    {
                        pending.Add((bucket, bucket.Version, ToRow(key, hour, bucket)));
                    }
                }
            }

            var written = 0;
            var failed = 0;
            Exception? firstFailure = null;
            await Parallel.ForEachAsync(pending, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (item, ct) =>
            {
                try
                {
                    await _store.WriteAsync(item.Row, ct).ConfigureAwait(false);
                    lock (item.Bucket)
                    {
                        item.Bucket.FlushedVersion = Math.Max(item.Bucket.FlushedVersion, item.Version);
                    }

                    Interlocked.Increment(ref written);
                }
                catch (Exception ex) when (!ct.IsCancellationRequested)
                {
                    // Kept: the buffer still holds the totals and stays changed, so the next flush writes them.
                    Interlocked.CompareExchange(ref firstFailure, ex, null);
                    Interlocked.Increment(ref failed);
                }
            }).ConfigureAwait(false);

            Release(HourOf(_time.GetUtcNow()));
            if (failed > 0)
            {
                Log.FlushFailed(_logger, firstFailure, failed, pending.Count);
            }

            if (Interlocked.Exchange(ref _dropped, 0) is var dropped and > 0)
            {
                Log.RecordingsDropped(_logger, dropped, _options.MaxBufferedKeys);
            }

            return written;
        }
        finally
        {
            _flushing.Release();
        }
    }

    public void Dispose() => _flushing.Dispose();

    /// <summary>The start (UTC) of the hour containing <paramref name="time"/>.</summary>
    public static DateTimeOffset HourStartOf(DateTimeOffset time) => HourStart(HourOf(time));

    /// <summary>Whether <paramref name="name"/> may name a counter: lower-case <c>[a-z0-9_]</c>, 1–64 characters.</summary>
    public static bool IsValidName(string? name) =>
        !string.IsNullOrEmpty(name) && name.Length <= MaxNameLength && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_');

    private void Record(CounterKey key, Action<Bucket> change)
    {
        CheckKey(key);
        var id = (key, HourOf(_time.GetUtcNow()));
        while (true)
        {
            if (!_buckets.TryGetValue(id, out var bucket))
            {
                if (Volatile.Read(ref _bucketCount) >= _options.MaxBufferedKeys)
                {
                    Interlocked.Increment(ref _dropped);
                    Volatile.Read(ref _flushWanted).TrySetResult();
                    return;
                }

                bucket = new Bucket();
                if (_buckets.TryAdd(id, bucket))
                {
                    Interlocked.Increment(ref _bucketCount);
                }
                else
                {
                    continue;
                }
            }

            lock (bucket)
            {
                // Released by a flush between the lookup and the lock: take the key's new buffer instead.
                if (bucket.Removed)
                {
                    continue;
                }

                change(bucket);
                bucket.Version++;
                return;
            }
        }
    }

    /// <summary>Drops the buffers of hours before <paramref name="currentHour"/> that are written: nothing adds to a past hour.</summary>
    private void Release(long currentHour)
    {
        foreach (var (id, bucket) in _buckets)
        {
            if (id.Hour >= currentHour)
            {
                continue;
            }

            lock (bucket)
            {
                if (bucket.Version != bucket.FlushedVersion)
                {
                    continue;
                }

                bucket.Removed = true;
            }

            if (_buckets.TryRemove(id, out _))
            {
                Interlocked.Decrement(ref _bucketCount);
            }
        }
    }

    private CounterRow? Snapshot(CounterKey key, long hour, Bucket bucket)
    {
        lock (bucket)
        {
            return bucket.Removed ? null : ToRow(key, hour, bucket);
        }
    }

    // Called under the bucket's lock.
    private CounterRow ToRow(CounterKey key, long hour, Bucket bucket) =>
        new(key, HourStart(hour), InstanceId, new Dictionary<string, long>(bucket.Counts, StringComparer.Ordinal),
            new Dictionary<string, DateTimeOffset>(bucket.Latest, StringComparer.Ordinal));

    private static void Add(CounterRow row, Dictionary<string, long> counts, Dictionary<string, DateTimeOffset> latest)
    {
        foreach (var (name, value) in row.Counts)
        {
            counts[name] = counts.GetValueOrDefault(name) + value;
        }

        foreach (var (name, value) in row.Latest)
        {
            if (!latest.TryGetValue(name, out var previous) || value > previous)
            {
                latest[name] = value;
            }
        }
    }

    private static long HourOf(DateTimeOffset time) => time.UtcTicks / TimeSpan.TicksPerHour;

    private static DateTimeOffset HourStart(long hour) => new(hour * TimeSpan.TicksPerHour, TimeSpan.Zero);

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static void CheckName(string name)
    {
        if (!IsValidName(name))
        {
            throw new ArgumentException($"A counter name is 1–{MaxNameLength} characters of [a-z0-9_].", nameof(name));
        }
    }

    private static void CheckKey(CounterKey key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key.OrganizationId, nameof(key));
        ArgumentException.ThrowIfNullOrEmpty(key.ProjectId, nameof(key));
        ArgumentException.ThrowIfNullOrEmpty(key.Subject, nameof(key));
    }

    /// <summary>One key's counts and latest times in one hour, on this instance. Guarded by its own lock.</summary>
    private sealed class Bucket
    {
        public Dictionary<string, long> Counts { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, DateTimeOffset> Latest { get; } = new(StringComparer.Ordinal);

        /// <summary>Bumped by every change; equal to <see cref="FlushedVersion"/> when storage holds what the buffer does.</summary>
        public long Version { get; set; }

        public long FlushedVersion { get; set; }

        /// <summary>Released from the dictionary: a recorder that still holds it takes the key's new buffer.</summary>
        public bool Removed { get; set; }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 8720, Level = LogLevel.Warning, Message = "Writing counters failed for {Failed} of {Pending} rows; they stay buffered and are retried at the next flush.")]
        public static partial void FlushFailed(ILogger logger, Exception? exception, int failed, int pending);

        [LoggerMessage(EventId = 8721, Level = LogLevel.Warning,
            Message = "{Dropped} counter recordings were dropped: the buffer held its limit of {Limit} (Counters:MaxBufferedKeys) keys for the current hour.")]
        public static partial void RecordingsDropped(ILogger logger, long dropped, int limit);
    }
}
