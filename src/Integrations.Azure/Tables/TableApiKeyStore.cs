using Azure;
using Azure.Data.Tables;
using Integrations.Core.Common;
using Integrations.Core.Identity;

namespace Integrations.Azure.Tables;

/// <summary>
/// API keys, twice: by hash (PartitionKey = SHA-256 hex, RowKey <c>key</c>) for the authentication point read,
/// and by organization (PartitionKey = org id, RowKey = key id) for listing. The hash row is written first and
/// revoked first, so a key is never usable without being listed for longer than a failed write takes.
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

    public async Task<WriteOutcome> RevokeAsync(string organizationId, string keyId, DateTimeOffset revokedAt, CancellationToken cancellationToken = default)
    {
        var key = await GetAsync(organizationId, keyId, cancellationToken).ConfigureAwait(false);
        if (key is null)
        {
            return WriteOutcome.NotFound;
        }

        foreach (var (partition, row) in new[] { (key.Hash, HashRow), (organizationId, keyId) })
        {
            var outcome = await TableWrites.TryAsync(() => Table.UpdateEntityAsync(
                new TableEntity(partition, row) { ["RevokedAt"] = revokedAt }, ETag.All, TableUpdateMode.Merge, cancellationToken)).ConfigureAwait(false);
            if (outcome != WriteOutcome.Written)
            {
                return outcome;
            }
        }

        return WriteOutcome.Written;
    }

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
        entity.GetDateTimeOffset("RevokedAt"));
}
