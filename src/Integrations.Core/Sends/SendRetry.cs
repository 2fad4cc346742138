using Integrations.Core.Connections;

namespace Integrations.Core.Sends;

/// <summary>
/// How a failed send is tried again: at most <see cref="MaxAttempts"/> attempts (the first included), waiting
/// <see cref="BackoffMs"/> before the second and doubling it before each later one (capped at <see cref="MaxDelay"/>),
/// or the delays of the named <see cref="Strategy"/> of Integrations.Http.
/// </summary>
public sealed record SendRetry(int MaxAttempts, int? BackoffMs, string? Strategy)
{
    public const int DefaultAttempts = 3;

    public const int DefaultBackoffMs = 1000;

    /// <summary>The longest wait between two attempts.</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromHours(1);

    public static SendRetry Default { get; } = new(DefaultAttempts, DefaultBackoffMs, null);

    /// <summary>The wait before attempt <paramref name="nextAttempt"/> (2 or more).</summary>
    public TimeSpan DelayBefore(int nextAttempt, IRetryStrategySchedule? schedules)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(nextAttempt, 2);
        if (Strategy is { } name)
        {
            var delay = (schedules ?? throw new InvalidOperationException("No retry strategy schedule is registered.")).DelayBefore(name, nextAttempt - 1, withJitter: true);
            return delay > MaxDelay ? MaxDelay : delay;
        }

        var backoff = TimeSpan.FromMilliseconds(BackoffMs ?? DefaultBackoffMs);
        // Doubling from the second retry on: backoff, 2×, 4× … (the exponent is small: at most 10 attempts).
        var scaled = backoff * Math.Pow(2, nextAttempt - 2);
        return scaled > MaxDelay ? MaxDelay : scaled;
    }
}
