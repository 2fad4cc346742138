using Azure;
using Azure.Data.Tables;
using Integrations.Core.Common;
using Integrations.Core.Rotation;

namespace Integrations.Azure.Tables;

/// <summary>
/// Rotations at PartitionKey <c>rotation</c>, RowKey = rotation id, plus a marker row <c>in-progress</c> naming the
/// running one. Marker and rotation are added (and on completion, removed and replaced) in one transaction, so
/// two concurrent starts cannot both win.
/// </summary>
public sealed class TableKeyRotationStore(HubTables tables) : IKeyRotationStore
{
    private const string Partition = "rotation";
    private const string MarkerRow = "in-progress";

    private TableClient Table => tables.Rotations;

    public async Task<string?> TryStartAsync(KeyRotation rotation, CancellationToken cancellationToken = default)
    {
        var outcome = await TableWrites.TryTransactionAsync(Table,
        [
            new(TableTransactionActionType.Add, new TableEntity(Partition, MarkerRow) { ["RotationId"] = rotation.Id }),
            new(TableTransactionActionType.Add, ToEntity(rotation)),
        ], cancellationToken).ConfigureAwait(false);
        if (outcome == WriteOutcome.Written)
        {
            return null;
        }

        var marker = await TableWrites.GetOrDefaultAsync<TableEntity>(Table, Partition, MarkerRow, null, cancellationToken).ConfigureAwait(false);
        return marker?.GetString("RotationId") ?? throw new InvalidOperationException("Starting a rotation conflicted, but none is in progress; retry.");
    }

    public async Task<KeyRotation?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        var entity = await TableWrites.GetOrDefaultAsync<TableEntity>(Table, Partition, id, null, cancellationToken).ConfigureAwait(false);
        return entity is null ? null : ToRotation(entity);
    }

    public async Task<KeyRotation?> GetInProgressAsync(CancellationToken cancellationToken = default)
    {
        var marker = await TableWrites.GetOrDefaultAsync<TableEntity>(Table, Partition, MarkerRow, null, cancellationToken).ConfigureAwait(false);
        return marker is null ? null : await GetAsync(marker.GetString("RotationId"), cancellationToken).ConfigureAwait(false);
    }

    public async Task<WriteOutcome> TryUpdateAsync(KeyRotation rotation, CancellationToken cancellationToken = default)
    {
        var replace = new TableTransactionAction(TableTransactionActionType.UpdateReplace, ToEntity(rotation), new ETag(rotation.ETag!));
        if (rotation.Status != RotationStatus.Completed)
        {
            return await TableWrites.TryTransactionAsync(Table, [replace], cancellationToken).ConfigureAwait(false);
        }

        var outcome = await TableWrites.TryTransactionAsync(Table,
            [replace, new(TableTransactionActionType.Delete, new TableEntity(Partition, MarkerRow), ETag.All)], cancellationToken).ConfigureAwait(false);
        // The marker is already gone when a completed rotation is saved again.
        return outcome == WriteOutcome.NotFound ? await TableWrites.TryTransactionAsync(Table, [replace], cancellationToken).ConfigureAwait(false) : outcome;
    }

    private static TableEntity ToEntity(KeyRotation rotation) => new(Partition, rotation.Id)
    {
        ["Kind"] = rotation.Kind.ToString(),
        ["Status"] = rotation.Status.ToString(),
        ["NewKekId"] = rotation.NewKekId,
        ["RetiringKekIds"] = string.Join(' ', rotation.RetiringKekIds),
        ["Total"] = rotation.Total,
        ["Done"] = rotation.Done,
        ["CreatedAt"] = rotation.CreatedAt,
        ["UpdatedAt"] = rotation.UpdatedAt,
        ["CompletedAt"] = rotation.CompletedAt,
    };

    private static KeyRotation ToRotation(TableEntity entity) => new(
        entity.RowKey,
        Enum.Parse<RotationKind>(entity.GetString("Kind")),
        Enum.Parse<RotationStatus>(entity.GetString("Status")),
        entity.GetString("NewKekId"),
        (entity.GetString("RetiringKekIds") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries),
        entity.GetInt64("Total") ?? 0,
        entity.GetInt64("Done") ?? 0,
        entity.GetDateTimeOffset("CreatedAt")!.Value,
        entity.GetDateTimeOffset("UpdatedAt")!.Value,
        entity.GetDateTimeOffset("CompletedAt"),
        entity.ETag.ToString());
}
