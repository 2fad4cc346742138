namespace Integrations.Core.Counters;

/// <summary>One instance's counters of one key for one hour: what a flush writes and a read sums.</summary>
/// <param name="Key">What is counted.</param>
/// <param name="Hour">The start of the hour (UTC, whole hour).</param>
/// <param name="InstanceId">The process that counted (random per process start).</param>
/// <param name="Counts">Each counter's total in the hour, on that instance.</param>
/// <param name="Latest">Each time-valued counter's latest value recorded in the hour, on that instance.</param>
public sealed record CounterRow(
    CounterKey Key, DateTimeOffset Hour, string InstanceId, IReadOnlyDictionary<string, long> Counts, IReadOnlyDictionary<string, DateTimeOffset> Latest);
