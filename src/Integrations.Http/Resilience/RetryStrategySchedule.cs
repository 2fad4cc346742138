using Integrations.Core.Common;
using Integrations.Core.Connections;
using Polly;

namespace Integrations.Http.Resilience;

/// <summary>
/// The delays of <see cref="RetryStrategies"/> for callers that wait between attempts themselves (a queue message's
/// visibility delay): constant strategies wait their step, linear ones step·k, exponential ones double from their base,
/// each capped at the strategy's maximum delay. With jitter, the jittered one draws the k-th delay from
/// [0, 2^(k+1)/1.4 s) as the strategy's own remarks describe; without, it gives its un-jittered exponential delays.
/// </summary>
public sealed class RetryStrategySchedule(IRandomSource random) : IRetryStrategySchedule
{
    public bool TryGetMaxAttempts(string name, out int maxAttempts)
    {
        ArgumentNullException.ThrowIfNull(name);
        var found = RetryStrategies.All.TryGetValue(name, out var strategy);
        maxAttempts = found ? strategy!.MaxAttempts : 0;
        return found;
    }

    public TimeSpan DelayBefore(string name, int retry, bool withJitter)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(retry, 1);
        var strategy = RetryStrategies.Get(name);
        // 2^30 base delays already exceed any cap; a larger exponent would only overflow.
        var exponent = Math.Min(retry - 1, 30);
        var delay = strategy switch
        {
            { BackoffType: DelayBackoffType.Constant } => strategy.BaseDelay,
            { BackoffType: DelayBackoffType.Linear } => strategy.BaseDelay * retry,
            { UseJitter: true } when withJitter => TimeSpan.FromSeconds(random.NextDouble() * Math.Pow(2, exponent + 1) / 1.4),
            _ => strategy.BaseDelay * Math.Pow(2, exponent),
        };
        return strategy.MaxDelay is { } cap && delay > cap ? cap : delay;
    }
}
