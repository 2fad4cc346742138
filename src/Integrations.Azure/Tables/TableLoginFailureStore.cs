using Azure;
using Azure.Data.Tables;
using Integrations.Core.Counters;
using Integrations.Core.Identity.Lockout;

namespace Integrations.Azure.Tables;

/// <summary>
/// <see cref="ILoginFailureStore"/> in the counters table, as <see cref="TableWindowLimiter"/> rows (so the counters' cleanup
/// removes a row nobody wrote for <c>Counters:Retention</c>). Keys hold only keyed hashes, never an email or an address:
/// <list type="bullet">
/// <item>an account's rows: PartitionKey <c>hub|login|a-{account hash}</c>; RowKey <c>limit|login_account</c> (all sources) and
/// <c>limit|login_from_{source hash}</c> (one per source that failed on it) and <c>limit|login_report</c> (when failed logins were
/// last reported) — one partition, so a reset is one range query of
/// the account's rows and a batch delete;</item>
/// <item>a source's row across accounts: PartitionKey <c>hub|login|s-{source hash}</c>, RowKey <c>limit|login_source</c>.</item>
/// </list>
/// Columns: <c>Takes</c>, the failures' times (big-endian UTC ticks, ascending, those in the window, at most
/// <see cref="ILoginFailureStore.MaxKept"/>), and <c>Noticed</c> (DateTimeOffset), when the last lock notice was taken. An add
/// reads the row, drops what left the window and writes it back conditional on its ETag (or adds it), retrying on a
/// conflict: no failure is lost to a concurrent one and only one writer can take a notice.
/// </summary>
public sealed class TableLoginFailureStore(HubTables tables) : ILoginFailureStore
{
    private const int MaxAttempts = 20;
    private const string TakesColumn = "Takes";
    private const string NoticedColumn = "Noticed";
    private const string AccountRows = "limit|login_";

    /// <summary>Just above every <see cref="AccountRows"/> RowKey ('`' follows '_').</summary>
    private const string AccountRowsEnd = "limit|login`";

    private static readonly string[] KeyColumns = ["PartitionKey", "RowKey"];

    private TableClient Table => tables.Counters;

    public async Task<LoginFailures> ReadAsync(LoginFailureKey key, TimeSpan window, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var (partition, row) = Locate(key);
        var stored = await Table.GetEntityIfExistsAsync<TableEntity>(partition, row, [TakesColumn], cancellationToken).ConfigureAwait(false);
        return new LoginFailures(InWindow(stored.HasValue ? stored.Value : null, window, now));
    }

    public async Task<LoginFailures> AddAsync(LoginFailureKey key, TimeSpan window, DateTimeOffset now, int? noticeAt = null, CancellationToken cancellationToken = default)
    {
        var (partition, row) = Locate(key);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var stored = await Table.GetEntityIfExistsAsync<TableEntity>(partition, row, cancellationToken: cancellationToken).ConfigureAwait(false);
            var entity = stored.HasValue ? stored.Value : null;
            var takes = InWindow(entity, window, now);
            takes.Add(now);
            takes.Sort();
            if (takes.Count > ILoginFailureStore.MaxKept)
            {
                takes.RemoveRange(0, takes.Count - ILoginFailureStore.MaxKept);
            }

            var noticed = entity?.GetDateTimeOffset(NoticedColumn);
            var takesNotice = noticeAt is { } threshold && takes.Count >= threshold && (noticed is null || now - noticed.Value >= window);
            var written = new TableEntity(partition, row) { [TakesColumn] = TableWindowLimiter.Write(takes) };
            if (takesNotice)
            {
                written[NoticedColumn] = now;
            }
            else if (noticed is { } kept)
            {
                written[NoticedColumn] = kept;
            }

            try
            {
                if (entity is not null)
                {
                    await Table.UpdateEntityAsync(written, entity.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await Table.AddEntityAsync(written, cancellationToken).ConfigureAwait(false);
                }

                return new LoginFailures(takes, takesNotice);
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412)
            {
                // Another failure was counted meanwhile: read again and add to it.
            }
        }

        // Contention this high on one row means an attack in progress: fail the login rather than let an uncounted guess through.
        throw new InvalidOperationException($"A login failure could not be counted after {MaxAttempts} conflicting writes.");
    }

    public async Task ClearAsync(LoginFailureKey key, CancellationToken cancellationToken = default)
    {
        var (partition, row) = Locate(key);
        try
        {
            await Table.DeleteEntityAsync(partition, row, ETag.All, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // Nothing counted: nothing to forget.
        }
    }

    public async Task ClearAccountAsync(string account, CancellationToken cancellationToken = default)
    {
        var partition = AccountPartition(account);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {AccountRows} and RowKey lt {AccountRowsEnd}");
        var batch = new List<TableTransactionAction>();
        await foreach (var entity in Table.QueryAsync<TableEntity>(filter, select: KeyColumns, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            batch.Add(new TableTransactionAction(TableTransactionActionType.Delete, entity, ETag.All));
            if (batch.Count == 100)
            {
                await DeleteAsync(batch, cancellationToken).ConfigureAwait(false);
                batch.Clear();
            }
        }

        if (batch.Count > 0)
        {
            await DeleteAsync(batch, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task DeleteAsync(List<TableTransactionAction> batch, CancellationToken cancellationToken)
    {
        try
        {
            await Table.SubmitTransactionAsync(batch, cancellationToken).ConfigureAwait(false);
        }
        catch (TableTransactionFailedException ex) when (ex.Status == 404)
        {
            // A row went meanwhile (a success cleared its pair): one by one, a missing row counting as cleared.
            foreach (var action in batch)
            {
                try
                {
                    await Table.DeleteEntityAsync(action.Entity.PartitionKey, action.Entity.RowKey, ETag.All, cancellationToken).ConfigureAwait(false);
                }
                catch (RequestFailedException notFound) when (notFound.Status == 404)
                {
                }
            }
        }
    }

    private static List<DateTimeOffset> InWindow(TableEntity? entity, TimeSpan window, DateTimeOffset now)
    {
        var takes = TableWindowLimiter.Read(entity?.GetBinary(TakesColumn));
        takes.RemoveAll(t => now - t >= window || t > now + window);
        takes.Sort();
        return takes;
    }

    private static (string Partition, string Row) Locate(LoginFailureKey key) => key.Scope switch
    {
        LoginFailureScope.AccountSource => (AccountPartition(key.Account), AccountRows + "from_" + Hash(key.Source, nameof(key))),
        LoginFailureScope.Account => (AccountPartition(key.Account), AccountRows + "account"),
        LoginFailureScope.AccountReport => (AccountPartition(key.Account), AccountRows + "report"),
        LoginFailureScope.Source => (TableCounterStore.Partition(new CounterKey("hub", "login", "s-" + Hash(key.Source, nameof(key)))), AccountRows + "source"),
        _ => throw new ArgumentOutOfRangeException(nameof(key), key.Scope, "Unknown login failure scope."),
    };

    private static string AccountPartition(string account) => TableCounterStore.Partition(new CounterKey("hub", "login", "a-" + Hash(account, nameof(account))));

    /// <summary>A hash as the throttle makes them: lower-case hex; anything else is a programming error, not a key to escape.</summary>
    private static string Hash(string value, string parameter) =>
        !string.IsNullOrEmpty(value) && value.Length <= 128 && value.All(char.IsAsciiHexDigitLower)
            ? value
            : throw new ArgumentException("A login failure key part is a keyed hash: 1–128 lower-case hex digits.", parameter);
}
