using Integrations.Api.Jobs;
using Microsoft.Azure.Functions.Worker;

namespace Integrations.Functions;

/// <summary>The maintenance timers of OAuth connections, vault secrets and people's sessions: what the Server runs as cron services.</summary>
public sealed class MaintenanceFunctions(
    RefreshTokensAheadJob refreshTokensAhead, CheckClientSecretExpiryJob checkClientSecretExpiry, CheckSecretExpiryJob checkSecretExpiry, CleanupUserSessionsJob cleanupUserSessions)
{
    [Function("CheckSecretExpiry")]
    public Task CheckSecretExpiry([TimerTrigger("%Vault:ExpiryCheckSchedule%")] TimerInfo timer, CancellationToken cancellationToken) =>
        checkSecretExpiry.RunAsync(cancellationToken);

    [Function("CheckClientSecretExpiry")]
    public Task CheckClientSecretExpiry([TimerTrigger("%OAuth:ClientSecretExpiryCheckSchedule%")] TimerInfo timer, CancellationToken cancellationToken) =>
        checkClientSecretExpiry.RunAsync(cancellationToken);

    [Function("RefreshTokensAhead")]
    public Task RefreshTokensAhead([TimerTrigger("%OAuth:RefreshAheadSchedule%")] TimerInfo timer, CancellationToken cancellationToken) =>
        refreshTokensAhead.RunAsync(cancellationToken);

    [Function("CleanupUserSessions")]
    public Task CleanupUserSessions([TimerTrigger("%Auth:SessionCleanupSchedule%")] TimerInfo timer, CancellationToken cancellationToken) =>
        cleanupUserSessions.RunAsync(cancellationToken);
}
