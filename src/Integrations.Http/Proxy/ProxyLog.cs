using Microsoft.Extensions.Logging;

namespace Integrations.Http.Proxy;

/// <summary>
/// Proxy transport log events (ids 7100–7119). Like <c>Log</c> (7000–7099) they name the method, the upstream's
/// scheme, host and port, the circuit key, a class and a status — never a path, a query, a header or a body: a
/// proxied request carries a credential, and its path and query may too.
/// </summary>
internal static partial class ProxyLog
{
    [LoggerMessage(EventId = 7101, Level = LogLevel.Debug,
        Message = "Proxy {Method} to {Authority} (connection {CircuitKey}) answered HTTP {Status} after {Attempts} attempt(s).")]
    public static partial void Completed(ILogger logger, string method, string authority, string circuitKey, int status, int attempts);

    [LoggerMessage(EventId = 7102, Level = LogLevel.Warning,
        Message = "Proxy {Method} to {Authority} (connection {CircuitKey}) got no response: {ErrorCode} after {Attempts} attempt(s).")]
    public static partial void Failed(ILogger logger, string method, string authority, string circuitKey, string errorCode, int attempts);

    [LoggerMessage(EventId = 7103, Level = LogLevel.Information,
        Message = "Proxy {Method} to {Authority} (connection {CircuitKey}) answered 401; retrying once with refreshed credentials.")]
    public static partial void RetryingWithRefreshedCredentials(ILogger logger, string method, string authority, string circuitKey);

    [LoggerMessage(EventId = 7104, Level = LogLevel.Debug,
        Message = "Proxy {Method} to {Authority} (connection {CircuitKey}): the request body is larger than {MaxBufferedBytes} bytes, so it is streamed once and not retried.")]
    public static partial void BodyNotReplayable(ILogger logger, string method, string authority, string circuitKey, long maxBufferedBytes);
}
