using Azure;
using Azure.Data.Tables;
using Integrations.Core.Common;
using Integrations.Core.Identity;
using Integrations.Core.Integrity;

namespace Integrations.Azure.Tables;

/// <summary>
/// API keys, twice: by lookup hash (PartitionKey = HMAC hex under the authority key, RowKey <c>key</c>) for the
/// authentication point read, and by organization (PartitionKey = org id, RowKey = key id) for listing. The hash row is
/// written first and revoked first, so a key is never usable without being listed for longer than a failed write takes.
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

    public async Task<WriteOutcome> RevokeAsync(string organizationId, string keyId, DateTimeOffset revokedAt, CancellationToken cancellationToken = default)
    {
        var key = await GetAsync(organizationId, keyId, cancellationToken).ConfigureAwait(false);
        if (key is null)
        {
            return WriteOutcome.NotFound;
        }

        // The MAC covers RevokedAt: both rows get the new value and the MAC over it together.
        var revoked = await authority.SignAsync(key with { RevokedAt = revokedAt }, cancellationToken).ConfigureAwait(false);
        foreach (var (partition, row) in new[] { (key.Hash, HashRow), (organizationId, keyId) })
        {
            var outcome = await TableWrites.TryAsync(() => Table.UpdateEntityAsync(
                new TableEntity(partition, row) { ["RevokedAt"] = revokedAt, ["Mac"] = revoked.Mac, ["Format"] = AuthorityRows.RowFormat },
                ETag.All, TableUpdateMode.Merge, cancellationToken)).ConfigureAwait(false);
            if (outcome != WriteOutcome.Written)
            {
                return outcome;
            }
        }

        return WriteOutcome.Written;
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
            entity.GetDateTimeOffset("RevokedAt"))
        {
            // A MAC'd row states its format; a MAC on a row without one is not trusted either.
            Mac = entity.GetInt32("Format") == AuthorityRows.RowFormat ? entity.GetString("Mac") : null,
        };
    }
}
