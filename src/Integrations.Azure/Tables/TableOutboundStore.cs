using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Integrations.Core.Common;
using Integrations.Core.OutboundWebhooks;

namespace Integrations.Azure.Tables;

/// <summary>
/// Outbound messages and their deliveries in one table (<see cref="HubTables.WebhookMessages"/>), partition
/// <c>{org}_{project}</c>, so that accepting a message is one entity-group transaction and every read is confined to the
/// verified project (accepts and unconditional attempt records are group-committed, <see cref="TableGroupCommit"/>):
/// <list type="bullet">
/// <item><c>M:{message id}</c> — the message; its payload inline up to 64 KiB (one binary property), else in the blob
/// <c>{org}/{project}/{message id}</c> of <c>{Storage:Prefix}-webhook-messages</c>, written before the transaction.</item>
/// <item><c>L:{inverted ticks of the creation time:D19}:{message id}</c> — the list entry: the messages list is one
/// forward range read, newest first.</item>
/// <item><c>K:{SHA-256 of the idempotency key, hex}</c> — the key's claim (message id, time). A claim older than the
/// retention is replaced; the hash keeps any key a valid RowKey.</item>
/// <item><c>F:{message id}</c> — a <see cref="FanOutMarker"/>: written in the message's transaction, removed once its
/// tickets are queued (it carries no <c>CreatedAt</c>, so the retention cleanup leaves it to the recovery job). Partition
/// <c>fanout_projects_{yyyyMMddHHmm}</c>, row <c>{org}_{project}</c> says which projects opened markers in a minute, so the
/// recovery reads those projects' markers instead of scanning the table (see the fan-out half).</item>
/// <item><c>D:{message id}:{endpoint id}</c> — a delivery with its attempts as columns <c>A001</c>, <c>A002</c> …: recording
/// an attempt is one merge that needs no read first (the delivery job's hot path), and a message's deliveries and
/// attempts are one range read.</item>
/// </list>
/// See <see cref="TableOutboundStore"/>'s deliveries half for the delivery queries.
/// </summary>
public sealed partial class TableOutboundStore(HubTables tables, BlobContainerClient payloads, TimeProvider time, Func<TimeSpan> idempotencyRetention)
    : IOutboundMessageStore, IWebhookDeliveryStore
{
    /// <summary>Payloads up to this size are kept in the row (Table Storage's limit for one binary property), larger ones in a blob.</summary>
    public const int MaxInlinePayload = 64 * 1024;

    private static readonly string[] ListColumns = ["RowKey", "EventType", "Origin", "CreatedAt", "IdempotencyKey"];

    private readonly TableGroupCommit _writes = new(tables.WebhookMessages);

    private volatile bool _containerExists;

    private TableClient Table => tables.WebhookMessages;

    /// <summary>The blob container of payloads too large for a row.</summary>
    public static string ContainerName(string prefix) => prefix + "-webhook-messages";

    public async Task<(OutboundMessage Message, bool Added)> AddAsync(
        OutboundMessage message, IReadOnlyList<WebhookDelivery> deliveries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(deliveries);
        var partition = Partition(message.OrganizationId, message.ProjectId);
        var row = new TableEntity(partition, MessageKey(message.Id))
        {
            ["EventType"] = message.EventType,
            ["Origin"] = message.Origin,
            ["SentBy"] = message.SentBy,
            ["IdempotencyKey"] = message.IdempotencyKey,
            ["CreatedAt"] = message.CreatedAt,
            ["PayloadLength"] = message.Payload.Length,
        };
        string? blob = null;
        if (message.Payload.Length <= MaxInlinePayload)
        {
            row["Payload"] = message.Payload.ToArray();
        }
        else
        {
            blob = await WriteBlobAsync(BlobName(message), message.Payload, cancellationToken).ConfigureAwait(false);
            row["PayloadBlob"] = blob;
        }

        var actions = new List<TableTransactionAction>(3 + deliveries.Count)
        {
            new(TableTransactionActionType.Add, row),
            new(TableTransactionActionType.Add, new TableEntity(partition, ListKey(message.CreatedAt, message.Id))
            {
                ["EventType"] = message.EventType, ["Origin"] = message.Origin, ["CreatedAt"] = message.CreatedAt, ["IdempotencyKey"] = message.IdempotencyKey,
            }),
        };
        if (message.IdempotencyKey is { } key)
        {
            actions.Add(new(TableTransactionActionType.Add, new TableEntity(partition, IdempotencyRowKey(key)) { ["MessageId"] = message.Id, ["CreatedAt"] = message.CreatedAt }));
        }

        actions.AddRange(deliveries.Select(d => new TableTransactionAction(TableTransactionActionType.Add, DeliveryRow(d))));
        if (deliveries.Count > 0)
        {
            actions.Add(new(TableTransactionActionType.Add, await FanOutRowAsync(partition, message, cancellationToken).ConfigureAwait(false)));
        }

        // At most twice: a second round only after an expired idempotency claim was removed.
        for (var round = 0; ; round++)
        {
            // Grouped with other accepts in the project that wait meanwhile: one transaction carries many messages under load.
            if (await _writes.WriteAsync(partition, actions, message.Payload.Length <= MaxInlinePayload ? message.Payload.Length : 0, cancellationToken)
                .ConfigureAwait(false) == WriteOutcome.Written)
            {
                return (message, true);
            }

            var existing = await FindExistingAsync(message, round == 0, cancellationToken).ConfigureAwait(false);
            if (existing is not null)
            {
                if (blob is not null && existing.Id != message.Id)
                {
                    await payloads.GetBlobClient(blob).DeleteIfExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                }

                return (existing, false);
            }

            if (round > 0)
            {
                throw new InvalidOperationException("The message could not be stored: its idempotency key or id stayed taken without a message to return.");
            }
        }
    }

    public async Task<OutboundMessage?> GetAsync(string organizationId, string projectId, string messageId, CancellationToken cancellationToken = default)
    {
        if (!Ids.IsValid(OutboundMessage.IdPrefix, messageId))
        {
            return null;
        }

        var entity = await TableWrites.GetOrDefaultAsync<TableEntity>(Table, Partition(organizationId, projectId), MessageKey(messageId), null, cancellationToken)
            .ConfigureAwait(false);
        if (entity is null)
        {
            return null;
        }

        ReadOnlyMemory<byte> payload = entity.GetBinary("Payload") ?? [];
        if (entity.GetString("PayloadBlob") is { } blob)
        {
            var content = await payloads.GetBlobClient(blob).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            payload = content.Value.Content.ToMemory();
        }

        return ToMessage(entity, messageId, organizationId, projectId, payload);
    }

    public async Task<PagedList<OutboundMessage>> ListAsync(string organizationId, string projectId, OutboundMessageQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var partition = Partition(organizationId, projectId);
        // Newest first; entries at or after `since` have inverted ticks at or below since's, i.e. keys below "L:{since};".
        var upper = query.Since is { } since ? "L:" + Inverted(since) + ";" : "L;";
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {"L:"} and RowKey lt {upper}");
        if (query.EventType is { } eventType)
        {
            filter += " and " + TableClient.CreateQueryFilter($"EventType eq {eventType}");
        }

        var page = new List<OutboundMessage>(query.Page.PerPage);
        long matched = 0;
        await foreach (var entity in Table.QueryAsync<TableEntity>(filter, select: ListColumns, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (matched >= query.Page.Skip && page.Count < query.Page.PerPage)
            {
                page.Add(ToMessage(entity, entity.RowKey[(entity.RowKey.LastIndexOf(':') + 1)..], organizationId, projectId, ReadOnlyMemory<byte>.Empty));
            }

            matched++;
        }

        return new PagedList<OutboundMessage>(page, query.Page, matched);
    }

    public async Task<int> DeleteCreatedBeforeAsync(DateTimeOffset createdBefore, CancellationToken cancellationToken = default)
    {
        // Across every tenant: the cleanup job's one scan. Every row kind carries CreatedAt, so one filter finds them all.
        var filter = TableClient.CreateQueryFilter($"CreatedAt lt {createdBefore}");
        var expired = new List<TableEntity>();
        await foreach (var entity in Table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey", "PayloadBlob"], cancellationToken: cancellationToken)
            .ConfigureAwait(false))
        {
            expired.Add(entity);
        }

        foreach (var entity in expired)
        {
            if (entity.GetString("PayloadBlob") is { } blob)
            {
                await payloads.GetBlobClient(blob).DeleteIfExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            }
        }

        foreach (var partition in expired.GroupBy(e => e.PartitionKey))
        {
            await TableWrites.DeleteAllAsync(Table, partition, cancellationToken).ConfigureAwait(false);
        }

        return expired.Count(e => e.RowKey.StartsWith("M:", StringComparison.Ordinal));
    }

    /// <summary>
    /// After a transaction refused for an existing entity: the message that holds the idempotency key (a claim past the
    /// retention is deleted first when <paramref name="mayExpireClaim"/>, and null returned so the caller tries again), or
    /// the message with the same id.
    /// </summary>
    private async Task<OutboundMessage?> FindExistingAsync(OutboundMessage message, bool mayExpireClaim, CancellationToken cancellationToken)
    {
        var partition = Partition(message.OrganizationId, message.ProjectId);
        if (message.IdempotencyKey is { } key)
        {
            var claim = await TableWrites.GetOrDefaultAsync<TableEntity>(Table, partition, IdempotencyRowKey(key), null, cancellationToken).ConfigureAwait(false);
            if (claim is not null)
            {
                var claimedAt = claim.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.UnixEpoch;
                if (time.GetUtcNow() - claimedAt < idempotencyRetention() || !mayExpireClaim)
                {
                    return await GetAsync(message.OrganizationId, message.ProjectId, claim.GetString("MessageId") ?? "", cancellationToken).ConfigureAwait(false)
                        ?? throw new InvalidOperationException("An idempotency claim names a message that is gone.");
                }

                // Expired: the key is free again. Conditional, so two senders reusing it at once cannot both win.
                await TableWrites.TryDeleteAsync(Table, claim.PartitionKey, claim.RowKey, claim.ETag, cancellationToken).ConfigureAwait(false);
                return null;
            }
        }

        return await GetAsync(message.OrganizationId, message.ProjectId, message.Id, cancellationToken).ConfigureAwait(false);
    }

    private async Task<string> WriteBlobAsync(string name, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        var blob = payloads.GetBlobClient(name);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await blob.UploadAsync(BinaryData.FromBytes(payload), new BlobUploadOptions(), cancellationToken).ConfigureAwait(false);
                return name;
            }
            catch (RequestFailedException ex) when (ex.Status == 404 && attempt == 0 && !_containerExists)
            {
                await payloads.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                _containerExists = true;
            }
        }
    }

    private static OutboundMessage ToMessage(TableEntity e, string messageId, string organizationId, string projectId, ReadOnlyMemory<byte> payload) => new(
        messageId,
        organizationId,
        projectId,
        e.GetString("EventType") ?? "",
        payload,
        e.GetString("IdempotencyKey"),
        e.GetString("Origin") ?? "",
        e.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.UnixEpoch)
    {
        SentBy = e.GetString("SentBy"),
    };

    private static string Partition(string organizationId, string projectId) => $"{organizationId}_{projectId}";

    private static string MessageKey(string messageId) => "M:" + messageId;

    private static string ListKey(DateTimeOffset createdAt, string messageId) => "L:" + Inverted(createdAt) + ":" + messageId;

    private static string IdempotencyRowKey(string key) => "K:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private static string Inverted(DateTimeOffset time) => (DateTimeOffset.MaxValue.UtcTicks - time.UtcTicks).ToString("D19", CultureInfo.InvariantCulture);

    private static string BlobName(OutboundMessage m) => $"{m.OrganizationId}/{m.ProjectId}/{m.Id}";
}
