using Integrations.Api.Jobs;
using Microsoft.Azure.Functions.Worker;

namespace Integrations.Functions;

/// <summary>The maintenance timers of OAuth connections and vault secrets (issue 8): what the Server runs as cron services.</summary>
public sealed class MaintenanceFunctions(RefreshTokensAheadJob refreshTokensAhead, CheckClientSecretExpiryJob checkClientSecretExpiry, CheckSecretExpiryJob checkSecretExpiry)
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
}
