using Integrations.Core.OutboundWebhooks;
using Polly;

namespace Integrations.Http.Resilience;

/// <summary>
/// <see cref="IRetryStrategySchedules"/> from <see cref="RetryStrategies"/>: the k-th retry waits the strategy's base delay
/// (constant) or base·2^(k−1) (exponential), capped at its maximum delay. A jittered strategy gives its un-jittered delays:
/// the delivery adds ±20 % of its own. The attempts are the endpoint's maximum, or the strategy's when it has none.
/// </summary>
public sealed class RetryStrategySchedules : IRetryStrategySchedules
{
    public RetrySchedule? Find(string strategy, int? maxAttempts)
    {
        ArgumentNullException.ThrowIfNull(strategy);
        if (!RetryStrategies.All.TryGetValue(strategy, out var named))
        {
            return null;
        }

        var attempts = Math.Clamp(maxAttempts ?? named.MaxAttempts, 1, RetrySchedule.MaxAttempts);
        var delays = new List<TimeSpan>(attempts) { TimeSpan.Zero };
        for (var retry = 1; retry < attempts; retry++)
        {
            var delay = named.BackoffType == DelayBackoffType.Exponential
                ? TimeSpan.FromTicks((long)Math.Min(named.BaseDelay.Ticks * Math.Pow(2, retry - 1), RetrySchedule.MaxDelay.Ticks))
                : named.BackoffType == DelayBackoffType.Linear ? named.BaseDelay * retry : named.BaseDelay;
            if (named.MaxDelay is { } cap && delay > cap)
            {
                delay = cap;
            }

            delays.Add(delay > RetrySchedule.MaxDelay ? RetrySchedule.MaxDelay : delay);
        }

        return new RetrySchedule(delays);
    }
}
