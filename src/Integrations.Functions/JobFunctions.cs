using Integrations.Api.Jobs;
using Microsoft.Azure.Functions.Worker;

namespace Integrations.Functions;

/// <summary>
/// The background jobs as triggers: what the Server runs as hosted services. Timer schedules come from the same
/// settings (<see cref="ScheduledJobs"/>); the queue name is <c>{Storage:Prefix}-{queue}</c> with the default prefix,
/// spelled out because binding attributes need constants.
/// </summary>
public sealed class JobFunctions(SealAuditLogJob sealAuditLog, CleanupAuditLogJob cleanupAuditLog, KeyRotationJob keyRotation)
{
    [Function("SealAuditLog")]
    public Task SealAuditLog([TimerTrigger("%Audit:SealSchedule%")] TimerInfo timer, CancellationToken cancellationToken) =>
        sealAuditLog.RunAsync(cancellationToken);

    [Function("CleanupAuditLog")]
    public Task CleanupAuditLog([TimerTrigger("%Audit:CleanupSchedule%")] TimerInfo timer, CancellationToken cancellationToken) =>
        cleanupAuditLog.RunAsync(cancellationToken);

    // Messages are base64 (StorageQueueDispatcher), the trigger's default encoding. A message that keeps failing
    // moves to ih-key-rotation-poison after host.json's maxDequeueCount; the rotation itself is resumable.
    [Function("KeyRotation")]
    public Task KeyRotation([QueueTrigger("ih-key-rotation", Connection = "Storage")] string message, CancellationToken cancellationToken) =>
        keyRotation.RunAsync(message, cancellationToken);
}
