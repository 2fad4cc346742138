using Azure;
using Azure.Data.Tables;
using Integrations.Core.Common;
using Integrations.Core.Crypto;

namespace Integrations.Azure.Tables;

/// <summary>
/// The hub's wrapped keys: PartitionKey <c>key</c>, RowKey = key id, each with the versioned root key id that
/// wrapped it and the wrap's format (<c>WrapFormat</c>: 2 = bound to purpose and id; absent = 1, the foundation's unbound
/// wraps); and the key-ring state (active KEK, audit key, authority key) at <c>ring</c>/<c>state</c>.
/// </summary>
public sealed class TableKeyRecordStore(HubTables tables) : IKeyRecordStore
{
    private const string KeyPartition = "key";
    private const string RingPartition = "ring";
    private const string StateRow = "state";

    private TableClient Table => tables.Keys;

    public async Task<IReadOnlyList<KeyRecord>> ListAsync(CancellationToken cancellationToken = default)
    {
        var records = new List<KeyRecord>();
        await foreach (var entity in Table.QueryAsync<TableEntity>($"PartitionKey eq '{KeyPartition}'", cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            records.Add(ToRecord(entity));
        }

        return records;
    }

    public async Task<KeyRecord?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        var entity = await TableWrites.GetOrDefaultAsync<TableEntity>(Table, KeyPartition, id, null, cancellationToken).ConfigureAwait(false);
        return entity is null ? null : ToRecord(entity);
    }

    public Task<WriteOutcome> TryAddAsync(KeyRecord record, CancellationToken cancellationToken = default) =>
        TableWrites.TryAsync(() => Table.AddEntityAsync(ToEntity(record), cancellationToken));

    public Task<WriteOutcome> TryReplaceAsync(KeyRecord record, CancellationToken cancellationToken = default) =>
        TableWrites.TryAsync(() => Table.UpdateEntityAsync(ToEntity(record), new ETag(record.ETag!), TableUpdateMode.Replace, cancellationToken));

    public Task<WriteOutcome> TryDeleteAsync(KeyRecord record, CancellationToken cancellationToken = default) =>
        TableWrites.TryDeleteAsync(Table, KeyPartition, record.Id, new ETag(record.ETag!), cancellationToken);

    public async Task<KeyRingState?> GetStateAsync(CancellationToken cancellationToken = default)
    {
        var entity = await TableWrites.GetOrDefaultAsync<TableEntity>(Table, RingPartition, StateRow, null, cancellationToken).ConfigureAwait(false);
        return entity is null
            ? null
            : new KeyRingState(entity.GetString("ActiveKekId"), entity.GetString("AuditKeyId"), entity.GetDateTimeOffset("ActivatedAt")!.Value, entity.ETag.ToString())
            {
                AuthorityKeyId = entity.GetString("AuthorityKeyId"),
            };
    }

    public Task<WriteOutcome> TrySetStateAsync(KeyRingState state, CancellationToken cancellationToken = default)
    {
        var entity = new TableEntity(RingPartition, StateRow)
        {
            ["ActiveKekId"] = state.ActiveKekId,
            ["AuditKeyId"] = state.AuditKeyId,
            ["ActivatedAt"] = state.ActivatedAt,
            ["AuthorityKeyId"] = state.AuthorityKeyId,
        };
        return TableWrites.TryAsync(() => state.ETag is null
            ? Table.AddEntityAsync(entity, cancellationToken)
            : Table.UpdateEntityAsync(entity, new ETag(state.ETag), TableUpdateMode.Replace, cancellationToken));
    }

    private static TableEntity ToEntity(KeyRecord record) => new(KeyPartition, record.Id)
    {
        ["Purpose"] = record.Purpose.ToString(),
        ["RootKeyId"] = record.Wrapped.RootKeyId,
        ["Wrapped"] = record.Wrapped.Ciphertext,
        ["WrapFormat"] = record.Wrapped.Format,
        ["CreatedAt"] = record.CreatedAt,
        ["RetiredAt"] = record.RetiredAt,
    };

    private static KeyRecord ToRecord(TableEntity entity) => new(
        entity.RowKey,
        Enum.Parse<KeyPurpose>(entity.GetString("Purpose")),
        new WrappedKey(entity.GetString("RootKeyId"), entity.GetBinary("Wrapped"), entity.GetInt32("WrapFormat") ?? WrappedKey.LegacyFormat),
        entity.GetDateTimeOffset("CreatedAt")!.Value,
        entity.GetDateTimeOffset("RetiredAt"),
        entity.ETag.ToString());
}
