namespace Integrations.Core.Connections;

/// <summary>
/// The delays of the named retry strategies, for work that waits between attempts itself (a queue message re-sent with a
/// visibility delay) instead of inside one call: direct sends and webhook deliveries. Implemented by Integrations.Http from
/// its one list of strategies, which Core cannot reference, so the delays are never copied; see
/// <see cref="IRetryStrategyCatalog"/> for the names alone.
/// </summary>
public interface IRetryStrategySchedule
{
    /// <summary>The most attempts (the first included) the strategy <paramref name="name"/> allows; false when no strategy has that name.</summary>
    bool TryGetMaxAttempts(string name, out int maxAttempts);

    /// <summary>
    /// How long to wait before retry number <paramref name="retry"/> (1 = the second attempt) under <paramref name="name"/>.
    /// With <paramref name="withJitter"/> a jittered strategy draws its delay; without, every strategy gives its planned
    /// delay (for a caller that adds jitter of its own, as the webhook delivery does).
    /// </summary>
    /// <exception cref="ArgumentException">No strategy has that name.</exception>
    TimeSpan DelayBefore(string name, int retry, bool withJitter);
}
