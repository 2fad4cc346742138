using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using Integrations.Core.Common;
using Integrations.Core.Events;

namespace Integrations.Azure.Tables;

/// <summary>
/// The per-project event outbox in one table. PartitionKey = <c>{org}_{project}</c>: a project's events are one
/// partition, so a list never reads another project's.
/// <list type="bullet">
/// <item>RowKey <c>E:{inverted ticks:D19}:{event id}</c>: the event. Inverted ticks (<c>DateTimeOffset.MaxValue.UtcTicks
/// − occurred</c>) sort newest first, so the activity list is one forward range read; <c>since</c> is its upper bound.</item>
/// <item>RowKey <c>I:{event id}</c>: the event's id claim, added in the same transaction as the event: appending an event
/// again (a retry) fails on the claim and is ignored, whatever its time, so an event is stored once.</item>
/// </list>
/// A <c>type</c> filter is evaluated by the service within the partition. Events have no TTL yet: a retention job
/// (with the outbound webhooks issue, which delivers them) removes old ones.
/// </summary>
/// <para>Hand-off notes (<see cref="EventHandOff"/>) live in the same table, partition <c>handoff_{yyyyMMddHHmm}</c> of the
/// minute they were opened, row <c>{org}_{project}_{event id}</c>: the relay reads a range of minutes, never a tenant's
/// events.</para>
public sealed class TableEventOutbox(HubTables tables) : IEventOutbox, IEventHandOffStore
{
    private const string HandOffPartitionPrefix = "handoff_";

    private static readonly string[] ListColumns = ["RowKey", "Type", "OccurredAt", "Subject", "Data"];

    private TableClient Table => tables.Events;

