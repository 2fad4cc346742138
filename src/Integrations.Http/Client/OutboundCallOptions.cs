using Integrations.Http.Resilience;

namespace Integrations.Http.Client;

/// <summary>How one outbound call is retried and whose circuit it counts against.</summary>
public sealed record OutboundCallOptions
{
    /// <summary>The defaults: <c>exponential_backoff</c>, its maximum attempts, the request's scheme://host:port as target.</summary>
    public static OutboundCallOptions Default { get; } = new();

    /// <summary>A name from <see cref="RetryStrategies"/>. Default <c>exponential_backoff</c>.</summary>
    public string Strategy { get; init; } = RetryStrategies.ExponentialBackoff;

    /// <summary>Attempts including the first, from 1 (no retry) to the strategy's maximum. Null: the strategy's maximum.</summary>
    public int? MaxAttempts { get; init; }

    /// <summary>
    /// The circuit breaker's key: a connection id, an endpoint id — whatever fails together. Null: the request's
    /// scheme://host:port. Not secret (it is logged), and not per request (each key keeps a breaker).
    /// </summary>
    public string? TargetKey { get; init; }

    /// <summary>This call's per-attempt timeout. Null: <c>OutboundHttp:Timeout</c>.</summary>
    public TimeSpan? AttemptTimeout { get; init; }

    /// <summary>
    /// A smaller cap on this call's response body than <c>OutboundHttp:MaxResponseBytes</c> (e.g. 64 KiB for a token
    /// response, which is small: a larger one is a fault, not a reason to buffer megabytes). Null: the global cap. A
    /// value above the global cap has no effect.
    /// </summary>
    public long? MaxResponseBytes { get; init; }

    /// <summary>
    /// Called before an AUTH_ERROR (401) is retried, with the request about to be sent again: the place to refresh an
    /// access token and replace the Authorization header. Without it the retry repeats the same credentials.
    /// </summary>
    public Func<HttpRequestMessage, CancellationToken, ValueTask>? BeforeAuthRetry { get; init; }
}
