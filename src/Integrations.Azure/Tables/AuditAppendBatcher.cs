using System.Threading.Channels;
using Azure.Data.Tables;

namespace Integrations.Azure.Tables;

/// <summary>
/// Group commit for audit appends. Each caller queues its entity and awaits the outcome of the write that
/// carries it, so a record is acknowledged only once stored (fail closed). Whatever queued while earlier writes
/// were in flight goes out together: entities of one partition in entity-group transactions of up to 100,
/// up to <see cref="MaxWritesInFlight"/> writes at a time. A failed transaction is retried entity by entity, so
/// one bad record cannot fail its neighbours.
/// </summary>
internal sealed class AuditAppendBatcher : IAsyncDisposable
{
    private const int MaxWritesInFlight = 4;
    private const int MaxBatch = 100;
    private readonly TableClient _table;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SemaphoreSlim _inFlight = new(MaxWritesInFlight, MaxWritesInFlight);
    private readonly Task _loop;

    public AuditAppendBatcher(TableClient table)
    {
        _table = table;
        _loop = Task.Run(RunAsync);
    }

    public Task AppendAsync(TableEntity entity, CancellationToken cancellationToken)
    {
        var pending = new Pending(entity, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        ObjectDisposedException.ThrowIf(!_queue.Writer.TryWrite(pending), this);

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
            while (batch.Count < MaxBatch * MaxWritesInFlight && reader.TryRead(out var item))
            {
                batch.Add(item);
            }

            writes.RemoveAll(t => t.IsCompleted);
            writes.Add(WriteAsync(batch));
        }

        await Task.WhenAll(writes).ConfigureAwait(false);
    }

    private async Task WriteAsync(List<Pending> batch)
    {
        try
        {
            await Task.WhenAll(batch.GroupBy(p => p.Entity.PartitionKey).SelectMany(g => g.Chunk(MaxBatch)).Select(WriteGroupAsync)).ConfigureAwait(false);
        }
        finally
        {
            _inFlight.Release();
        }
    }

    private async Task WriteGroupAsync(Pending[] group)
    {
        if (group.Length > 1)
        {
            try
            {
                await _table.SubmitTransactionAsync(group.Select(p => new TableTransactionAction(TableTransactionActionType.Add, p.Entity))).ConfigureAwait(false);
                foreach (var p in group)
                {
                    p.Done.TrySetResult();
                }

                return;
            }
            catch (Exception)
            {
                // Fall through: write one by one so each caller learns its own outcome.
            }
        }

        await Task.WhenAll(group.Select(async p =>
        {
            try
            {
                await _table.AddEntityAsync(p.Entity).ConfigureAwait(false);
                p.Done.TrySetResult();
            }
            catch (Exception ex)
            {
                p.Done.TrySetException(ex);
            }
        })).ConfigureAwait(false);
    }

    private sealed record Pending(TableEntity Entity, TaskCompletionSource Done);
}
