using System.Collections.Concurrent;
using Azure.Data.Tables;
using Integrations.Core.Common;

namespace Integrations.Azure.Tables;

/// <summary>
/// Group commit for independent writes to one table: each caller hands over a unit (actions that must apply together,
/// all in one partition) and awaits that unit's own <see cref="WriteOutcome"/>; units for the same partition that queue
/// while a write is in flight ride the next entity-group transaction together.
/// </summary>
/// <remarks>
/// <para><b>Why.</b> A transaction's cost is mostly per request: Azurite spends ~1.5 ms of CPU on a request and ~0.1 ms per
/// entity in it (bench/results/2026-11-30-issue10-group-commit.md), and each request costs the Server a round of the
/// SDK's pipeline. Under load, one transaction then carries many callers' writes (a message accepted, an attempt recorded)
/// for the price of one.</para>
/// <para><b>Outcomes stay per unit.</b> A combined transaction is all or nothing, so when it fails (one unit's insert
/// conflicts, two units touch the same entity, the request is too large) every unit it carried is written again on its own
/// and gets its own answer — what it would have got without grouping. Only when a unit was alone does its failure come
/// straight back.</para>
/// <para>One transaction runs per partition at a time (what queues meanwhile rides the next); idle partitions are forgotten.</para>
/// </remarks>
internal sealed class TableGroupCommit(TableClient table)
{
    /// <summary>The service's limit of actions in one entity-group transaction.</summary>
    public const int MaxActions = 100;

    /// <summary>
    /// The most (approximate) bytes of entities one grouped transaction carries: half the service's 4 MiB request limit, so
    /// that the multipart framing and the JSON's escaping of binary properties (base64) never tip it over.
    /// </summary>
    public const int MaxBytes = 2 * 1024 * 1024;

    private const int MaxWritesInFlight = 1;

    private readonly ConcurrentDictionary<string, PartitionQueue> _partitions = new(StringComparer.Ordinal);

