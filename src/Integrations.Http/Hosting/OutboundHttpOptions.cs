namespace Integrations.Http.Hosting;

/// <summary>
/// Settings of every outbound call (section <c>OutboundHttp</c>), validated at start: a malformed value stops the
/// process with a message naming the setting.
/// </summary>
public sealed class OutboundHttpOptions
{
    public const string SectionName = "OutboundHttp";

    /// <summary>
    /// Networks (CIDR, e.g. <c>10.20.0.0/16</c>, <c>fd00:1::/64</c>) the SSRF guard lets calls reach although they are
    /// private, loopback, link-local or otherwise special. Default empty: only public addresses. Tests list
    /// <c>127.0.0.0/8</c> to reach their loopback servers.
    /// </summary>
    public IList<string> AllowedNetworks { get; } = [];

    /// <summary>Time to open a TCP connection (guard and resolution included). Default 10 s.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Time for one attempt as a whole: connect, send, and read the complete response body. Default 30 s. A call that
    /// retries takes up to this per attempt plus the strategy's delays. A timed-out attempt is a TIMEOUT_ERROR (retried).
    /// </summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Largest response body accepted, after decompression. Default 10 MiB.</summary>
    public long MaxResponseBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>
    /// How long a pooled connection is reused. A new connection resolves and passes the guard again, so this bounds how
    /// long a DNS change takes to be seen. Default 2 minutes.
    /// </summary>
    public TimeSpan PooledConnectionLifetime { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Longest <c>Retry-After</c> a call waits for within itself. A longer one ends the call as RATE_LIMIT_ERROR (or
    /// SERVER_ERROR for a 503) with <c>RetryAfter</c> set, so the caller can reschedule instead of holding a worker.
    /// Default 60 s.
    /// </summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The per-target circuit breaker.</summary>
    public OutboundCircuitBreakerOptions CircuitBreaker { get; set; } = new();
}
