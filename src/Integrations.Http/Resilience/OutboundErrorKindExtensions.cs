namespace Integrations.Http.Resilience;

public static class OutboundErrorKindExtensions
{
    /// <summary>The stable code of <paramref name="kind"/>, e.g. <c>AUTH_ERROR</c>.</summary>
    public static string Code(this OutboundErrorKind kind) => kind switch
    {
        OutboundErrorKind.Auth => "AUTH_ERROR",
        OutboundErrorKind.RateLimit => "RATE_LIMIT_ERROR",
        OutboundErrorKind.Network => "NETWORK_ERROR",
        OutboundErrorKind.Timeout => "TIMEOUT_ERROR",
        OutboundErrorKind.Server => "SERVER_ERROR",
        OutboundErrorKind.Permission => "PERMISSION_ERROR",
        OutboundErrorKind.NotFound => "NOT_FOUND_ERROR",
        OutboundErrorKind.Validation => "VALIDATION_ERROR",
        OutboundErrorKind.Client => "CLIENT_ERROR",
        OutboundErrorKind.TargetRefused => "TARGET_REFUSED",
        OutboundErrorKind.ResponseTooLarge => "RESPONSE_TOO_LARGE",
        OutboundErrorKind.CircuitOpen => "CIRCUIT_OPEN",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown outbound error kind."),
    };

    /// <summary>Whether the retry strategies try again after an attempt that ended this way.</summary>
    public static bool IsRetried(this OutboundErrorKind kind) => kind is
        OutboundErrorKind.Auth or OutboundErrorKind.RateLimit or OutboundErrorKind.Network or OutboundErrorKind.Timeout or OutboundErrorKind.Server;

    /// <summary>Whether an attempt that ended this way counts against its target's circuit breaker.</summary>
    public static bool CountsAgainstTarget(this OutboundErrorKind kind) => kind is
        OutboundErrorKind.Network or OutboundErrorKind.Timeout or OutboundErrorKind.Server;
}