    public async Task AppendAsync(HubEvent hubEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hubEvent);
        var partition = Partition(hubEvent.OrganizationId, hubEvent.ProjectId);
        var row = new TableEntity(partition, EventKey(hubEvent.OccurredAt, hubEvent.Id))
        {
            ["Type"] = hubEvent.Type,
            ["OccurredAt"] = hubEvent.OccurredAt,
            ["Subject"] = hubEvent.Subject,
            ["Data"] = JsonSerializer.Serialize(hubEvent.Data),
        };
        var claim = new TableEntity(partition, "I:" + hubEvent.Id) { ["EventKey"] = row.RowKey };
        // Written or already there: both mean the event is in the outbox. Anything else throws.
        await TableWrites.TryTransactionAsync(Table,
            [new(TableTransactionActionType.Add, claim), new(TableTransactionActionType.Add, row)], cancellationToken).ConfigureAwait(false);
    }

    public async Task<PagedList<HubEvent>> ListAsync(string organizationId, string projectId, ActivityQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var partition = Partition(organizationId, projectId);
        // Newest first; events at or after `since` have inverted ticks at or below since's, i.e. keys below "E:{since};".
        var upper = query.Since is { } since ? "E:" + Inverted(since) + ";" : "E;";
        var filter = query.Type is null
            ? TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {"E:"} and RowKey lt {upper}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {"E:"} and RowKey lt {upper} and Type eq {query.Type}");

        var page = new List<HubEvent>(query.Page.PerPage);
        long matched = 0;
        await foreach (var entity in Table.QueryAsync<TableEntity>(filter, select: ListColumns, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (matched >= query.Page.Skip && page.Count < query.Page.PerPage)
            {
                page.Add(ToEvent(entity, organizationId, projectId));
            }

            matched++;
        }

        return new PagedList<HubEvent>(page, query.Page, matched);
    }

    public async Task OpenHandOffAsync(EventHandOff handOff, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handOff);
        await Table.UpsertEntityAsync(new TableEntity(HandOffPartition(handOff.OpenedAt), HandOffKey(handOff))
        {
            ["OrganizationId"] = handOff.OrganizationId,
            ["ProjectId"] = handOff.ProjectId,
            ["EventId"] = handOff.EventId,
            ["OpenedAt"] = handOff.OpenedAt,
            // When the note next counts as stale from: a claim moves it, OpenedAt (its partition) stays.
            ["DueFrom"] = handOff.OpenedAt,
        }, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    public async Task CloseHandOffAsync(EventHandOff handOff, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handOff);
        // Gone already (a racing relay closed it) is as good as closed.
        await TableWrites.TryDeleteAsync(Table, HandOffPartition(handOff.OpenedAt), HandOffKey(handOff), global::Azure.ETag.All, cancellationToken)
            .ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<EventHandOff>> ListOpenHandOffsAsync(DateTimeOffset openedBefore, int max, CancellationToken cancellationToken = default)
    {
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey ge {HandOffPartitionPrefix} and PartitionKey le {HandOffPartition(openedBefore)} and DueFrom lt {openedBefore}");
        var found = new List<EventHandOff>();
        await foreach (var e in Table.QueryAsync<TableEntity>(filter, maxPerPage: Math.Min(max, 1000), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            found.Add(new EventHandOff(e.GetString("OrganizationId") ?? "", e.GetString("ProjectId") ?? "", e.GetString("EventId") ?? "",
                e.GetDateTimeOffset("OpenedAt") ?? DateTimeOffset.UnixEpoch, e.ETag.ToString()));
            if (found.Count >= max)
            {
                break;
            }
        }

        return found;
    }

    public async Task<bool> TryClaimHandOffAsync(EventHandOff handOff, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handOff);
        var etag = handOff.ETag is { } tag ? new global::Azure.ETag(tag) : throw new ArgumentException("A claim needs the note as listed (its ETag).", nameof(handOff));
        var row = new TableEntity(HandOffPartition(handOff.OpenedAt), HandOffKey(handOff)) { ["DueFrom"] = now };
        return await TableWrites.TryAsync(() => Table.UpdateEntityAsync(row, etag, TableUpdateMode.Merge, cancellationToken)).ConfigureAwait(false) == WriteOutcome.Written;
    }

    public async Task<HubEvent?> GetEventAsync(EventHandOff handOff, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handOff);
        var partition = Partition(handOff.OrganizationId, handOff.ProjectId);
        var claim = await TableWrites.GetOrDefaultAsync<TableEntity>(Table, partition, "I:" + handOff.EventId, null, cancellationToken).ConfigureAwait(false);
        if (claim?.GetString("EventKey") is not { } eventKey)
        {
            return null;
        }

        var row = await TableWrites.GetOrDefaultAsync<TableEntity>(Table, partition, eventKey, ListColumns, cancellationToken).ConfigureAwait(false);
        return row is null ? null : ToEvent(row, handOff.OrganizationId, handOff.ProjectId);
    }

    private static string HandOffPartition(DateTimeOffset openedAt) =>
        HandOffPartitionPrefix + openedAt.UtcDateTime.ToString("yyyyMMddHHmm", CultureInfo.InvariantCulture);

    private static string HandOffKey(EventHandOff handOff) => $"{handOff.OrganizationId}_{handOff.ProjectId}_{handOff.EventId}";

    private static string Partition(string organizationId, string projectId) => $"{organizationId}_{projectId}";

    private static string Inverted(DateTimeOffset time) => (DateTimeOffset.MaxValue.UtcTicks - time.UtcTicks).ToString("D19", CultureInfo.InvariantCulture);

    private static string EventKey(DateTimeOffset occurredAt, string eventId) => "E:" + Inverted(occurredAt) + ":" + eventId;

    /// <summary>The id from the RowKey (where the row sits), tenant and project from the partition asked for.</summary>
    private static HubEvent ToEvent(TableEntity e, string organizationId, string projectId) => new(
        e.RowKey[(e.RowKey.LastIndexOf(':') + 1)..],
        organizationId,
        projectId,
        e.GetString("Type"),
        e.GetDateTimeOffset("OccurredAt")!.Value,
        e.GetString("Subject"),
        JsonSerializer.Deserialize<Dictionary<string, string>>(e.GetString("Data") ?? "{}") ?? []);
}
