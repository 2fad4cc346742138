namespace Integrations.Core.Connections.Proxy;

/// <summary>
/// One request for <see cref="IProxyTransport"/>: where, what, with which credential, and how hard to try.
/// <see cref="ToString"/> names only the method, the upstream's scheme, host and port, and the circuit key: the
/// credential headers, the path and the query (which may carry an API key) never print.
/// </summary>
public sealed record ProxyRequest
{
    /// <summary>Default <see cref="MaxBufferedBodyBytes"/>: 1 MiB.</summary>
    public const long DefaultMaxBufferedBodyBytes = 1024 * 1024;

    /// <summary>The HTTP method, any token (GET, POST, PROPFIND …).</summary>
    public required string Method { get; init; }

    /// <summary>The absolute upstream URI (<see cref="ProxyPathResult.Target"/>, plus a query credential if the connection puts one there).</summary>
    public required Uri Target { get; init; }

    /// <summary>
    /// The caller's headers and the connection's default headers. The transport filters them again with
    /// <see cref="ProxyHeaders.ForRequest"/>, so a caller's Authorization or a hop-by-hop header cannot get through.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    /// <summary>The injected credential (Authorization, an API-key header …); replaced by <see cref="RefreshCredentials"/> on a 401.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> CredentialHeaders { get; init; } = [];

    /// <summary>The request body, or null. Read once by the transport; the caller keeps ownership.</summary>
    public Stream? Body { get; init; }

    /// <summary>The body's declared length (the caller's Content-Length), when known; null sends it chunked.</summary>
    public long? BodyLength { get; init; }

    /// <summary>
    /// Bodies up to this size are buffered so an attempt can be re-sent; a larger body is streamed once and the
    /// request is not retried (neither for transient errors nor for a 401). Default 1 MiB.
    /// </summary>
    public long MaxBufferedBodyBytes { get; init; } = DefaultMaxBufferedBodyBytes;

    /// <summary>The circuit breaker's key: the connection id.</summary>
    public required string CircuitKey { get; init; }

    /// <summary>A named retry strategy of Integrations.Http (<c>exponential_backoff</c>, <c>linear_2s</c> …).</summary>
    public string RetryStrategy { get; init; } = "exponential_backoff";

    /// <summary>Attempts including the first: the connection's retries + 1 (capped at the strategy's maximum). The 401 retry is not counted here.</summary>
    public int MaxAttempts { get; init; } = Connection.DefaultRetries + 1;

    /// <summary>Per-attempt timeout up to the response headers (the connection's timeout). The body then streams for as long as the caller reads.</summary>
    public TimeSpan AttemptTimeout { get; init; } = Connection.DefaultTimeout;

    /// <summary>Called once on a 401 for replacement credential headers; null: a 401 is returned as it is.</summary>
    public ProxyCredentialRefresh? RefreshCredentials { get; init; }

    public override string ToString() =>
        $"ProxyRequest {{ Method = {Method}, Upstream = {Target.GetComponents(UriComponents.SchemeAndServer, UriFormat.UriEscaped)}, CircuitKey = {CircuitKey} }}";
}
