using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Integrations.Core.Connections;

namespace Integrations.Core.OutboundWebhooks;

/// <summary>
/// The delays of a delivery's attempts: <see cref="Delays"/>[0] before the first attempt, [n] before attempt n + 1; the count
/// is the number of attempts. Parsed from <c>Webhooks:RetrySchedule</c> (<c>0s,5s,5m,30m,2h,5h,10h,10h</c>) or built from a
/// named strategy (<see cref="ForStrategy"/>).
/// </summary>
public sealed class RetrySchedule
{
    /// <summary>A Storage Queue message can be hidden for at most 7 days, and the delay is a message's visibility.</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromDays(7);

    /// <summary>More attempts than this is a typo, not a schedule.</summary>
    public const int MaxAttempts = 100;

    public RetrySchedule(IReadOnlyList<TimeSpan> delays)
    {
        ArgumentNullException.ThrowIfNull(delays);
        if (delays.Count is 0 or > MaxAttempts || delays.Any(d => d < TimeSpan.Zero || d > MaxDelay))
        {
            throw new ArgumentException($"A retry schedule has 1 to {MaxAttempts} delays, each between 0 and 7 days.", nameof(delays));
        }

        Delays = [.. delays];
    }

    public IReadOnlyList<TimeSpan> Delays { get; }

    /// <summary>The number of attempts a delivery gets.</summary>
    public int Attempts => Delays.Count;

    /// <summary>The planned delay before attempt <paramref name="attempt"/> (1-based); null past the last attempt.</summary>
    public TimeSpan? DelayBefore(int attempt) => attempt >= 1 && attempt <= Delays.Count ? Delays[attempt - 1] : null;

    /// <summary>
    /// The schedule of the named strategy <paramref name="name"/> (first delay 0) with <paramref name="maxAttempts"/> attempts,
    /// or the strategy's own maximum when null; null when no strategy has that name. A jittered strategy contributes its
    /// un-jittered delays: the delivery adds ±20 % of its own.
    /// </summary>
    public static RetrySchedule? ForStrategy(IRetryStrategySchedule strategies, string name, int? maxAttempts)
    {
        ArgumentNullException.ThrowIfNull(strategies);
        ArgumentNullException.ThrowIfNull(name);
        if (!strategies.TryGetMaxAttempts(name, out var most))
        {
            return null;
        }

        var attempts = Math.Clamp(maxAttempts ?? most, 1, MaxAttempts);
        var delays = new List<TimeSpan>(attempts) { TimeSpan.Zero };
        for (var retry = 1; retry < attempts; retry++)
        {
            var delay = strategies.DelayBefore(name, retry, withJitter: false);
            delays.Add(delay > MaxDelay ? MaxDelay : delay);
        }

        return new RetrySchedule(delays);
    }

    /// <summary>The first <paramref name="attempts"/> delays (all when the schedule is shorter).</summary>
    public RetrySchedule Take(int attempts) => attempts >= Delays.Count ? this : new RetrySchedule(Delays.Take(Math.Max(1, attempts)).ToList());

    public override string ToString() => string.Join(',', Delays.Select(Format));

    /// <summary>
    /// Parses comma-separated durations: a whole number with a unit (<c>ms</c>, <c>s</c>, <c>m</c>, <c>h</c>, <c>d</c>) or a
    /// <c>[d.]hh:mm:ss</c> time span. On failure <paramref name="error"/> names the entry at fault and the form expected.
    /// </summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out RetrySchedule? schedule, [NotNullWhen(false)] out string? error)
    {
        schedule = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "it is empty";
            return false;
        }

        var entries = text.Split(',', StringSplitOptions.TrimEntries);
        if (entries.Length > MaxAttempts)
        {
            error = $"it lists {entries.Length} attempts; at most {MaxAttempts}";
            return false;
        }

        var delays = new List<TimeSpan>(entries.Length);
        foreach (var entry in entries)
        {
            if (!TryParseDuration(entry, out var delay))
            {
                error = $"'{entry}' is not a duration (use 0s, 5s, 5m, 2h, 1d or hh:mm:ss)";
                return false;
            }

            if (delay > MaxDelay)
            {
                error = $"'{entry}' is longer than 7 days, the longest a queue message can wait";
                return false;
            }

            delays.Add(delay);
        }

        schedule = new RetrySchedule(delays);
        error = null;
        return true;
    }

    /// <summary>One duration: <c>{n}ms|s|m|h|d</c> or a <c>[d.]hh:mm:ss</c> time span; never negative.</summary>
    public static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = default;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        if (text.Contains(':', StringComparison.Ordinal))
        {
            return TimeSpan.TryParseExact(text, ["c"], CultureInfo.InvariantCulture, out duration) && duration >= TimeSpan.Zero;
        }

        var (unit, digits) = text.EndsWith("ms", StringComparison.Ordinal) ? (TimeSpan.FromMilliseconds(1), text[..^2])
            : text[^1] switch
            {
                's' => (TimeSpan.FromSeconds(1), text[..^1]),
                'm' => (TimeSpan.FromMinutes(1), text[..^1]),
                'h' => (TimeSpan.FromHours(1), text[..^1]),
                'd' => (TimeSpan.FromDays(1), text[..^1]),
                _ => (TimeSpan.Zero, string.Empty),
            };
        if (unit == TimeSpan.Zero || digits.Length is 0 or > 9 || !digits.All(char.IsAsciiDigit))
        {
            return false;
        }

        duration = unit * long.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
        return true;
    }

    private static string Format(TimeSpan delay) =>
        delay.Ticks % TimeSpan.TicksPerSecond != 0 ? ((long)delay.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + "ms"
        : delay.Ticks % TimeSpan.TicksPerDay == 0 && delay > TimeSpan.Zero ? ((long)delay.TotalDays).ToString(CultureInfo.InvariantCulture) + "d"
        : delay.Ticks % TimeSpan.TicksPerHour == 0 && delay > TimeSpan.Zero ? ((long)delay.TotalHours).ToString(CultureInfo.InvariantCulture) + "h"
        : delay.Ticks % TimeSpan.TicksPerMinute == 0 && delay > TimeSpan.Zero ? ((long)delay.TotalMinutes).ToString(CultureInfo.InvariantCulture) + "m"
        : ((long)delay.TotalSeconds).ToString(CultureInfo.InvariantCulture) + "s";
}
