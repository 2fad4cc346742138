using System.Globalization;
using System.Runtime.CompilerServices;
using Azure.Data.Tables;
using Integrations.Core.OAuth.Tokens;

namespace Integrations.Azure.Tables;

/// <summary>
/// The refresh-ahead index (<see cref="IRefreshDueIndex"/>) in its own table, across all tenants.
/// PartitionKey = the UTC day the token falls due (<c>yyyyMMdd</c>): writes spread over partitions by time, and a whole
/// day of old entries sits in one place. RowKey = <c>{due ticks:D19}|{org}|{project}|{connection}</c>: sorted by due
/// time, unique per connection and due time, so moving an entry is an upsert of the new key and a delete of the old.
/// The job's query is one range read across partitions — <c>PartitionKey le {day of until} and RowKey lt {ticks of
/// until}</c> — which the service answers in (PartitionKey, RowKey) order: oldest first, cut at the batch size. Entries
/// are hints (the job re-checks the connection); the columns name the connection, the keys are only for order.
/// </summary>
public sealed class TableRefreshDueIndex(HubTables tables) : IRefreshDueIndex
{
    private static readonly string[] Columns = ["OrganizationId", "ProjectId", "ConnectionId", "DueAt"];

    private TableClient Table => tables.RefreshDue;

    public async Task ScheduleAsync(RefreshDue entry, DateTimeOffset? previousDueAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var row = new TableEntity(Partition(entry.DueAt), Row(entry))
        {
            ["OrganizationId"] = entry.OrganizationId,
            ["ProjectId"] = entry.ProjectId,
            ["ConnectionId"] = entry.ConnectionId,
            ["DueAt"] = entry.DueAt,
        };
        // The new entry first: if the delete of the old one fails, the job finds it stale and removes it.
        await Table.UpsertEntityAsync(row, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        if (previousDueAt is { } previous && previous.UtcTicks != entry.DueAt.UtcTicks)
        {
            await RemoveAsync(entry with { DueAt = previous }, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task RemoveAsync(RefreshDue entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        // DeleteEntity treats 404 as success.
        await Table.DeleteEntityAsync(Partition(entry.DueAt), Row(entry), cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    public async IAsyncEnumerable<RefreshDue> ListDueAsync(DateTimeOffset before, int max, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        // Earlier days' rows all have smaller ticks, so the RowKey bound only cuts the last day.
        var filter = TableClient.CreateQueryFilter($"PartitionKey le {Partition(before)} and RowKey lt {Ticks(before)}");
        var count = 0;
        await foreach (var row in Table.QueryAsync<TableEntity>(filter, maxPerPage: Math.Min(max, 1000), select: Columns, cancellationToken: cancellationToken)
            .ConfigureAwait(false))
        {
            if (row.GetString("OrganizationId") is not { } org || row.GetString("ProjectId") is not { } project
                || row.GetString("ConnectionId") is not { } connection || row.GetDateTimeOffset("DueAt") is not { } dueAt)
            {
                continue;
            }

            yield return new RefreshDue(org, project, connection, dueAt);
            if (++count >= max)
            {
                yield break;
            }
        }
    }

    private static string Partition(DateTimeOffset time) => time.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    private static string Ticks(DateTimeOffset time) => time.UtcTicks.ToString("D19", CultureInfo.InvariantCulture);

    private static string Row(RefreshDue entry) => $"{Ticks(entry.DueAt)}|{entry.OrganizationId}|{entry.ProjectId}|{entry.ConnectionId}";
}
