using System.Collections.Concurrent;
using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Integrations.Core.Audit;
using Integrations.Core.Common;

namespace Integrations.Azure.Tables;

/// <summary>
/// The audit log. PartitionKey = audit partition (one per project, organization, platform); RowKey =
/// inverted ticks + id, so a partition reads newest first and a time range is a RowKey range. Chain state and the
/// registry of partitions live in the <c>auditchain</c> table (times as ticks: Table dates start in 1601).
/// Appends go through <see cref="AuditAppendBatcher"/>: concurrent requests share entity-group transactions and
/// each still waits for its own record to be stored.
/// </summary>
public sealed class TableAuditStore : IAuditStore, IAsyncDisposable
{
    private const string StatePartition = "state";
    private const string RegistryPartition = "partition";
    private readonly HubTables _tables;
    private readonly AuditAppendBatcher _batcher;
    private readonly ConcurrentDictionary<string, Task> _registered = new(StringComparer.Ordinal);

    public TableAuditStore(HubTables tables)
    {
        _tables = tables;
        _batcher = new AuditAppendBatcher(tables.Audit);
    }

    public async Task AppendAsync(AuditRecord record, CancellationToken cancellationToken = default)
    {
        await RegisterAsync(record.Partition, cancellationToken).ConfigureAwait(false);
        await _batcher.AppendAsync(ToEntity(record), cancellationToken).ConfigureAwait(false);
    }

    public async Task<PagedList<AuditRecord>> QueryAsync(string partition, DateTimeOffset from, DateTimeOffset to, PageRequest page, CancellationToken cancellationToken = default)
    {
        // time < to  ⇔  inverted > inverted(to); time ≥ from  ⇔  RowKey below "inverted(from)~".
        var filter = $"PartitionKey eq '{TableWrites.Quote(partition)}' and RowKey ge '{Inverted(to.UtcTicks - 1)}' and RowKey lt '{Inverted(from.UtcTicks)}~'";
        var items = new List<AuditRecord>(page.PerPage);
        long total = 0;
        await foreach (var entity in _tables.Audit.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (total >= page.Skip && items.Count < page.PerPage)
            {
                items.Add(ToRecord(entity));
            }

            total++;
        }

        return new PagedList<AuditRecord>(items, page, total);
    }

    public async Task<IReadOnlyList<AuditRecord>> ReadAsync(string partition, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        var filter = $"PartitionKey eq '{TableWrites.Quote(partition)}' and RowKey ge '{Inverted(to.UtcTicks)}' and RowKey lt '{Inverted(from.UtcTicks)}~'";
        var records = new List<AuditRecord>();
        await foreach (var entity in _tables.Audit.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            records.Add(ToRecord(entity));
        }

        return records.OrderBy(r => r.Time).ThenBy(r => r.Id, StringComparer.Ordinal).ToList();
    }

