using Integrations.Api.Jobs;
using Microsoft.Azure.Functions.Worker;

namespace Integrations.Functions;

/// <summary>
/// The timers of connection usage and health: what the Server runs as cron services. The counters' flusher is a hosted
/// service in both shells (registered by AddIntegrationsJobs), not a trigger.
/// </summary>
public sealed class UsageFunctions(CleanupCountersJob cleanupCounters, CheckConnectionHealthJob checkConnectionHealth)
{
    [Function("CheckConnectionHealth")]
    public Task CheckConnectionHealth([TimerTrigger("%Connections:HealthCheckSchedule%")] TimerInfo timer, CancellationToken cancellationToken) =>
        checkConnectionHealth.RunAsync(cancellationToken);

    [Function("CleanupCounters")]
    public Task CleanupCounters([TimerTrigger("%Counters:CleanupSchedule%")] TimerInfo timer, CancellationToken cancellationToken) =>
        cleanupCounters.RunAsync(cancellationToken);
}
