using System.Collections.Concurrent;
using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Integrations.Core.Common;
using Integrations.Core.OutboundWebhooks;

namespace Integrations.Azure.Tables;

/// <summary>
/// The fan-out half: <see cref="FanOutMarker"/> rows <c>F:{message id}</c> in the project's partition, written in the
/// message's own transaction (no write of their own on the accept path), and the minute index that lets the recovery find
/// them: partition <c>fanout_projects_{yyyyMMddHHmm}</c>, row <c>{org}_{project}</c>, written once per minute, project and
/// instance before the first accept that opens a marker (remembered in memory after that).
/// </summary>
/// <remarks>
/// The recovery lists the index rows of the minutes that began before its threshold, reads each project's markers (one
/// range read: markers are few — the accepts in flight and what crashes left), and forgets an index row once its minute
/// ended before the threshold and no marker of that minute or earlier is left. An accept whose transaction lands more than
/// <c>Webhooks:FanOutRecoveryAfter</c> after its index row was written (a stalled write) could find its row forgotten; the
/// next index row of the same project covers it again, since a project's markers are read whole.
/// </remarks>
public sealed partial class TableOutboundStore
{
    private const string FanOutIndexPrefix = "fanout_projects_";
    private const string MarkerPrefix = "F:";

    /// <summary>How long a marker's removal may wait for other writes to the project to ride with.</summary>
    private static readonly TimeSpan CloseWithin = TimeSpan.FromMilliseconds(250);

    /// <summary>Index rows this instance wrote, by <c>{minute partition}|{project partition}</c>: only the current minute's are kept.</summary>
    private readonly ConcurrentDictionary<string, Task> _indexed = new(StringComparer.Ordinal);

    private string _indexedMinute = "";

    public async Task<bool> TryClaimFanOutAsync(FanOutMarker marker, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(marker);
        var etag = marker.ETag is { } tag ? new ETag(tag) : throw new ArgumentException("A claim needs the marker as listed (its ETag).", nameof(marker));
        // DueFrom moves, OpenedAt stays: the listing filters on DueFrom, so a claimed marker is found again only once it is
        // old again (its recovery died midway), and the index row of its minute stays until it is gone.
        var row = new TableEntity(Partition(marker.OrganizationId, marker.ProjectId), MarkerKey(marker.MessageId)) { ["DueFrom"] = now };
        return await TableWrites.TryAsync(() => Table.UpdateEntityAsync(row, etag, TableUpdateMode.Merge, cancellationToken)).ConfigureAwait(false) == WriteOutcome.Written;
    }

    public Task CloseFanOutAsync(string organizationId, string projectId, string messageId, CancellationToken cancellationToken = default)
    {
        var row = new TableEntity(Partition(organizationId, projectId), MarkerKey(messageId));
        // Not waited for: the delete rides the project's next write (an accept) or leaves with the others of the moment, so
        // under load it costs a share of a transaction, not a request. Lost (the process stopped first), it costs the
        // recovery a look at a finished fan-out. Gone already (closed by a racing recovery) is as good as closed.
        _writes.WriteSoon(row.PartitionKey, [new TableTransactionAction(TableTransactionActionType.Delete, row, ETag.All)], CloseWithin);
        return Task.CompletedTask;
    }

