namespace Integrations.Http.Resilience;

/// <summary>
/// Why an outbound call failed. <see cref="OutboundErrorKindExtensions.Code"/> gives the stable code (AUTH_ERROR …)
/// and <see cref="OutboundErrorKindExtensions.IsRetried"/> whether the retry strategies try again.
/// </summary>
public enum OutboundErrorKind
{
    /// <summary>AUTH_ERROR, HTTP 401. Retried: the taxonomy retries it because the OAuth feature refreshes the
    /// token before the retry (<c>OutboundCallOptions.BeforeAuthRetry</c>); without a refresh the retry repeats the call.</summary>
    Auth,

    /// <summary>RATE_LIMIT_ERROR, HTTP 429. Retried, after the response's <c>Retry-After</c> when it gives one.</summary>
    RateLimit,

    /// <summary>NETWORK_ERROR: the connection could not be made or broke (refused, reset, name not found). Retried.</summary>
    Network,

    /// <summary>TIMEOUT_ERROR: the attempt did not complete within its timeout, or the server answered 408. Retried.</summary>
    Timeout,

    /// <summary>SERVER_ERROR, HTTP 5xx. Retried (honouring <c>Retry-After</c> on a 503).</summary>
    Server,

    /// <summary>PERMISSION_ERROR, HTTP 403. Not retried.</summary>
    Permission,

    /// <summary>NOT_FOUND_ERROR, HTTP 404 or 410. Not retried.</summary>
    NotFound,

    /// <summary>VALIDATION_ERROR, HTTP 400 or 422. Not retried.</summary>
    Validation,

    /// <summary>CLIENT_ERROR: any other 4xx (405, 409, 413 …). Not retried.</summary>
    Client,

    /// <summary>TARGET_REFUSED: the SSRF guard refused the target. Never retried, and sends no byte.</summary>
    TargetRefused,

    /// <summary>RESPONSE_TOO_LARGE: the body exceeds <c>OutboundHttp:MaxResponseBytes</c>. Not retried.</summary>
    ResponseTooLarge,

    /// <summary>CIRCUIT_OPEN: this target's circuit is open after repeated failures; nothing was sent. Not retried.</summary>
    CircuitOpen,
}
