using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Integrations.Core.Common;
using Integrations.Core.Webhooks;

namespace Integrations.Azure.Tables;

/// <summary>
/// Inbound webhook events in one table. PartitionKey = <c>{org}_{project}</c>: a project's events are one partition, so
/// every read of the events API is confined to the verified project, and an event id of another project is simply absent.
/// <list type="bullet">
/// <item>RowKey <c>V:{event id}</c>: the event, which is also its delivery's idempotency key — the event id is derived from
/// (source id, provider event id) (<see cref="WebhookEventIds"/>), so every copy of a delivery inserts the same row and the
/// insert decides which copy stores it. Holds the metadata, the state (<c>received</c> → <c>enqueued</c>), the claim time
/// and the raw body when it fits one binary property (64 KiB); a larger body is in the blob
/// <c>{org}/{project}/{event id}</c> of <c>{Storage:Prefix}-webhook-events</c>, written before the row.</item>
/// <item>RowKey <c>L:{inverted ticks of the receive time:D19}:{event id}</c>: the list entry (metadata only). Inserting it
/// <em>is</em> marking the event enqueued — an event is enqueued exactly when its entry exists — so the events list is one
/// forward range read, newest first, showing only events that were handed on. <c>since</c> is its upper bound; source and
/// type are filtered by the service.</item>
/// </list>
/// A first delivery costs two plain inserts (event, then list entry after the enqueue): the same storage round trips as a
/// separate idempotency insert and event insert. The mark used to be a two-entity transaction (merge the event's state,
/// add the entry); Azurite and the SDK spend noticeably more per batch than per insert, and the ingress benchmark showed
/// it. Only duplicates pay for the split: their slot read is two point reads. Rows past <c>Webhooks:EventRetention</c>
/// are deleted by the cleanup job.
/// </summary>
public sealed class TableWebhookEventStore(HubTables tables, BlobContainerClient bodies) : IWebhookEventStore
{
    /// <summary>Bodies up to this size are kept in the row (Table Storage's limit for one binary property), larger ones in a blob.</summary>
    public const int MaxInlineBody = 64 * 1024;

    private static readonly string[] SlotColumns =
        ["RowKey", "SourceId", "Scheme", "ProviderEventId", "Type", "ReceivedAt", "Headers", "BodyLength", "ClaimedAt"];
    private static readonly string[] KeyColumns = ["RowKey"];

    private volatile bool _containerExists;

    private TableClient Table => tables.WebhookEvents;

    /// <summary>The blob container of bodies too large for a row.</summary>
    public static string ContainerName(string prefix) => prefix + "-webhook-events";