    public async Task<IReadOnlyList<string>> ListPartitionsAsync(CancellationToken cancellationToken = default)
    {
        var partitions = new List<string>();
        await foreach (var entity in _tables.AuditChain.QueryAsync<TableEntity>($"PartitionKey eq '{RegistryPartition}'", select: ["RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            partitions.Add(entity.RowKey);
        }

        return partitions;
    }

    public async Task SetChainHashesAsync(string partition, IReadOnlyList<AuditRecord> sealedRecords, CancellationToken cancellationToken = default)
    {
        foreach (var chunk in sealedRecords.Chunk(100))
        {
            await _tables.Audit.SubmitTransactionAsync(chunk.Select(r => new TableTransactionAction(TableTransactionActionType.UpdateMerge,
                new TableEntity(partition, RowKey(r)) { ["ChainHash"] = r.ChainHash }, ETag.All)), cancellationToken).ConfigureAwait(false);
        }
    }

    public Task DeleteAsync(string partition, IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken = default) =>
        TableWrites.DeleteAllAsync(_tables.Audit, records.Select(r => new TableEntity(partition, RowKey(r))), cancellationToken);

    public async Task<AuditChainState?> GetChainStateAsync(string partition, CancellationToken cancellationToken = default)
    {
        var e = await TableWrites.GetOrDefaultAsync<TableEntity>(_tables.AuditChain, StatePartition, partition, null, cancellationToken).ConfigureAwait(false);
        return e is null
            ? null
            : new AuditChainState(partition, FromTicks(e.GetInt64("SealedThroughTicks")), e.GetString("SealedThroughId"), e.GetString("HeadHash"),
                e.GetInt64("SealedCount") ?? 0, FromTicks(e.GetInt64("AnchorTicks")), e.GetString("AnchorId"), e.GetString("AnchorHash"), e.ETag.ToString());
    }

    public Task<WriteOutcome> TrySetChainStateAsync(AuditChainState state, CancellationToken cancellationToken = default)
    {
        var entity = new TableEntity(StatePartition, state.Partition)
        {
            ["SealedThroughTicks"] = state.SealedThroughTime.UtcTicks,
            ["SealedThroughId"] = state.SealedThroughId,
            ["HeadHash"] = state.HeadHash,
            ["SealedCount"] = state.SealedCount,
            ["AnchorTicks"] = state.AnchorTime.UtcTicks,
            ["AnchorId"] = state.AnchorId,
            ["AnchorHash"] = state.AnchorHash,
        };
        return TableWrites.TryAsync(() => state.ETag is null
            ? _tables.AuditChain.AddEntityAsync(entity, cancellationToken)
            : _tables.AuditChain.UpdateEntityAsync(entity, new ETag(state.ETag), TableUpdateMode.Replace, cancellationToken));
    }

    public ValueTask DisposeAsync() => _batcher.DisposeAsync();

    /// <summary>Records the partition in the registry the sealer walks, once per partition per process, before its first record.</summary>
    private Task RegisterAsync(string partition, CancellationToken cancellationToken)
    {
        var task = _registered.GetOrAdd(partition, p => _tables.AuditChain.UpsertEntityAsync(new TableEntity(RegistryPartition, p), TableUpdateMode.Merge, CancellationToken.None));
        if (task.IsFaulted || task.IsCanceled)
        {
            _registered.TryRemove(partition, out _);
        }

        return task.WaitAsync(cancellationToken);
    }

    internal static string RowKey(AuditRecord record) => Inverted(record.Time.UtcTicks) + "_" + record.Id;

    private static string Inverted(long ticks) => (DateTimeOffset.MaxValue.UtcTicks - ticks).ToString("D19", CultureInfo.InvariantCulture);

    private static DateTimeOffset FromTicks(long? ticks) => new(ticks ?? 0, TimeSpan.Zero);

    private static TableEntity ToEntity(AuditRecord r) => new(r.Partition, RowKey(r))
    {
        ["Id"] = r.Id,
        ["Time"] = r.Time,
        ["Org"] = r.OrganizationId,
        ["Project"] = r.ProjectId,
        ["Action"] = r.Action,
        ["Outcome"] = r.Outcome,
        ["Status"] = r.Status,
        ["ActorType"] = r.ActorType,
        ["ActorId"] = r.ActorId,
        ["Target"] = r.Target,
        ["SourceIp"] = r.SourceIp,
        ["UserAgent"] = r.UserAgent,
        ["RequestId"] = r.RequestId,
        ["CredentialHmac"] = r.CredentialHmac,
        ["ChainHash"] = r.ChainHash,
    };

    private static AuditRecord ToRecord(TableEntity e) => new(
        e.GetString("Id"), e.GetDateTimeOffset("Time")!.Value, e.GetString("Org"), e.GetString("Project"), e.GetString("Action"), e.GetString("Outcome"),
        e.GetInt32("Status") ?? 0, e.GetString("ActorType"), e.GetString("ActorId"), e.GetString("Target"), e.GetString("SourceIp"),
        e.GetString("UserAgent"), e.GetString("RequestId"), e.GetString("CredentialHmac"), e.GetString("ChainHash"));
}