    /// <summary>
    /// Writes <paramref name="unit"/> (every action in <paramref name="partitionKey"/>) with whatever else is waiting for the
    /// partition. <paramref name="approximateBytes"/> is the unit's size for <see cref="MaxBytes"/> (payloads count; the
    /// small columns need not). Cancelling stops the wait, not a write already sent.
    /// </summary>
    public Task<WriteOutcome> WriteAsync(string partitionKey, IReadOnlyList<TableTransactionAction> unit, int approximateBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(unit);
        if (unit.Count is 0 or > MaxActions)
        {
            throw new ArgumentOutOfRangeException(nameof(unit), unit.Count, $"A unit holds 1 to {MaxActions} actions.");
        }

        var pending = new Pending(unit, approximateBytes);
        Enqueue(partitionKey, pending, within: TimeSpan.Zero);
        return pending.Done.Task.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Writes <paramref name="unit"/> some time within <paramref name="within"/>, riding the partition's next write if one
    /// comes sooner, and does not wait: for a write whose loss only costs a later repair (a marker's removal). Its outcome
    /// is not reported; a process that stops meanwhile loses it.
    /// </summary>
    public void WriteSoon(string partitionKey, IReadOnlyList<TableTransactionAction> unit, TimeSpan within)
    {
        ArgumentNullException.ThrowIfNull(unit);
        if (unit.Count is 0 or > MaxActions)
        {
            throw new ArgumentOutOfRangeException(nameof(unit), unit.Count, $"A unit holds 1 to {MaxActions} actions.");
        }

        var pending = new Pending(unit, 0);
        // Observed here, since no caller waits for it.
        _ = pending.Done.Task.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        Enqueue(partitionKey, pending, within);
    }

    private void Enqueue(string partitionKey, Pending pending, TimeSpan within)
    {
        while (true)
        {
            var queue = _partitions.GetOrAdd(partitionKey, static _ => new PartitionQueue());
            bool startWriter;
            var scheduleFlush = false;
            lock (queue)
            {
                if (queue.Closed)
                {
                    // Forgotten by its last writer between GetOrAdd and the lock: take the partition's next queue.
                    continue;
                }

                queue.Waiting.Enqueue(pending);
                startWriter = queue.Writers < MaxWritesInFlight && within == TimeSpan.Zero;
                if (startWriter)
                {
                    queue.Writers++;
                }
                else if (within > TimeSpan.Zero && !queue.FlushScheduled)
                {
                    scheduleFlush = queue.FlushScheduled = true;
                }
            }

            if (startWriter)
            {
                _ = Task.Run(() => WriteWaitingAsync(partitionKey, queue), CancellationToken.None);
            }
            else if (scheduleFlush)
            {
                // Wall-clock time on purpose: this is batching, not the hub's notion of time (a test's fake clock never moves it).
                _ = Task.Delay(within, CancellationToken.None).ContinueWith(_ => Flush(partitionKey, queue), CancellationToken.None,
                    TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }

            return;
        }
    }

    /// <summary>Starts a writer for what waits without one (units left to <see cref="WriteSoon"/>), unless one runs.</summary>
    private void Flush(string partitionKey, PartitionQueue queue)
    {
        lock (queue)
        {
            queue.FlushScheduled = false;
            if (queue.Closed || queue.Waiting.Count == 0 || queue.Writers >= MaxWritesInFlight)
            {
                // A writer runs (it takes what waits before it stops), or it took everything already.
                return;
            }

            queue.Writers++;
        }

        _ = Task.Run(() => WriteWaitingAsync(partitionKey, queue), CancellationToken.None);
    }

    /// <summary>Takes what waits for the partition, a transaction's worth at a time, until nothing does.</summary>
    private async Task WriteWaitingAsync(string partitionKey, PartitionQueue queue)
    {
        while (true)
        {
            var taken = new List<Pending>();
            lock (queue)
            {
                var actions = 0;
                var bytes = 0;
                while (queue.Waiting.TryPeek(out var next)
                    && (taken.Count == 0 || (actions + next.Unit.Count <= MaxActions && bytes + next.Bytes <= MaxBytes)))
                {
                    taken.Add(queue.Waiting.Dequeue());
                    actions += next.Unit.Count;
                    bytes += next.Bytes;
                }

                if (taken.Count == 0)
                {
                    queue.Writers--;
                    if (queue.Writers == 0)
                    {
                        queue.Closed = true;
                        _partitions.TryRemove(KeyValuePair.Create(partitionKey, queue));
                    }

                    return;
                }
            }

            await CommitAsync(taken).ConfigureAwait(false);
        }
    }

    private async Task CommitAsync(List<Pending> taken)
    {
        if (taken.Count == 1)
        {
            await WriteAloneAsync(taken[0]).ConfigureAwait(false);
            return;
        }

        try
        {
            await table.SubmitTransactionAsync(taken.SelectMany(p => p.Unit), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TableTransactionFailedException or global::Azure.RequestFailedException)
        {
            // One unit spoiled the group (or the group its request): each unit again on its own, for its own answer.
            await Task.WhenAll(taken.Select(WriteAloneAsync)).ConfigureAwait(false);
            return;
        }
        catch (Exception ex)
        {
            foreach (var pending in taken)
            {
                pending.Done.TrySetException(ex);
            }

            return;
        }

        foreach (var pending in taken)
        {
            pending.Done.TrySetResult(WriteOutcome.Written);
        }
    }

    private async Task WriteAloneAsync(Pending pending)
    {
        try
        {
            // A lone action as the plain request: a transaction of one costs Azurite more than the request it wraps.
            var outcome = pending.Unit is [var only]
                ? only.ActionType == TableTransactionActionType.Delete
                    ? await TableWrites.TryDeleteAsync(table, only.Entity.PartitionKey, only.Entity.RowKey, only.ETag, CancellationToken.None).ConfigureAwait(false)
                    : await TableWrites.TryAsync(() => WriteOneAsync(only)).ConfigureAwait(false)
                : await TableWrites.TryTransactionAsync(table, pending.Unit, CancellationToken.None).ConfigureAwait(false);
            pending.Done.TrySetResult(outcome);
        }
        catch (Exception ex)
        {
            pending.Done.TrySetException(ex);
        }
    }

    private Task<global::Azure.Response> WriteOneAsync(TableTransactionAction action) => action.ActionType switch
    {
        TableTransactionActionType.Add => table.AddEntityAsync(action.Entity, CancellationToken.None),
        TableTransactionActionType.UpdateMerge => table.UpdateEntityAsync(action.Entity, action.ETag, TableUpdateMode.Merge, CancellationToken.None),
        TableTransactionActionType.UpdateReplace => table.UpdateEntityAsync(action.Entity, action.ETag, TableUpdateMode.Replace, CancellationToken.None),
        TableTransactionActionType.UpsertMerge => table.UpsertEntityAsync(action.Entity, TableUpdateMode.Merge, CancellationToken.None),
        TableTransactionActionType.UpsertReplace => table.UpsertEntityAsync(action.Entity, TableUpdateMode.Replace, CancellationToken.None),
        _ => throw new ArgumentOutOfRangeException(nameof(action), action.ActionType, "Not a table action."),
    };

    private sealed record Pending(IReadOnlyList<TableTransactionAction> Unit, int Bytes)
    {
        public TaskCompletionSource<WriteOutcome> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>What waits for one partition; guarded by locking the instance.</summary>
    private sealed class PartitionQueue
    {
        public Queue<Pending> Waiting { get; } = new();

        public int Writers { get; set; }

        /// <summary>Whether a <see cref="Flush"/> is due for units left to <see cref="WriteSoon"/>.</summary>
        public bool FlushScheduled { get; set; }

        public bool Closed { get; set; }
    }
}
