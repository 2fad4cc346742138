using System.Runtime.CompilerServices;
using Azure;
using Azure.Data.Tables;
using Integrations.Core.Common;
using Integrations.Core.Identity;
using Integrations.Core.Integrity;

namespace Integrations.Azure.Tables;

/// <summary>
/// API keys, twice: by lookup hash (PartitionKey = HMAC hex under the authority key, RowKey <c>key</c>) for the
/// authentication point read, and by organization (PartitionKey = org id, RowKey = key id) for listing. The hash row is
/// written first and revoked first (and deleted first), so a key is never usable without being listed for longer than a
/// failed write takes, and a key listed as revoked is revoked where authentication reads it. Revocation writes only
/// <c>RevokedAt</c> and the MAC over it (a merge), so a retry after a failure half-way finishes the work.
/// Both rows carry a MAC over the key's authority fields (<see cref="AuthorityRows"/>) and <c>Format</c> 2; a row that
/// fails it, has none (the foundation's format), or sits under keys other than its own, is refused and reported.
/// </summary>
public sealed class TableApiKeyStore(HubTables tables, AuthorityRows authority) : IApiKeyStore
{
    internal const string HashRow = "key";
    private const int Unauthorized = 401;

    private TableClient Table => tables.ApiKeys;

    public async Task AddAsync(ApiKey key, CancellationToken cancellationToken = default)
    {
        var signed = await authority.SignAsync(key, cancellationToken).ConfigureAwait(false);
        await Table.AddEntityAsync(ToEntity(signed, signed.Hash, HashRow), cancellationToken).ConfigureAwait(false);
        try
        {
            // Past the first write the key must end up listed (and so revocable) or not usable at all: no cancellation.
            await Table.AddEntityAsync(ToEntity(signed, signed.OrganizationId, signed.Id), CancellationToken.None).ConfigureAwait(false);
        }
        catch
        {
            await Table.DeleteEntityAsync(signed.Hash, HashRow, ETag.All, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    public async Task<ApiKey?> FindByHashAsync(string hash, CancellationToken cancellationToken = default)
    {
        var entity = await TableWrites.GetOrDefaultAsync<TableEntity>(Table, hash, HashRow, null, cancellationToken).ConfigureAwait(false);
        return entity is null ? null : await VerifiedAsync(entity, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ApiKey?> GetAsync(string organizationId, string keyId, CancellationToken cancellationToken = default)
    {
        var entity = await TableWrites.GetOrDefaultAsync<TableEntity>(Table, organizationId, keyId, null, cancellationToken).ConfigureAwait(false);
        return entity is null ? null : await VerifiedAsync(entity, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<ApiKey>> ListAsync(string organizationId, CancellationToken cancellationToken = default)
    {
        var keys = new List<ApiKey>();
        await foreach (var entity in Table.QueryAsync<TableEntity>($"PartitionKey eq '{TableWrites.Quote(organizationId)}'", cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (await VerifiedAsync(entity, cancellationToken).ConfigureAwait(false) is { } key)
            {
                keys.Add(key);
            }
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
            var patch = await RevokedPatchAsync(key, key.Hash, HashRow, revokedAt, cancellationToken).ConfigureAwait(false);
            await TableWrites.TryAsync(() => Table.UpdateEntityAsync(patch, ETag.All, TableUpdateMode.Merge, cancellationToken)).ConfigureAwait(false);
        }
    }

    public async Task RevokeListedRowsAsync(string organizationId, IReadOnlyList<ApiKey> keys, DateTimeOffset revokedAt, CancellationToken cancellationToken = default)
    {
        foreach (var chunk in keys.Chunk(100))
        {
            var actions = new List<TableTransactionAction>(chunk.Length);
            foreach (var key in chunk)
            {
                actions.Add(new(TableTransactionActionType.UpdateMerge, await RevokedPatchAsync(key, organizationId, key.Id, revokedAt, cancellationToken).ConfigureAwait(false), ETag.All));
            }

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
        // Listed rows only (lookup rows have RowKey "key"): a scan across organizations, filtered by the service. An
        // unverified row may be removed (removing grants nothing); an unreadable one is left for the operator.
        var filter = TableClient.CreateQueryFilter($"RowKey ne {HashRow} and (ExpiresAt lt {before} or RevokedAt lt {before})");
        await foreach (var entity in Table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (TryToKey(entity) is { } key)
            {
                yield return key;
            }
        }
    }

    public async Task DeleteAsync(ApiKey key, CancellationToken cancellationToken = default)
    {
        // The lookup row first: a key that is no longer listed can never authenticate.
        await TableWrites.TryDeleteAsync(Table, key.Hash, HashRow, ETag.All, cancellationToken).ConfigureAwait(false);
        await TableWrites.TryDeleteAsync(Table, key.OrganizationId, key.Id, ETag.All, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>RevokedAt and the MAC over the key with it: both rows of a key get the same pair, so either verifies.</summary>
    private async Task<TableEntity> RevokedPatchAsync(ApiKey key, string partitionKey, string rowKey, DateTimeOffset revokedAt, CancellationToken cancellationToken)
    {
        var revoked = await authority.SignAsync(key with { RevokedAt = revokedAt }, cancellationToken).ConfigureAwait(false);
        return new(partitionKey, rowKey) { ["RevokedAt"] = revokedAt, ["Mac"] = revoked.Mac, ["Format"] = AuthorityRows.RowFormat };
    }

    /// <summary>The key if its row is in place and its MAC verifies; otherwise null, after reporting the violation.</summary>
    private async Task<ApiKey?> VerifiedAsync(TableEntity entity, CancellationToken cancellationToken)
    {
        var key = TryToKey(entity);
        var reason = key switch
        {
            null => "unreadable row",
            { Mac: null } => "no MAC: a row in the foundation's format (run `ihub upgrade` once after deploying)",
            _ when !InPlace(entity, key) => "row under keys other than its own",
            _ when !await authority.VerifyAsync(key, cancellationToken).ConfigureAwait(false) => "MAC mismatch",
            _ => null,
        };
        if (reason is null)
        {
            return key;
        }

        await authority.ReportAsync(AuthorityRows.ApiKeyKind, key?.Id ?? entity.GetString("Id"), reason, Unauthorized, cancellationToken).ConfigureAwait(false);
        return null;
    }

    // A row copied to another partition (another organization, another lookup hash) keeps a valid MAC: its keys must match it.
    private static bool InPlace(TableEntity entity, ApiKey key) => entity.RowKey == HashRow
        ? string.Equals(entity.PartitionKey, key.Hash, StringComparison.Ordinal)
        : string.Equals(entity.PartitionKey, key.OrganizationId, StringComparison.Ordinal) && string.Equals(entity.RowKey, key.Id, StringComparison.Ordinal);

    internal static TableEntity ToEntity(ApiKey key, string partitionKey, string rowKey) => new(partitionKey, rowKey)
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
        ["Mac"] = key.Mac,
        ["Format"] = key.Mac is null ? null : AuthorityRows.RowFormat,
    };

    /// <summary>The key as the row states it (unverified), or null when a required column is missing.</summary>
    internal static ApiKey? TryToKey(TableEntity entity)
    {
        try
        {
            return ToKey(entity);
        }
        catch (InvalidOperationException)
        {
            return null; // A column of the wrong type: the SDK refuses to convert it.
        }
    }

    private static ApiKey? ToKey(TableEntity entity)
    {
        if (entity.GetString("Id") is not { } id || entity.GetString("Org") is not { } org || entity.GetString("Hash") is not { } hash
            || entity.GetDateTimeOffset("CreatedAt") is not { } createdAt)
        {
            return null;
        }

        return new ApiKey(
            id,
            org,
            entity.GetString("Name") ?? string.Empty,
            (entity.GetString("Scopes") ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries),
            hash,
            entity.GetString("Hint") ?? string.Empty,
            entity.GetString("CreatedBy") ?? string.Empty,
            createdAt,
            entity.GetDateTimeOffset("ExpiresAt"),
            entity.GetDateTimeOffset("RevokedAt"),
            entity.GetString("ParentKeyId"))
        {
            // A MAC'd row states its format; a MAC on a row without one is not trusted either.
            Mac = entity.GetInt32("Format") == AuthorityRows.RowFormat ? entity.GetString("Mac") : null,
        };
    }
}