    public async Task<WebhookEventSlot> AddAsync(WebhookEvent webhookEvent, ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(webhookEvent);
        var row = Metadata(new TableEntity(Partition(webhookEvent.OrganizationId, webhookEvent.ProjectId), EventKey(webhookEvent.Id)), webhookEvent);
        row["ClaimedAt"] = webhookEvent.ReceivedAt;
        if (body.Length <= MaxInlineBody)
        {
            row["Body"] = body.ToArray();
        }
        else
        {
            // The blob first: a row never points at a body that is not there. A retry's identical body finds it written.
            row["BodyBlob"] = await WriteBlobAsync(BlobName(webhookEvent), body, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            var response = await Table.AddEntityAsync(row, cancellationToken).ConfigureAwait(false);
            return new WebhookEventSlot(webhookEvent, WebhookEventState.Received, webhookEvent.ReceivedAt, response.Headers.ETag?.ToString() ?? "", Added: true);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return await GetSlotAsync(webhookEvent.OrganizationId, webhookEvent.ProjectId, webhookEvent.Id, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException("The webhook event row was deleted right after it was found.", ex);
        }
    }

    public async Task<WebhookEventSlot?> GetSlotAsync(string organizationId, string projectId, string eventId, CancellationToken cancellationToken = default)
    {
        var entity = await TableWrites.GetOrDefaultAsync<TableEntity>(Table, Partition(organizationId, projectId), EventKey(eventId), SlotColumns, cancellationToken)
            .ConfigureAwait(false);
        if (entity is null)
        {
            return null;
        }

        var slot = ToSlot(entity, organizationId, projectId);
        return await IsListedAsync(slot.Event, cancellationToken).ConfigureAwait(false) ? slot with { State = WebhookEventState.Enqueued } : slot;
    }

    public async Task<WebhookEventSlot?> TryClaimAsync(WebhookEventSlot slot, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(slot);
        var update = new TableEntity(Partition(slot.Event.OrganizationId, slot.Event.ProjectId), EventKey(slot.Event.Id)) { ["ClaimedAt"] = at };
        try
        {
            var response = await Table.UpdateEntityAsync(update, new ETag(slot.ETag), TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
            return slot with { ClaimedAt = at, ETag = response.Headers.ETag?.ToString() ?? "", Added = false };
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 409 or 412)
        {
            return null;
        }
    }

    public async Task<bool> TryReleaseAsync(WebhookEventSlot slot, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(slot);
        // A claim time at the epoch is older than any lease: the next copy takes over at once.
        var update = new TableEntity(Partition(slot.Event.OrganizationId, slot.Event.ProjectId), EventKey(slot.Event.Id)) { ["ClaimedAt"] = DateTimeOffset.UnixEpoch };
        return await TableWrites.TryAsync(() => Table.UpdateEntityAsync(update, new ETag(slot.ETag), TableUpdateMode.Merge, cancellationToken)).ConfigureAwait(false)
            == WriteOutcome.Written;
    }

    public async Task<bool> TryMarkEnqueuedAsync(WebhookEventSlot slot, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(slot);
        // An insert, not an upsert: when a copy that took the row over after the lease marked it first, this one learns so.
        var entry = Metadata(new TableEntity(Partition(slot.Event.OrganizationId, slot.Event.ProjectId), ListKey(slot.Event.ReceivedAt, slot.Event.Id)), slot.Event);
        return await TableWrites.TryAsync(() => Table.AddEntityAsync(entry, cancellationToken)).ConfigureAwait(false) == WriteOutcome.Written;
    }

    public async Task<StoredWebhookEvent?> GetAsync(string organizationId, string projectId, string eventId, CancellationToken cancellationToken = default)
    {
        if (!Ids.IsValid(WebhookEvent.IdPrefix, eventId))
        {
            return null;
        }

        var entity = await TableWrites.GetOrDefaultAsync<TableEntity>(Table, Partition(organizationId, projectId), EventKey(eventId), null, cancellationToken)
            .ConfigureAwait(false);
        if (entity is null)
        {
            return null;
        }

        var webhookEvent = ToEvent(entity, eventId, organizationId, projectId);
        if (!await IsListedAsync(webhookEvent, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        ReadOnlyMemory<byte> body = entity.GetBinary("Body") ?? [];
        if (entity.GetString("BodyBlob") is { } blob)
        {
            var content = await bodies.GetBlobClient(blob).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            body = content.Value.Content.ToMemory();
        }

        return new StoredWebhookEvent(webhookEvent, body);
    }

    public async Task<PagedList<WebhookEvent>> ListAsync(string organizationId, string projectId, WebhookEventQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var partition = Partition(organizationId, projectId);
        // Newest first; entries at or after `since` have inverted ticks at or below since's, i.e. keys below "L:{since};".
        var upper = query.Since is { } since ? "L:" + Inverted(since) + ";" : "L;";
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {"L:"} and RowKey lt {upper}");
        if (query.SourceId is { } sourceId)
        {
            filter += " and " + TableClient.CreateQueryFilter($"SourceId eq {sourceId}");
        }

        if (query.Type is { } type)
        {
            filter += " and " + TableClient.CreateQueryFilter($"Type eq {type}");
        }

        var page = new List<WebhookEvent>(query.Page.PerPage);
        long matched = 0;
        await foreach (var entity in Table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (matched >= query.Page.Skip && page.Count < query.Page.PerPage)
            {
                page.Add(ToEvent(entity, entity.RowKey[(entity.RowKey.LastIndexOf(':') + 1)..], organizationId, projectId));
            }

            matched++;
        }

        return new PagedList<WebhookEvent>(page, query.Page, matched);
    }

    public async Task<int> DeleteReceivedBeforeAsync(DateTimeOffset receivedBefore, CancellationToken cancellationToken = default)
    {
        // Across every tenant: the cleanup job's one scan, filtered by the service (event rows, never-enqueued ones and list entries).
        var filter = TableClient.CreateQueryFilter($"ReceivedAt lt {receivedBefore}");
        var expired = new List<TableEntity>();
        await foreach (var entity in Table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey", "BodyBlob"], cancellationToken: cancellationToken)
            .ConfigureAwait(false))
        {
            expired.Add(entity);
        }

        foreach (var entity in expired)
        {
            if (entity.GetString("BodyBlob") is { } blob)
            {
                await bodies.GetBlobClient(blob).DeleteIfExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            }
        }

        foreach (var partition in expired.GroupBy(e => e.PartitionKey))
        {
            await TableWrites.DeleteAllAsync(Table, partition, cancellationToken).ConfigureAwait(false);
        }

        return expired.Count(e => e.RowKey.StartsWith("V:", StringComparison.Ordinal));
    }

    private async Task<string> WriteBlobAsync(string name, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var blob = bodies.GetBlobClient(name);
        var conditions = new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } };
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await blob.UploadAsync(BinaryData.FromBytes(body), conditions, cancellationToken).ConfigureAwait(false);
                return name;
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412)
            {
                // Written by an earlier copy of the same delivery: the first body stays.
                return name;
            }
            catch (RequestFailedException ex) when (ex.Status == 404 && attempt == 0 && !_containerExists)
            {
                await bodies.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                _containerExists = true;
            }
        }
    }

    private async Task<bool> IsListedAsync(WebhookEvent e, CancellationToken cancellationToken) =>
        await TableWrites.GetOrDefaultAsync<TableEntity>(Table, Partition(e.OrganizationId, e.ProjectId), ListKey(e.ReceivedAt, e.Id), KeyColumns, cancellationToken)
            .ConfigureAwait(false) is not null;

    private static TableEntity Metadata(TableEntity entity, WebhookEvent e)
    {
        entity["SourceId"] = e.SourceId;
        entity["Scheme"] = e.Scheme;
        entity["ProviderEventId"] = e.ProviderEventId;
        entity["Type"] = e.EventType;
        entity["ReceivedAt"] = e.ReceivedAt;
        entity["Headers"] = JsonSerializer.Serialize(e.Headers);
        entity["BodyLength"] = e.BodyLength;
        return entity;
    }

    private static WebhookEventSlot ToSlot(TableEntity entity, string organizationId, string projectId) => new(
        ToEvent(entity, entity.RowKey[2..], organizationId, projectId),
        WebhookEventState.Received,
        entity.GetDateTimeOffset("ClaimedAt") ?? DateTimeOffset.UnixEpoch,
        entity.ETag.ToString());

    /// <summary>The id from the RowKey (where the row sits), tenant and project from the partition asked for.</summary>
    private static WebhookEvent ToEvent(TableEntity e, string eventId, string organizationId, string projectId) => new(
        eventId,
        organizationId,
        projectId,
        e.GetString("SourceId") ?? "",
        e.GetString("Scheme") ?? "",
        e.GetString("ProviderEventId") ?? "",
        e.GetString("Type"),
        e.GetDateTimeOffset("ReceivedAt") ?? DateTimeOffset.UnixEpoch,
        JsonSerializer.Deserialize<Dictionary<string, string>>(e.GetString("Headers") ?? "{}") ?? [],
        e.GetInt64("BodyLength") ?? 0);

    private static string Partition(string organizationId, string projectId) => $"{organizationId}_{projectId}";

    private static string EventKey(string eventId) => "V:" + eventId;

    private static string ListKey(DateTimeOffset receivedAt, string eventId) => "L:" + Inverted(receivedAt) + ":" + eventId;

    private static string Inverted(DateTimeOffset time) => (DateTimeOffset.MaxValue.UtcTicks - time.UtcTicks).ToString("D19", CultureInfo.InvariantCulture);

    private static string BlobName(WebhookEvent e) => $"{e.OrganizationId}/{e.ProjectId}/{e.Id}";
}
