using Microsoft.Extensions.Logging;

namespace Integrations.Azure.KeyVault;

/// <summary>
/// Key Vault log events (ids 1101–1199, next to the key ring's 1001–1099). They name the operation, the key id and
/// Key Vault's error code — never a key, a wrapped key or a token.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning,
        Message = "Key Vault {Operation} with {KeyId} failed: HTTP {Status} {ErrorCode}.")]
    public static partial void ErrorResponse(ILogger logger, string operation, string keyId, int status, string? errorCode);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Warning,
        Message = "Key Vault {Operation} with {KeyId} could not be sent or completed.")]
    public static partial void RequestFailed(ILogger logger, string operation, string keyId, Exception exception);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Warning,
        Message = "Key Vault {Operation} with {KeyId} returned HTTP {Status} with a malformed body: {Reason}")]
    public static partial void MalformedResponse(ILogger logger, string operation, string keyId, int status, string reason);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Error,
        Message = "Refused to unwrap with root key id {RootKeyId}: it is not a version of the configured key {KeyId}, so no request was sent.")]
    public static partial void ForeignRootKeyRefused(ILogger logger, string rootKeyId, string keyId);
}
