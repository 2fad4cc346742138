using Microsoft.Extensions.Logging;

namespace Integrations.Http.OAuth;

/// <summary>
/// OAuth protocol log events (ids 7201–7299, next to outbound HTTP's 7001–7099). They name the operation, the grant
/// type, the endpoint's scheme, host and port, the circuit key, the failure class and the provider's OAuth error code —
/// never a token, code, verifier, assertion, secret or <c>error_description</c> (a provider may quote what it was sent).
/// </summary>
internal static partial class OAuthLog
{
    [LoggerMessage(EventId = 7201, Level = LogLevel.Debug,
        Message = "Token request ({GrantType}) to {Authority} (circuit {CircuitKey}) succeeded: refresh token {HasRefreshToken}, expires in {ExpiresIn}.")]
    public static partial void TokenIssued(ILogger logger, string grantType, string authority, string circuitKey, bool hasRefreshToken, TimeSpan? expiresIn);

    [LoggerMessage(EventId = 7202, Level = LogLevel.Warning,
        Message = "OAuth {Operation} to {Authority} (circuit {CircuitKey}) failed: {Kind}, error {Error}, HTTP {Status}.")]
    public static partial void CallFailed(ILogger logger, string operation, string authority, string circuitKey, string kind, string? error, int? status);

    [LoggerMessage(EventId = 7203, Level = LogLevel.Warning,
        Message = "Id token from issuer {Issuer} rejected: {Reason}.")]
    public static partial void IdTokenRejected(ILogger logger, string issuer, string reason);

    [LoggerMessage(EventId = 7204, Level = LogLevel.Information,
        Message = "JWKS {Authority}{Path} fetched ({KeyCount} signing keys); refetch for an unknown key id: {Refetch}.")]
    public static partial void JwksFetched(ILogger logger, string authority, string path, int keyCount, bool refetch);

    [LoggerMessage(EventId = 7205, Level = LogLevel.Debug,
        Message = "OAuth {Operation} to {Authority} (circuit {CircuitKey}) succeeded.")]
    public static partial void CallSucceeded(ILogger logger, string operation, string authority, string circuitKey);
}
