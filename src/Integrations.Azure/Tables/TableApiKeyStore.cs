using System.Runtime.CompilerServices;
using Azure;
using Azure.Data.Tables;
using Integrations.Core.Common;
using Integrations.Core.Identity;

namespace Integrations.Azure.Tables;

/// <summary>
/// API keys, twice: by hash (PartitionKey = SHA-256 hex, RowKey <c>key</c>) for the authentication point read,
/// and by organization (PartitionKey = org id, RowKey = key id) for listing. The hash row is written first and
/// revoked first (and deleted first), so a key is never usable without being listed for longer than a failed write
/// takes, and a key listed as revoked is revoked where authentication reads it. Revocation writes only <c>RevokedAt</c>
/// (a merge), so a retry after a failure half-way finishes the work.
/// </summary>
public sealed class TableApiKeyStore(HubTables tables) : IApiKeyStore
{
    private const string HashRow = "key";

    private TableClient Table => tables.ApiKeys;

    public async Task AddAsync(ApiKey key, CancellationToken cancellationToken = default)
    {
        await Table.AddEntityAsync(ToEntity(key, key.Hash, HashRow), cancellationToken).ConfigureAwait(false);
        try
        {
            // Past the first write the key must end up listed (and so revocable) or not usable at all: no cancellation.
            await Table.AddEntityAsync(ToEntity(key, key.OrganizationId, key.Id), CancellationToken.None).ConfigureAwait(false);
        }
        catch
        {
            await Table.DeleteEntityAsync(key.Hash, HashRow, ETag.All, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    public async Task<ApiKey?> FindByHashAsync(string hash, CancellationToken cancellationToken = default)
    {
        var entity = await TableWrites.GetOrDefaultAsync<TableEntity>(Table, hash, HashRow, null, cancellationToken).ConfigureAwait(false);
        return entity is null ? null : ToKey(entity);
    }

    public async Task<ApiKey?> GetAsync(string organizationId, string keyId, CancellationToken cancellationToken = default)
    {
        var entity = await TableWrites.GetOrDefaultAsync<TableEntity>(Table, organizationId, keyId, null, cancellationToken).ConfigureAwait(false);
        return entity is null ? null : ToKey(entity);
    }

    public async Task<IReadOnlyList<ApiKey>> ListAsync(string organizationId, CancellationToken cancellationToken = default)
    {
        var keys = new List<ApiKey>();
        await foreach (var entity in Table.QueryAsync<TableEntity>($"PartitionKey eq '{TableWrites.Quote(organizationId)}'", cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            keys.Add(ToKey(entity));
        }

        return keys;
    }

    public async Task<int> CountAsync(string organizationId, CancellationToken cancellationToken = default)
    {
        var count = 0;
        await foreach (var unused in Table.QueryAsync<TableEntity>($"PartitionKey eq '{TableWrites.Quote(organizationId)}'", select: ["RowKey"],
            cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            count++;
        }

        return count;
    }

    public async Task RevokeLookupRowsAsync(IReadOnlyList<ApiKey> keys, DateTimeOffset revokedAt, CancellationToken cancellationToken = default)
    {
        foreach (var key in keys)
        {
            // One partition per key: no transaction spans them. NotFound (removed already) is fine.
            await TableWrites.TryAsync(() => Table.UpdateEntityAsync(
                RevokedPatch(key.Hash, HashRow, revokedAt), ETag.All, TableUpdateMode.Merge, cancellationToken)).ConfigureAwait(false);
        }
    }

    public async Task RevokeListedRowsAsync(string organizationId, IReadOnlyList<string> keyIds, DateTimeOffset revokedAt, CancellationToken cancellationToken = default)
    {
        foreach (var chunk in keyIds.Chunk(100))
        {
            var actions = chunk.Select(id => new TableTransactionAction(TableTransactionActionType.UpdateMerge, RevokedPatch(organizationId, id, revokedAt), ETag.All)).ToList();
            if (await TableWrites.TryTransactionAsync(Table, actions, cancellationToken).ConfigureAwait(false) == WriteOutcome.NotFound)
            {
                // A row went away (the cleanup job) between listing and now: one by one, skipping the missing one.
                foreach (var action in actions)
                {
                    await TableWrites.TryAsync(() => Table.UpdateEntityAsync(action.Entity, ETag.All, TableUpdateMode.Merge, cancellationToken)).ConfigureAwait(false);
                }
            }
        }
    }

    public async IAsyncEnumerable<ApiKey> ListEndedBeforeAsync(DateTimeOffset before, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // Listed rows only (lookup rows have RowKey "key"): a scan across organizations, filtered by the service.
        var filter = TableClient.CreateQueryFilter($"RowKey ne {HashRow} and (ExpiresAt lt {before} or RevokedAt lt {before})");
        await foreach (var entity in Table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            yield return ToKey(entity);
        }
    }

    public async Task DeleteAsync(ApiKey key, CancellationToken cancellationToken = default)
    {
        // The lookup row first: a key that is no longer listed can never authenticate.
        await TableWrites.TryAsync(() => Table.DeleteEntityAsync(key.Hash, HashRow, ETag.All, cancellationToken)).ConfigureAwait(false);
        await TableWrites.TryAsync(() => Table.DeleteEntityAsync(key.OrganizationId, key.Id, ETag.All, cancellationToken)).ConfigureAwait(false);
    }

    private static TableEntity RevokedPatch(string partitionKey, string rowKey, DateTimeOffset revokedAt) =>
        new(partitionKey, rowKey) { ["RevokedAt"] = revokedAt };

    private static TableEntity ToEntity(ApiKey key, string partitionKey, string rowKey) => new(partitionKey, rowKey)
    {
        ["Id"] = key.Id,
        ["Org"] = key.OrganizationId,
        ["Name"] = key.Name,
        ["Scopes"] = string.Join(' ', key.Scopes),
        ["Hash"] = key.Hash,
        ["Hint"] = key.Hint,
        ["CreatedBy"] = key.CreatedBy,
        ["CreatedAt"] = key.CreatedAt,
        ["ExpiresAt"] = key.ExpiresAt,
        ["RevokedAt"] = key.RevokedAt,
        ["ParentKeyId"] = key.ParentKeyId,
    };

    private static ApiKey ToKey(TableEntity entity) => new(
        entity.GetString("Id"),
        entity.GetString("Org"),
        entity.GetString("Name"),
        entity.GetString("Scopes").Split(' ', StringSplitOptions.RemoveEmptyEntries),
        entity.GetString("Hash"),
        entity.GetString("Hint"),
        entity.GetString("CreatedBy"),
        entity.GetDateTimeOffset("CreatedAt")!.Value,
        entity.GetDateTimeOffset("ExpiresAt"),
        entity.GetDateTimeOffset("RevokedAt"),
        entity.GetString("ParentKeyId"));
}
