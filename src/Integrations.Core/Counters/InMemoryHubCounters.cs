using System.Collections.Concurrent;

namespace Integrations.Core.Counters;

/// <summary>
/// Counters held in this process only (lost at restart, not shared between instances): the stand-in until the durable
/// implementation is registered, and a test double. Registered with TryAdd, so a durable one registered earlier wins.
/// </summary>
public sealed class InMemoryHubCounters : IHubCounters
{
    private readonly ConcurrentDictionary<(CounterKey Key, string Name), long> _counts = new();
    private readonly ConcurrentDictionary<(CounterKey Key, string Name), DateTimeOffset> _latest = new();

    public void Increment(CounterKey key, string name, long delta = 1) => _counts.AddOrUpdate((key, name), delta, (_, value) => value + delta);

    public void RecordLatest(CounterKey key, string name, DateTimeOffset at) => _latest.AddOrUpdate((key, name), at, (_, value) => at > value ? at : value);

    public Task<CounterTotals> ReadAsync(CounterKey key, DateTimeOffset since, CancellationToken cancellationToken = default) =>
        Task.FromResult(new CounterTotals(
            _counts.Where(c => c.Key.Key == key).ToDictionary(c => c.Key.Name, c => c.Value, StringComparer.Ordinal),
            _latest.Where(c => c.Key.Key == key).ToDictionary(c => c.Key.Name, c => c.Value, StringComparer.Ordinal)));
}
