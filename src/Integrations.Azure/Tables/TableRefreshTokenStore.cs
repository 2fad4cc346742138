using Azure;
using Azure.Data.Tables;
using Integrations.Core.Identity.Users;
using Integrations.Core.Integrity;

namespace Integrations.Azure.Tables;

/// <summary>
/// Refresh tokens in the <c>refreshtokens</c> table: PartitionKey = the token's lookup hash (HMAC under the authority key,
/// <c>RefreshToken.LookupHash</c>), RowKey <c>rt</c> → user, session and generation, MAC'd (<c>refresh-token/v1</c>, over
/// the hash taken from the partition key, so a row copied under another hash does not verify). A refresh starts with this
/// one point read. Rows are written once and never updated: the session row decides which token is current.
/// </summary>
public sealed class TableRefreshTokenStore(HubTables tables, AuthorityRows authority) : IRefreshTokenStore
{
    internal const string TokenRow = "rt";
    private const int Unauthorized = 401;

    private TableClient Table => tables.RefreshTokens;

    public async Task AddAsync(RefreshTokenRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        var entity = new TableEntity(record.LookupHash, TokenRow)
        {
            ["UserId"] = record.UserId,
            ["SessionId"] = record.SessionId,
            ["Generation"] = record.Generation,
            ["IssuedAt"] = record.IssuedAt,
            ["Mac"] = await authority.SignAsync(record, cancellationToken).ConfigureAwait(false),
            ["Format"] = AuthorityRows.RowFormat,
        };
        await Table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
    }

    public async Task<RefreshTokenRecord?> FindAsync(string lookupHash, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(lookupHash);
        var entity = await TableWrites.GetOrDefaultAsync<TableEntity>(Table, lookupHash, TokenRow, null, cancellationToken).ConfigureAwait(false);
        if (entity is null)
        {
            return null;
        }

        var record = ToRecord(entity);
        var mac = AuthorityRowColumns.MacOf(entity);
        var reason = record switch
        {
            null => "unreadable row",
            _ when mac is null => "no MAC",
            _ when !await authority.VerifyAsync(record, mac, cancellationToken).ConfigureAwait(false) => "MAC mismatch",
            _ => null,
        };
        if (reason is null)
        {
            return record;
        }

        // The partition key is a lookup hash, not the token: safe to report.
        await authority.ReportAsync(AuthorityRows.RefreshTokenKind, lookupHash, reason, Unauthorized, cancellationToken).ConfigureAwait(false);
        return null;
    }

    public async Task<int> DeleteForUserAsync(string userId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        // A scan filtered on UserId: rows are keyed by token hash only. Account deletion is rare; a token row names no
        // person beyond the user id, and grants nothing once the user row is gone (a refresh reads the user).
        var count = 0;
        var filter = TableClient.CreateQueryFilter($"UserId eq {userId}");
        await foreach (var row in Table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            await TableWrites.TryAsync(() => Table.DeleteEntityAsync(row.PartitionKey, row.RowKey, ETag.All, cancellationToken)).ConfigureAwait(false);
            count++;
        }

        return count;
    }

    public async Task<int> DeleteIssuedBeforeAsync(DateTimeOffset issuedBefore, CancellationToken cancellationToken = default)
    {
        // A cross-partition scan filtered on IssuedAt (each token is its own partition); rows are never updated, so an
        // unconditional delete removes exactly what was read.
        var count = 0;
        var filter = TableClient.CreateQueryFilter($"IssuedAt lt {issuedBefore}");
        await foreach (var row in Table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            await TableWrites.TryAsync(() => Table.DeleteEntityAsync(row.PartitionKey, row.RowKey, ETag.All, cancellationToken)).ConfigureAwait(false);
            count++;
        }

        return count;
    }

    public async Task DeleteAsync(string lookupHash, CancellationToken cancellationToken = default) =>
        await TableWrites.TryAsync(() => Table.DeleteEntityAsync(lookupHash, TokenRow, ETag.All, cancellationToken)).ConfigureAwait(false);

    private static RefreshTokenRecord? ToRecord(TableEntity entity)
    {
        try
        {
            return entity.GetString("UserId") is { } userId && entity.GetString("SessionId") is { } sessionId
                && entity.GetInt32("Generation") is { } generation && entity.GetDateTimeOffset("IssuedAt") is { } issuedAt
                ? new RefreshTokenRecord(entity.PartitionKey, userId, sessionId, generation, issuedAt)
                : null;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }
}
