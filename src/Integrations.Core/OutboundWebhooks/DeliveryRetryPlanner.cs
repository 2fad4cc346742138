using System.Globalization;
using Integrations.Core.Common;
using Integrations.Core.Connections;
using Integrations.Core.Webhooks;
using Microsoft.Extensions.Options;

namespace Integrations.Core.OutboundWebhooks;

/// <summary>
/// When a failed delivery attempt is tried again: the endpoint's schedule (<c>Webhooks:RetrySchedule</c>, or its named
/// strategy capped at its <see cref="EndpointRetryPolicy.MaxAttempts"/>), each delay ±<see cref="JitterRatio"/> so that a
/// receiver coming back is not hit by every delivery at the same second, never sooner than the receiver's <c>Retry-After</c>,
/// and at least <see cref="SlowDownFloor"/> after a 429 or a timeout (a receiver that is overloaded needs room).
/// </summary>
public sealed class DeliveryRetryPlanner
{
    /// <summary>Each planned delay is moved by up to this share either way.</summary>
    public const double JitterRatio = 0.2;

    /// <summary>The least a delivery waits after a 429 or a timeout.</summary>
    public static readonly TimeSpan SlowDownFloor = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The longest a retry waits: a queue message's visibility must stay below its time to live (7 days by default), so a week
    /// less an hour.
    /// </summary>
    public static readonly TimeSpan MaxQueueDelay = RetrySchedule.MaxDelay - TimeSpan.FromHours(1);

    private readonly RetrySchedule _default;
    private readonly IRetryStrategySchedule _strategies;
    private readonly IRandomSource _random;

    public DeliveryRetryPlanner(IOptions<WebhookOptions> options, IRetryStrategySchedule strategies, IRandomSource random)
    {
        ArgumentNullException.ThrowIfNull(options);
        // Validated at start (RetryScheduleValidator): a bad value never gets this far.
        _default = RetrySchedule.TryParse(options.Value.RetrySchedule, out var schedule, out var error)
            ? schedule
            : throw new OptionsValidationException(WebhookOptions.SectionName, typeof(WebhookOptions), [RetryScheduleValidator.Message(error)]);
        _strategies = strategies;
        _random = random;
    }

    /// <summary>The schedule <c>Webhooks:RetrySchedule</c> gives.</summary>
    public RetrySchedule Default => _default;

    /// <summary>The schedule of an endpoint with <paramref name="policy"/>.</summary>
    public RetrySchedule ScheduleFor(EndpointRetryPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (policy.Strategy is { } strategy && RetrySchedule.ForStrategy(_strategies, strategy, policy.MaxAttempts) is { } named)
        {
            return named;
        }

        // No strategy (or one no longer known: the endpoint keeps being delivered on the default): the default schedule,
        // cut to the endpoint's maximum when it has one.
        return policy.MaxAttempts is { } max ? _default.Take(max) : _default;
    }

    /// <summary>
    /// The delay before the attempt after <paramref name="attemptMade"/> (1-based) failed, or null when that was the last.
    /// </summary>
    /// <param name="retryAfter">The receiver's <c>Retry-After</c>, when it sent one.</param>
    /// <param name="slowDown">The attempt got a 429 or timed out.</param>
    public TimeSpan? NextDelay(EndpointRetryPolicy policy, int attemptMade, TimeSpan? retryAfter, bool slowDown)
    {
        if (ScheduleFor(policy).DelayBefore(attemptMade + 1) is not { } planned)
        {
            return null;
        }

        // Uniform in [-20 %, +20 %].
        var factor = 1 + (((_random.NextDouble() * 2) - 1) * JitterRatio);
        var delay = TimeSpan.FromTicks((long)(planned.Ticks * factor));
        if (retryAfter is { } asked && asked > delay)
        {
            delay = asked;
        }

        if (slowDown && delay < SlowDownFloor)
        {
            delay = SlowDownFloor;
        }

        return delay > MaxQueueDelay ? MaxQueueDelay : delay;
    }

    /// <summary>
    /// Reads a <c>Retry-After</c> value (RFC 9110 §10.2.3): delay-seconds, or an HTTP-date taken relative to
    /// <paramref name="now"/> (a date in the past is no delay). False for anything else.
    /// </summary>
    public static bool TryParseRetryAfter(string? value, DateTimeOffset now, out TimeSpan delay)
    {
        delay = TimeSpan.Zero;
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        if (text.All(char.IsAsciiDigit))
        {
            // Anything beyond the queue's 7 days is capped later; long.TryParse bounds absurd lengths.
            if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            {
                seconds = long.MaxValue;
            }

            delay = seconds >= (long)RetrySchedule.MaxDelay.TotalSeconds ? RetrySchedule.MaxDelay : TimeSpan.FromSeconds(seconds);
            return true;
        }

        // IMF-fixdate is "r"; RFC 850 and asctime dates are obsolete but still to be accepted (§5.6.7).
        if (DateTimeOffset.TryParseExact(text, ["r", "dddd, dd-MMM-yy HH:mm:ss 'GMT'", "ddd MMM d HH:mm:ss yyyy"], CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AllowInnerWhite | DateTimeStyles.AssumeUniversal, out var date))
        {
            delay = date > now ? date - now : TimeSpan.Zero;
            return true;
        }

        return false;
    }
}
