using System.Buffers.Binary;
using Azure;
using Azure.Data.Tables;
using Integrations.Core.Counters;

namespace Integrations.Azure.Tables;

/// <summary>
/// <see cref="IWindowLimiter"/> in the counters table, beside the key's hour rows: PartitionKey as
/// <see cref="TableCounterStore"/>'s, RowKey <c>limit|{name}</c> (sorts after every hour row; counter reads stop
/// before it). The row holds the times of the takes still in the window (<c>Takes</c>, big-endian UTC
/// ticks, at most <c>limit</c> of them); a take reads it, drops what left the window, and writes it back conditional on
/// its ETag (or adds it), retrying on a conflict — so two instances can never both take the last slot. Rows of keys no
/// longer used are removed by the counters' cleanup (by their Timestamp).
/// </summary>
public sealed class TableWindowLimiter(HubTables tables) : IWindowLimiter
{
    /// <summary>Enough for the 8 KiB a 1,000-slot row takes, well under the 64 KiB binary property limit.</summary>
    public const int MaxLimit = 1000;

    private const int MaxAttempts = 10;
    private const string TakesColumn = "Takes";

    private TableClient Table => tables.Counters;

    public async Task<WindowTake> TryTakeAsync(
        CounterKey key, string name, int limit, TimeSpan window, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxLimit);
        if (!HubCounters.IsValidName(name))
        {
            throw new ArgumentException("A limiter name is a counter name: [a-z0-9_], 1–64 characters.", nameof(name));
        }

        var partition = TableCounterStore.Partition(key);
        var row = "limit|" + name;
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var stored = await Table.GetEntityIfExistsAsync<TableEntity>(partition, row, cancellationToken: cancellationToken).ConfigureAwait(false);
            var takes = stored.HasValue ? Read(stored.Value!.GetBinary(TakesColumn)) : [];
            takes.RemoveAll(t => now - t >= window);
            if (takes.Count >= limit)
            {
                var oldest = takes.Min();
                return new WindowTake(false, oldest + window - now);
            }

            takes.Add(now);
            var entity = new TableEntity(partition, row) { [TakesColumn] = Write(takes) };
            try
            {
                if (stored.HasValue)
                {
                    await Table.UpdateEntityAsync(entity, stored.Value!.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await Table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
                }

                return new WindowTake(true, TimeSpan.Zero);
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412)
            {
                // Another take won the write: read again.
            }
        }

        // Contended past any realistic use of a rare action: refuse briefly rather than wait on storage.
        return new WindowTake(false, TimeSpan.FromSeconds(1));
    }

    /// <summary>The <c>Takes</c> column's times (also the login-failure rows' format, <see cref="TableLoginFailureStore"/>).</summary>
    internal static List<DateTimeOffset> Read(byte[]? stored)
    {
        var takes = new List<DateTimeOffset>();
        if (stored is null)
        {
            return takes;
        }

        for (var i = 0; i + 8 <= stored.Length; i += 8)
        {
            var ticks = BinaryPrimitives.ReadInt64BigEndian(stored.AsSpan(i, 8));
            if (ticks >= DateTimeOffset.MinValue.UtcTicks && ticks <= DateTimeOffset.MaxValue.UtcTicks)
            {
                takes.Add(new DateTimeOffset(ticks, TimeSpan.Zero));
            }
        }

        return takes;
    }

    internal static byte[] Write(List<DateTimeOffset> takes)
    {
        var bytes = new byte[takes.Count * 8];
        for (var i = 0; i < takes.Count; i++)
        {
            BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(i * 8, 8), takes[i].UtcTicks);
        }

        return bytes;
    }
}
