using System.Threading.Channels;
using Azure.Data.Tables;
using Integrations.Core.Audit;

namespace Integrations.Azure.Tables;

/// <summary>
/// Group commit for one audit partition's appends. Each caller queues its record and awaits the write that carries
/// it, so a record is acknowledged only once stored (fail closed). One write is in flight at a time and whatever
/// queued meanwhile rides the next one, packed into <see cref="AuditSegment"/> rows: the busier the partition, the
/// more requests one insert carries. A failed write fails exactly the callers it carried.
/// </summary>
internal sealed class AuditAppendBatcher : IAsyncDisposable
{
    private const int MaxWritesInFlight = 1;
    private const int MaxTake = 1000;

    /// <summary>
    /// A record older than this when its write starts is failed, not written: stored later, it could land behind
    /// the hash chain's sealed head (AuditOptions.SealDelay, 2 minutes by default) and look inserted.
    /// </summary>
    private static readonly TimeSpan MaxRecordAge = TimeSpan.FromSeconds(30);
    private readonly TableClient _table;
    private readonly TimeProvider _time;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SemaphoreSlim _inFlight = new(MaxWritesInFlight, MaxWritesInFlight);
    private readonly Task _loop;

    public AuditAppendBatcher(TableClient table, TimeProvider time)
    {
        _table = table;
        _time = time;
        LastUsed = time.GetUtcNow();
        _loop = Task.Run(RunAsync);
    }

    /// <summary>When the batcher last took a record (for eviction when idle).</summary>
    public DateTimeOffset LastUsed { get; private set; }

    /// <summary>Queues the record; null when this batcher has been closed (the caller takes a fresh one).</summary>
    public Task? TryAppend(AuditRecord record, CancellationToken cancellationToken)
    {
        // Serialized here, on the caller's thread, once: the single writer loop only concatenates.
        var pending = new Pending(record, AuditSegment.SerializeOne(record), new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(pending))
        {
            return null;
        }

        LastUsed = _time.GetUtcNow();
        return pending.Done.Task.WaitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
        _inFlight.Dispose();
    }

    private async Task RunAsync()
    {
        var reader = _queue.Reader;
        var writes = new List<Task>();
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            await _inFlight.WaitAsync().ConfigureAwait(false);
            var batch = new List<Pending>();
            try
            {
                while (batch.Count < MaxTake && reader.TryRead(out var item))
                {
                    batch.Add(item);
                }

                writes.RemoveAll(t => t.IsCompleted);
                writes.Add(WriteAsync(batch));
            }
            catch (Exception ex)
            {
                // The loop must outlive any fault: a dead loop would leave every later caller waiting.
                _inFlight.Release();
                foreach (var pending in batch)
                {
                    pending.Done.TrySetException(ex);
                }
            }
        }

        await Task.WhenAll(writes).ConfigureAwait(false);
    }

    private async Task WriteAsync(List<Pending> batch)
    {
        var now = _time.GetUtcNow();
        foreach (var stale in batch.Where(p => now - p.Record.Time > MaxRecordAge))
        {
            stale.Done.TrySetException(new TimeoutException("The audit record waited too long to be written."));
        }

        batch.RemoveAll(p => p.Done.Task.IsCompleted);
        try
        {
            await Task.WhenAll(batch.GroupBy(p => p.Record.Partition).SelectMany(Segments).Select(WriteSegmentAsync)).ConfigureAwait(false);
        }
        finally
        {
            _inFlight.Release();
        }
    }

    /// <summary>Cuts one partition's records into segments within the row's count, size and time-span limits.</summary>
    private static IEnumerable<List<Pending>> Segments(IEnumerable<Pending> partition)
    {
        var segment = new List<Pending>();
        var bytes = 2;
        foreach (var pending in partition.OrderBy(p => (p.Record.Time, p.Record.Id), AuditSegment.Comparer))
        {
            var size = pending.Json.Length + 1;
            if (segment.Count > 0 && (segment.Count == AuditSegment.MaxRecords || bytes + size > AuditSegment.MaxBytes
                || pending.Record.Time - segment[0].Record.Time > AuditSegment.MaxSpan))
            {
                yield return segment;
                segment = [];
                bytes = 2;
            }

            segment.Add(pending);
            bytes += size;
        }

        if (segment.Count > 0)
        {
            yield return segment;
        }
    }

    private async Task WriteSegmentAsync(List<Pending> segment)
    {
        try
        {
            var entity = AuditSegment.ToEntity(segment[0].Record.Partition, segment.Select(p => p.Record).ToList(), segment.Select(p => p.Json).ToList());
            await _table.AddEntityAsync(entity).ConfigureAwait(false);
            foreach (var pending in segment)
            {
                pending.Done.TrySetResult();
            }
        }
        catch (Exception ex)
        {
            foreach (var pending in segment)
            {
                pending.Done.TrySetException(ex);
            }
        }
    }

    private sealed record Pending(AuditRecord Record, byte[] Json, TaskCompletionSource Done);
}
