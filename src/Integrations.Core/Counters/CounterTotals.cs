namespace Integrations.Core.Counters;

/// <summary>A subject's counters over a time range, from every instance.</summary>
/// <param name="Counts">Each counter's sum (absent = 0).</param>
/// <param name="Latest">Each time-valued counter's latest value (e.g. the last good delivery).</param>
public sealed record CounterTotals(IReadOnlyDictionary<string, long> Counts, IReadOnlyDictionary<string, DateTimeOffset> Latest)
{
    public static CounterTotals Empty { get; } = new(new Dictionary<string, long>(), new Dictionary<string, DateTimeOffset>());

    public long Count(string name) => Counts.TryGetValue(name, out var value) ? value : 0;

    public DateTimeOffset? LatestOf(string name) => Latest.TryGetValue(name, out var value) ? value : null;
}
