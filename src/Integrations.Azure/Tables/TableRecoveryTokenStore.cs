using Azure;
using Azure.Data.Tables;
using Integrations.Core.Common;
using Integrations.Core.Identity.Recovery;
using Integrations.Core.Integrity;

namespace Integrations.Azure.Tables;

/// <summary>
/// Email-verification and password-reset tokens in the <c>recoverytokens</c> table:
/// <list type="bullet">
/// <item>PartitionKey = the token's lookup hash (<see cref="RecoveryToken.LookupHash"/>, an HMAC under the authority key),
/// RowKey <c>rt</c>: purpose, user, address key, security stamp, lifetime and use, MAC'd (<c>recovery-token/v1</c>, over
/// the hash taken from the partition key, so a row copied under another hash does not verify) — a use is this point read
/// and one write conditional on its ETag;</item>
/// <item>PartitionKey <c>u:{userId}</c>, RowKey = the lookup hash: an index row (no authority of its own) so deleting an
/// account finds its tokens with one range read.</item>
/// </list>
/// </summary>
public sealed class TableRecoveryTokenStore(HubTables tables, AuthorityRows authority) : IRecoveryTokenStore
{
    internal const string TokenRow = "rt";
    internal const string UserPartitionPrefix = "u:";
    private const int Unauthorized = 401;

    private TableClient Table => tables.RecoveryTokens;

    public async Task AddAsync(RecoveryTokenRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        // The index first: a token row is never without the entry that lets account deletion find it.
        await Table.UpsertEntityAsync(new TableEntity(UserPartitionPrefix + record.UserId, record.LookupHash), TableUpdateMode.Replace, cancellationToken)
            .ConfigureAwait(false);
        await Table.AddEntityAsync(await EntityAsync(record, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
    }

    public async Task<RecoveryTokenRecord?> FindAsync(string lookupHash, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(lookupHash);
        var entity = await TableWrites.GetOrDefaultAsync<TableEntity>(Table, lookupHash, TokenRow, null, cancellationToken).ConfigureAwait(false);
        if (entity is null)
        {
            return null;
        }

        var record = Read(entity);
        var mac = Read(() => entity.GetInt32("Format")) == AuthorityRows.RowFormat ? Read(() => entity.GetString("Mac")) : null;
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

        await authority.ReportAsync(AuthorityRows.RecoveryTokenKind, lookupHash, reason, Unauthorized, cancellationToken).ConfigureAwait(false);
        return null;
    }

    public async Task<WriteOutcome> MarkUsedAsync(RecoveryTokenRecord record, DateTimeOffset usedAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (string.IsNullOrEmpty(record.ETag))
        {
            throw new ArgumentException("MarkUsedAsync needs the record as read (with its ETag).", nameof(record));
        }

        var entity = await EntityAsync(record with { UsedAt = usedAt }, cancellationToken).ConfigureAwait(false);
        return await TableWrites.TryAsync(() => Table.UpdateEntityAsync(entity, new ETag(record.ETag), TableUpdateMode.Replace, cancellationToken)).ConfigureAwait(false);
    }

    public async Task<int> DeleteForUserAsync(string userId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        var count = 0;
        var partition = UserPartitionPrefix + userId;
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition}");
        await foreach (var index in Table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (await TableWrites.TryDeleteAsync(Table, index.RowKey, TokenRow, ETag.All, cancellationToken).ConfigureAwait(false) == WriteOutcome.Written)
            {
                count++;
            }

            await TableWrites.TryDeleteAsync(Table, partition, index.RowKey, ETag.All, cancellationToken).ConfigureAwait(false);
        }

        return count;
    }

    private async Task<TableEntity> EntityAsync(RecoveryTokenRecord record, CancellationToken cancellationToken) => new(record.LookupHash, TokenRow)
    {
        ["Purpose"] = record.Purpose.ToString(),
        ["UserId"] = record.UserId,
        ["EmailLookupKey"] = record.EmailLookupKey,
        ["SecurityStamp"] = record.SecurityStamp,
        ["CreatedAt"] = record.CreatedAt,
        ["ExpiresAt"] = record.ExpiresAt,
        ["UsedAt"] = record.UsedAt,
        ["Mac"] = await authority.SignAsync(record, cancellationToken).ConfigureAwait(false),
        ["Format"] = AuthorityRows.RowFormat,
    };

    private static RecoveryTokenRecord? Read(TableEntity entity)
    {
        var purpose = Read(() => entity.GetString("Purpose"));
        var userId = Read(() => entity.GetString("UserId"));
        var emailKey = Read(() => entity.GetString("EmailLookupKey"));
        var stamp = Read(() => entity.GetString("SecurityStamp"));
        var createdAt = Read(() => entity.GetDateTimeOffset("CreatedAt"));
        var expiresAt = Read(() => entity.GetDateTimeOffset("ExpiresAt"));
        if (!Enum.TryParse<RecoveryPurpose>(purpose, ignoreCase: false, out var parsed) || !Enum.IsDefined(parsed) || int.TryParse(purpose, out _)
            || userId is null || emailKey is null || stamp is null || createdAt is null || expiresAt is null)
        {
            return null;
        }

        return new RecoveryTokenRecord(entity.PartitionKey, parsed, userId, emailKey, stamp, createdAt.Value, expiresAt.Value, Read(() => entity.GetDateTimeOffset("UsedAt")))
        {
            ETag = entity.ETag.ToString(),
        };
    }

    private static T? Read<T>(Func<T?> read)
    {
        try
        {
            return read();
        }
        catch (InvalidOperationException)
        {
            return default; // A column of the wrong type: the SDK refuses to convert it.
        }
    }
}
