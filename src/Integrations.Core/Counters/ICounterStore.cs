namespace Integrations.Core.Counters;

/// <summary>
/// Storage of counter rows: one row per (key, hour, instance), written only by the instance that owns it. Because no two
/// instances write one row, a write replaces the row with the instance's absolute totals for that hour: no ETag, no
/// read-modify-write, and a repeated write is harmless.
/// </summary>
public interface ICounterStore
{
    /// <summary>Creates or replaces <paramref name="row"/> (its key, hour and instance name the row).</summary>
    Task WriteAsync(CounterRow row, CancellationToken cancellationToken = default);

    /// <summary>Every instance's rows of <paramref name="key"/> for the hours from <paramref name="fromHour"/> (an hour start, UTC) on.</summary>
    IAsyncEnumerable<CounterRow> ReadAsync(CounterKey key, DateTimeOffset fromHour, CancellationToken cancellationToken = default);

    /// <summary>Deletes every row, of any key and instance, for hours before <paramref name="beforeHour"/>; returns how many.</summary>
    Task<int> DeleteBeforeAsync(DateTimeOffset beforeHour, CancellationToken cancellationToken = default);
}
