using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Integrations.Core.Counters;

namespace Integrations.Azure.Tables;

/// <summary>
/// Durable counters (<see cref="ICounterStore"/>) in their own table.
/// PartitionKey = <c>{org}|{project}|{subject}</c>, each part escaped (a character outside <c>[A-Za-z0-9_.-]</c> becomes
/// <c>~</c> and two hex digits per UTF-8 byte, so <c>|</c> and the characters Table Storage refuses in keys never appear
/// unescaped; hub ids need no escaping): one subject's rows are one partition, so a read never touches another tenant's
/// or subject's rows. RowKey = <c>{hour yyyyMMddHH}|{instance id}</c>: a subject's hours sort in time order, so "since an
/// hour" is one range read, and each instance owns its rows — a flush replaces them with its absolute totals, with no
/// ETag and no contention between instances. Columns: <c>c_{name}</c> (Int64) per count, <c>t_{name}</c> (DateTimeOffset)
/// per time-valued counter. The retention cleanup reads across partitions for RowKeys below the cut-off hour (keys only)
/// and deletes them in per-partition batches. <see cref="TableWindowLimiter"/> keeps its rows (<c>limit|{name}</c>) in
/// the same partitions.
/// </summary>
public sealed class TableCounterStore(HubTables tables) : ICounterStore
{
    private const string CountPrefix = "c_";
    private const string LatestPrefix = "t_";
    private const string HourFormat = "yyyyMMddHH";
    private const int MaxKeyLength = 1024;

    /// <summary>Above every hour row (digits, then '|'), below the limiter's rows.</summary>
    private const string HourRowsEnd = ":";
    private static readonly string[] KeyColumns = ["PartitionKey", "RowKey"];

    private TableClient Table => tables.Counters;

    public Task WriteAsync(CounterRow row, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(row);
        var entity = new TableEntity(Partition(row.Key), Row(row.Hour, row.InstanceId));
        foreach (var (name, value) in row.Counts)
        {
            entity[CountPrefix + name] = value;
        }

        foreach (var (name, value) in row.Latest)
        {
            entity[LatestPrefix + name] = value;
        }

        return Table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
    }

    public async IAsyncEnumerable<CounterRow> ReadAsync(CounterKey key, DateTimeOffset fromHour, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition(key)} and RowKey ge {HourKey(fromHour)} and RowKey lt {HourRowsEnd}");
        await foreach (var entity in Table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (ToRow(key, entity) is { } row)
            {
                yield return row;
            }
        }
    }

    public async Task<int> DeleteBeforeAsync(DateTimeOffset beforeHour, CancellationToken cancellationToken = default)
    {
        // Across partitions, filtered by the service: hour keys sort as times, so older rows have smaller RowKeys. The
        // limiter's rows (TableWindowLimiter, RowKey "limit|…") go when unwritten as long.
        var filter = TableClient.CreateQueryFilter($"RowKey lt {HourKey(beforeHour)} or (RowKey ge {"limit|"} and RowKey lt {"limit}"} and Timestamp lt {beforeHour})");
        var deleted = 0;
        var batch = new List<TableEntity>();
        await foreach (var entity in Table.QueryAsync<TableEntity>(filter, select: KeyColumns, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            // Results come in PartitionKey order: a batch (one partition, ≤ 100) ends where the partition does.
            if (batch.Count == 100 || (batch.Count > 0 && !string.Equals(batch[0].PartitionKey, entity.PartitionKey, StringComparison.Ordinal)))
            {
                deleted += await DeleteAsync(batch, cancellationToken).ConfigureAwait(false);
                batch.Clear();
            }

            batch.Add(entity);
        }

        if (batch.Count > 0)
        {
            deleted += await DeleteAsync(batch, cancellationToken).ConfigureAwait(false);
        }

        return deleted;
    }

    /// <summary>The escaped form of a key part (see the class comment).</summary>
    public static string Escape(string part)
    {
        ArgumentNullException.ThrowIfNull(part);
        if (part.All(IsPlain))
        {
            return part;
        }

        var escaped = new StringBuilder(part.Length * 3);
        Span<byte> utf8 = stackalloc byte[4];
        foreach (var rune in part.EnumerateRunes())
        {
            if (rune.IsAscii && IsPlain((char)rune.Value))
            {
                escaped.Append((char)rune.Value);
                continue;
            }

            var length = rune.EncodeToUtf8(utf8);
            foreach (var b in utf8[..length])
            {
                escaped.Append('~').Append(b.ToString("x2", CultureInfo.InvariantCulture));
            }
        }

        return escaped.ToString();
    }

    internal static string Partition(CounterKey key)
    {
        var partition = Escape(key.OrganizationId) + "|" + Escape(key.ProjectId) + "|" + Escape(key.Subject);
        return partition.Length <= MaxKeyLength
            ? partition
            : throw new ArgumentException($"A counter key is at most {MaxKeyLength} characters once escaped.", nameof(key));
    }

    private static bool IsPlain(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-';

    private static string HourKey(DateTimeOffset hour) => hour.UtcDateTime.ToString(HourFormat, CultureInfo.InvariantCulture);

    private static string Row(DateTimeOffset hour, string instanceId) => HourKey(hour) + "|" + Escape(instanceId);

    private static CounterRow? ToRow(CounterKey key, TableEntity entity)
    {
        var separator = entity.RowKey.IndexOf('|', StringComparison.Ordinal);
        if (separator != HourFormat.Length
            || !DateTime.TryParseExact(entity.RowKey[..separator], HourFormat, CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var hour))
        {
            return null; // Not a row this store wrote.
        }

        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        var latest = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        foreach (var (column, value) in entity)
        {
            if (column.StartsWith(CountPrefix, StringComparison.Ordinal) && value is long count)
            {
                counts[column[CountPrefix.Length..]] = count;
            }
            else if (column.StartsWith(LatestPrefix, StringComparison.Ordinal) && value is DateTimeOffset at)
            {
                latest[column[LatestPrefix.Length..]] = at;
            }
        }

        return new CounterRow(key, new DateTimeOffset(hour, TimeSpan.Zero), entity.RowKey[(separator + 1)..], counts, latest);
    }

    private async Task<int> DeleteAsync(List<TableEntity> batch, CancellationToken cancellationToken)
    {
        try
        {
            await Table.SubmitTransactionAsync(batch.Select(e => new TableTransactionAction(TableTransactionActionType.Delete, e, ETag.All)), cancellationToken)
                .ConfigureAwait(false);
            return batch.Count;
        }
        catch (TableTransactionFailedException ex) when (ex.Status == 404)
        {
            // A row went meanwhile (another cleanup): one by one, where a missing row counts as deleted.
            foreach (var e in batch)
            {
                await Table.DeleteEntityAsync(e.PartitionKey, e.RowKey, ETag.All, cancellationToken).ConfigureAwait(false);
            }

            return batch.Count;
        }
    }
}
