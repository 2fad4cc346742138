using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Integrations.Core.Counters;

namespace Integrations.Core.Tests.Counters;

/// <summary>An <see cref="ICounterStore"/> in memory, with a switch that makes writes fail (storage down).</summary>
internal sealed class InMemoryCounterStore : ICounterStore
{
    private readonly ConcurrentDictionary<(CounterKey Key, DateTimeOffset Hour, string Instance), CounterRow> _rows = new();

    public bool FailWrites { get; set; }

    public int Writes;

    public IReadOnlyCollection<CounterRow> Rows => [.. _rows.Values];

    public Task WriteAsync(CounterRow row, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref Writes);
        if (FailWrites)
        {
            throw new IOException("storage unavailable");
        }

        _rows[(row.Key, row.Hour, row.InstanceId)] = row;
        return Task.CompletedTask;
    }

    public async IAsyncEnumerable<CounterRow> ReadAsync(CounterKey key, DateTimeOffset fromHour, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        foreach (var row in _rows.Values.Where(r => r.Key == key && r.Hour >= fromHour))
        {
            yield return row;
        }
    }

    public Task<int> DeleteBeforeAsync(DateTimeOffset beforeHour, CancellationToken cancellationToken = default)
    {
        var old = _rows.Keys.Where(k => k.Hour < beforeHour).ToList();
        old.ForEach(k => _rows.TryRemove(k, out _));
        return Task.FromResult(old.Count);
    }
}