    public async Task<IReadOnlyList<FanOutMarker>> ListOpenFanOutsAsync(DateTimeOffset openedBefore, int max, CancellationToken cancellationToken = default)
    {
        // The minutes that began before the threshold (a range of partitions, oldest first), then each project once.
        var filter = TableClient.CreateQueryFilter($"PartitionKey ge {FanOutIndexPrefix} and PartitionKey le {IndexPartition(openedBefore)}");
        var index = new List<TableEntity>();
        await foreach (var e in Table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            index.Add(e);
        }

        var markers = new List<FanOutMarker>();
        foreach (var project in index.GroupBy(e => e.RowKey, StringComparer.Ordinal))
        {
            if (markers.Count >= max)
            {
                break;
            }

            var first = project.First();
            var (organizationId, projectId) = (first.GetString("OrganizationId") ?? "", first.GetString("ProjectId") ?? "");
            var open = await ReadMarkersAsync(organizationId, projectId, cancellationToken).ConfigureAwait(false);
            markers.AddRange(open.Where(m => m.DueFrom < openedBefore).Take(max - markers.Count).Select(m => m.Marker));
            foreach (var minute in project)
            {
                var minuteEnd = MinuteStart(minute.PartitionKey).AddMinutes(1);
                if (minuteEnd <= openedBefore && !open.Any(m => m.Marker.OpenedAt < minuteEnd))
                {
                    // Nothing of that minute (or before) is open: forget it. Conditional, so a row written again meanwhile stays.
                    await TableWrites.TryDeleteAsync(Table, minute.PartitionKey, minute.RowKey, minute.ETag, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        return markers;
    }

    /// <summary>The marker row of a message about to be stored, after making sure the recovery can find its project this minute.</summary>
    private async Task<TableEntity> FanOutRowAsync(string partition, OutboundMessage message, CancellationToken cancellationToken)
    {
        var openedAt = time.GetUtcNow();
        await IndexAsync(IndexPartition(openedAt), partition, message, cancellationToken).ConfigureAwait(false);
        return new TableEntity(partition, MarkerKey(message.Id)) { ["OpenedAt"] = openedAt, ["DueFrom"] = openedAt };
    }

    private async Task IndexAsync(string minute, string partition, OutboundMessage message, CancellationToken cancellationToken)
    {
        if (!string.Equals(_indexedMinute, minute, StringComparison.Ordinal))
        {
            // A new minute: last minute's rows need not be remembered (the dictionary holds one minute's projects at most).
            _indexedMinute = minute;
            foreach (var key in _indexed.Keys.Where(k => !k.StartsWith(minute + "|", StringComparison.Ordinal)))
            {
                _indexed.TryRemove(key, out _);
            }
        }

        var entry = minute + "|" + partition;
        var write = _indexed.GetOrAdd(entry, _ => Table.UpsertEntityAsync(
            new TableEntity(minute, partition) { ["OrganizationId"] = message.OrganizationId, ["ProjectId"] = message.ProjectId },
            TableUpdateMode.Replace, CancellationToken.None));
        try
        {
            await write.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (write.IsFaulted || write.IsCanceled)
        {
            // Not remembered: the next accept writes it again.
            _indexed.TryRemove(KeyValuePair.Create(entry, write));
            throw;
        }
    }

    private async Task<List<(FanOutMarker Marker, DateTimeOffset DueFrom)>> ReadMarkersAsync(string organizationId, string projectId, CancellationToken cancellationToken)
    {
        var partition = Partition(organizationId, projectId);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {MarkerPrefix} and RowKey lt {"F;"}");
        var open = new List<(FanOutMarker, DateTimeOffset)>();
        await foreach (var e in Table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            var openedAt = e.GetDateTimeOffset("OpenedAt") ?? DateTimeOffset.UnixEpoch;
            open.Add((new FanOutMarker(organizationId, projectId, e.RowKey[MarkerPrefix.Length..], openedAt, e.ETag.ToString()), e.GetDateTimeOffset("DueFrom") ?? openedAt));
        }

        return open;
    }

    private static string MarkerKey(string messageId) => MarkerPrefix + messageId;

    /// <summary>One partition per minute: the recovery reads a range of minutes.</summary>
    private static string IndexPartition(DateTimeOffset time) => FanOutIndexPrefix + time.UtcDateTime.ToString("yyyyMMddHHmm", CultureInfo.InvariantCulture);

    private static DateTimeOffset MinuteStart(string indexPartition) =>
        DateTimeOffset.ParseExact(indexPartition[FanOutIndexPrefix.Length..], "yyyyMMddHHmm", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
