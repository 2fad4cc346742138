namespace Integrations.Core.OutboundWebhooks;

/// <summary>
/// The delays of Integrations.Http's named retry strategies (<c>linear_2s</c>, <c>exponential_backoff</c> …) as a delivery
/// schedule, for endpoints whose <see cref="EndpointRetryPolicy.Strategy"/> names one. The strategies live in
/// <c>Integrations.Http/Resilience/RetryStrategies</c>, which Core cannot reference: Integrations.Http implements this port
/// from that one list, so the delays are never copied. The delivery adds its own ±20 % jitter, so a jittered strategy
/// contributes its un-jittered delays.
/// </summary>
public interface IRetryStrategySchedules
{
    /// <summary>
    /// The schedule of <paramref name="strategy"/> (first delay 0) with <paramref name="maxAttempts"/> attempts, or the
    /// strategy's own maximum when null; null when no strategy has that name.
    /// </summary>
    RetrySchedule? Find(string strategy, int? maxAttempts);
}
