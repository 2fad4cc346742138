using Azure;
using Azure.Data.Tables;
using Integrations.Core.Common;

namespace Integrations.Azure.Tables;

/// <summary>Maps Table Storage's answers to conditional writes onto <see cref="WriteOutcome"/>.</summary>
internal static class TableWrites
{
    /// <summary>
    /// Deletes one entity, conditional on <paramref name="ifMatch"/> (<see cref="ETag.All"/>: whatever is there). The SDK
    /// answers the delete of a missing entity with its 404 response instead of throwing, so without this check a
    /// conditional delete of a row another caller already removed would read as <see cref="WriteOutcome.Written"/> —
    /// and two consumers of one single-use row (an invitation, a link) would both think they took it.
    /// </summary>
    public static async Task<WriteOutcome> TryDeleteAsync(TableClient table, string partitionKey, string rowKey, ETag ifMatch, CancellationToken cancellationToken)
    {
        var status = 0;
        var outcome = await TryAsync(async () => status = (await table.DeleteEntityAsync(partitionKey, rowKey, ifMatch, cancellationToken).ConfigureAwait(false)).Status)
            .ConfigureAwait(false);
        return outcome == WriteOutcome.Written && status == 404 ? WriteOutcome.NotFound : outcome;
    }

    public static async Task<WriteOutcome> TryAsync(Func<Task> write)
    {
        try
        {
            await write().ConfigureAwait(false);
            return WriteOutcome.Written;
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            return WriteOutcome.Conflict;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return WriteOutcome.NotFound;
        }
    }

    public static async Task<WriteOutcome> TryTransactionAsync(TableClient table, IEnumerable<TableTransactionAction> actions, CancellationToken cancellationToken)
    {
        try
        {
            await table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
            return WriteOutcome.Written;
        }
        catch (TableTransactionFailedException ex) when (ex.Status is 409 or 412)
        {
            return WriteOutcome.Conflict;
        }
        catch (TableTransactionFailedException ex) when (ex.Status == 404)
        {
            return WriteOutcome.NotFound;
        }
    }

    public static async Task<T?> GetOrDefaultAsync<T>(TableClient table, string partitionKey, string rowKey, IEnumerable<string>? select, CancellationToken cancellationToken)
        where T : class, ITableEntity
    {
        var response = await table.GetEntityIfExistsAsync<T>(partitionKey, rowKey, select, cancellationToken).ConfigureAwait(false);
        return response.HasValue ? response.Value : null;
    }

    /// <summary>Deletes in entity-group transactions of at most 100 (the service's limit), all in one partition.</summary>
    public static async Task DeleteAllAsync(TableClient table, IEnumerable<ITableEntity> entities, CancellationToken cancellationToken)
    {
        foreach (var chunk in entities.Chunk(100))
        {
            await table.SubmitTransactionAsync(chunk.Select(e => new TableTransactionAction(TableTransactionActionType.Delete, e, ETag.All)), cancellationToken).ConfigureAwait(false);
        }
    }

    public static string Quote(string value) => value.Replace("'", "''", StringComparison.Ordinal);
}
