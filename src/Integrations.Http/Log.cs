using Microsoft.Extensions.Logging;

namespace Integrations.Http;

/// <summary>
/// Outbound HTTP log events (ids 7000–7099). They name the method, the target's scheme, host and port, the caller's
/// target key, the error class and the HTTP status — never a path, a query, a header or a body, which may carry
/// credentials (a token in a query string, an Authorization header, a client secret in a form body).
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 7001, Level = LogLevel.Warning,
        Message = "Outbound connection to {Host}:{Port} refused by the SSRF guard: {Reason}.")]
    public static partial void TargetRefused(ILogger logger, string host, int port, string reason);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Information,
        Message = "Outbound call to {Authority} (target {TargetKey}) attempt {Attempt} ended with {ErrorCode} (HTTP {Status}); retrying in {Delay} ({Strategy}).")]
    public static partial void RetryScheduled(ILogger logger, string authority, string targetKey, int attempt, string errorCode, int? status, TimeSpan delay, string strategy);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Warning,
        Message = "Outbound {Method} to {Authority} (target {TargetKey}) failed with {ErrorCode} (HTTP {Status}) after {Attempts} attempt(s).")]
    public static partial void CallFailed(ILogger logger, string method, string authority, string targetKey, string errorCode, int? status, int attempts);

    [LoggerMessage(EventId = 7004, Level = LogLevel.Warning,
        Message = "Circuit for outbound target {TargetKey} opened for {BreakDuration} after repeated failures.")]
    public static partial void CircuitOpened(ILogger logger, string targetKey, TimeSpan breakDuration);

    [LoggerMessage(EventId = 7005, Level = LogLevel.Information,
        Message = "Circuit for outbound target {TargetKey} is half-open: the next call is a trial.")]
    public static partial void CircuitHalfOpened(ILogger logger, string targetKey);

    [LoggerMessage(EventId = 7006, Level = LogLevel.Information,
        Message = "Circuit for outbound target {TargetKey} closed.")]
    public static partial void CircuitClosed(ILogger logger, string targetKey);

    [LoggerMessage(EventId = 7007, Level = LogLevel.Debug,
        Message = "Outbound {Method} to {Authority} (target {TargetKey}) answered HTTP {Status} after {Attempts} attempt(s).")]
    public static partial void CallCompleted(ILogger logger, string method, string authority, string targetKey, int status, int attempts);
}
