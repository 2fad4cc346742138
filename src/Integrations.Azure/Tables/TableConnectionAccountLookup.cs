using Azure.Data.Tables;
using Integrations.Core.Connections;
using Integrations.Core.OAuth;

namespace Integrations.Azure.Tables;

/// <summary>
/// <see cref="IConnectionAccountLookup"/> over the connections table (<see cref="TableConnectionStore"/>): one query of the
/// project's partition (PartitionKey <c>{org}_{project}</c>), over its state rows (<c>T:</c>), filtered by the service on the
/// id's own column <c>X_{key}</c>; only RowKeys come back. The service still reads the partition's state rows to filter them
/// (there is no secondary index in Table Storage): the cost grows with the project's connections, not with the hub's, and
/// revocations are rare. Rows are not trusted here: the caller reads each connection (MAC-verified) and checks the id again.
/// </summary>
public sealed class TableConnectionAccountLookup(HubTables tables) : IConnectionAccountLookup
{
    private static readonly string[] RowKeyOnly = ["RowKey"];

    public async Task<IReadOnlyList<string>> FindAsync(
        string organizationId, string projectId, string key, string value, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        if (!ProviderAccountIds.IsKey(key) || !ProviderAccountIds.IsId(value))
        {
            return [];
        }

        var partition = $"{organizationId}_{projectId}";
        var stateFrom = TableConnectionStore.StateKey("");
        var stateTo = stateFrom[..^1] + (char)(stateFrom[^1] + 1);
        // The column name is checked by IsKey ([a-z][a-z0-9_]*), so it can be written into the filter as is; values are quoted.
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {stateFrom} and RowKey lt {stateTo}")
            + " and " + TableConnectionStore.ExternalIdColumn(key) + " eq " + TableClient.CreateQueryFilter($"{value}");
        var ids = new List<string>();
        await foreach (var entity in tables.Connections.QueryAsync<TableEntity>(filter, select: RowKeyOnly, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            ids.Add(entity.RowKey[stateFrom.Length..]);
            if (ids.Count >= limit)
            {
                break;
            }
        }

        return ids;
    }
}
