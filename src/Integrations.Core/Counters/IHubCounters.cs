namespace Integrations.Core.Counters;

/// <summary>
/// Durable counters shared by every instance (connection calls and errors, webhook deliveries by outcome, test-endpoint
/// use). Recording is in memory and never waits on storage: hot paths (the proxy, webhook ingress) cannot pay a write
/// per request, so each instance sums what it records per hour and flushes the sums on a short interval. A reader sees
/// every instance's flushed sums plus its own unflushed ones: another instance's last interval may be missing.
/// </summary>
public interface IHubCounters
{
    /// <summary>Adds <paramref name="delta"/> to counter <paramref name="name"/> of <paramref name="key"/> for the current hour.</summary>
    void Increment(CounterKey key, string name, long delta = 1);

    /// <summary>Records <paramref name="at"/> as the time-valued counter <paramref name="name"/> (the latest one wins).</summary>
    void RecordLatest(CounterKey key, string name, DateTimeOffset at);

    /// <summary>The counters of <paramref name="key"/> from the hour containing <paramref name="since"/> until now.</summary>
    Task<CounterTotals> ReadAsync(CounterKey key, DateTimeOffset since, CancellationToken cancellationToken = default);
}
