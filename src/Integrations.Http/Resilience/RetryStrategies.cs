using Polly;

namespace Integrations.Http.Resilience;

/// <summary>
/// The seed's named retry strategies.
/// <list type="bullet">
/// <item><c>linear_1s</c> … <c>linear_4s</c>: a constant delay of N seconds before every retry (N, N, N …), so the
/// time since the first attempt grows linearly — "linear" names that fixed step. Polly's <c>Linear</c> backoff
/// (N, 2N, 3N …) is deliberately not used: the seed's strategies are fixed cadences. At most 4 attempts.</item>
/// <item><c>exponential_backoff</c>: 1 s, 2 s, 4 s, 8 s … (doubling, capped at 60 s). At most 5 attempts.</item>
/// <item><c>exponential_backoff_jitter</c>: Polly's decorrelated jitter (exponential backoff with <c>UseJitter</c>):
/// the k-th delay (k from 0) lies in [0, 2^(k+1)/1.4 s), and the delays up to and including the k-th add up to
/// between 2^k·tanh(√(4k))/1.4 s and 2^(k+1)/1.4 s, i.e. they track 1 s, 2 s, 4 s … without synchronising callers.
/// Capped at 60 s per delay. At most 5 attempts.</item>
/// </list>
/// A <c>Retry-After</c> on a 429 or 503 replaces the strategy's delay for that retry.
/// </summary>
public static class RetryStrategies
{
    public const string Linear1s = "linear_1s";
    public const string Linear2s = "linear_2s";
    public const string Linear3s = "linear_3s";
    public const string Linear4s = "linear_4s";
    public const string ExponentialBackoff = "exponential_backoff";
    public const string ExponentialBackoffJitter = "exponential_backoff_jitter";

    private static readonly TimeSpan ExponentialCap = TimeSpan.FromSeconds(60);

    /// <summary>Every strategy by name (ordinal, case-sensitive: the names are codes).</summary>
    public static IReadOnlyDictionary<string, RetryStrategy> All { get; } = new Dictionary<string, RetryStrategy>(StringComparer.Ordinal)
    {
        [Linear1s] = Linear(Linear1s, 1),
        [Linear2s] = Linear(Linear2s, 2),
        [Linear3s] = Linear(Linear3s, 3),
        [Linear4s] = Linear(Linear4s, 4),
        [ExponentialBackoff] = new(ExponentialBackoff, DelayBackoffType.Exponential, TimeSpan.FromSeconds(1), UseJitter: false, MaxAttempts: 5, ExponentialCap),
        [ExponentialBackoffJitter] = new(ExponentialBackoffJitter, DelayBackoffType.Exponential, TimeSpan.FromSeconds(1), UseJitter: true, MaxAttempts: 5, ExponentialCap),
    };

    /// <summary>The strategy named <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">No strategy has that name.</exception>
    public static RetryStrategy Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return All.TryGetValue(name, out var strategy)
            ? strategy
            : throw new ArgumentException($"Unknown retry strategy '{name}'; use one of {string.Join(", ", All.Keys)}.", nameof(name));
    }

    private static RetryStrategy Linear(string name, int seconds) =>
        new(name, DelayBackoffType.Constant, TimeSpan.FromSeconds(seconds), UseJitter: false, MaxAttempts: 4, MaxDelay: null);
}
