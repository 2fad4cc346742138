using Azure.Storage.Queues.Models;
using Integrations.Api.Jobs;
using Microsoft.Azure.Functions.Worker;

namespace Integrations.Functions;

/// <summary>
/// The background jobs as triggers: what the Server runs as hosted services. Timer schedules and queue names come
/// from the same settings (<see cref="ScheduledJobs"/>, <see cref="QueueJobs"/>), which the Functions host resolves
/// from app settings (<c>%Jobs:Queues:KeyRotation%</c> is the app setting <c>Jobs__Queues__KeyRotation</c>).
/// </summary>
public sealed class JobFunctions(SealAuditLogJob sealAuditLog, CleanupAuditLogJob cleanupAuditLog, ScheduledKeyRotationJob keyRotationSchedule, CleanupApiKeysJob cleanupApiKeys, PurgeDeletedSecretsJob purgeDeletedSecrets,
    CleanupOAuthStatesJob cleanupOAuthStates, CleanupWebhookIdempotencyJob cleanupWebhookIdempotency, DrainWebhookDeliveryPoisonJob drainWebhookDeliveryPoison,
    RecoverWebhookFanOutJob recoverWebhookFanOut, QueueJobRunner queueJobs)
{
    [Function("SealAuditLog")]
    public Task SealAuditLog([TimerTrigger("%Audit:SealSchedule%")] TimerInfo timer, CancellationToken cancellationToken) =>
        sealAuditLog.RunAsync(cancellationToken);

    [Function("CleanupAuditLog")]
    public Task CleanupAuditLog([TimerTrigger("%Audit:CleanupSchedule%")] TimerInfo timer, CancellationToken cancellationToken) =>
        cleanupAuditLog.RunAsync(cancellationToken);

    [Function("RotateKeysOnSchedule")]
    public Task RotateKeysOnSchedule([TimerTrigger("%KeyWrapping:RotationCheckSchedule%")] TimerInfo timer, CancellationToken cancellationToken) =>
        keyRotationSchedule.RunAsync(cancellationToken);

    [Function("CleanupApiKeys")]
    public Task CleanupApiKeys([TimerTrigger("%Hub:ApiKeyCleanupSchedule%")] TimerInfo timer, CancellationToken cancellationToken) =>
        cleanupApiKeys.RunAsync(cancellationToken);

    [Function("PurgeDeletedSecrets")]
    public Task PurgeDeletedSecrets([TimerTrigger("%Vault:PurgeSchedule%")] TimerInfo timer, CancellationToken cancellationToken) =>
        purgeDeletedSecrets.RunAsync(cancellationToken);

    [Function("CleanupOAuthStates")]
    public Task CleanupOAuthStates([TimerTrigger("%OAuth:StateCleanupSchedule%")] TimerInfo timer, CancellationToken cancellationToken) =>
        cleanupOAuthStates.RunAsync(cancellationToken);

    [Function("CleanupWebhookIdempotency")]
    public Task CleanupWebhookIdempotency([TimerTrigger("%Webhooks:CleanupSchedule%")] TimerInfo timer, CancellationToken cancellationToken) =>
        cleanupWebhookIdempotency.RunAsync(cancellationToken);

    [Function("DrainWebhookDeliveryPoison")]
    public Task DrainWebhookDeliveryPoison([TimerTrigger("%Webhooks:PoisonDrainSchedule%")] TimerInfo timer, CancellationToken cancellationToken) =>
        drainWebhookDeliveryPoison.RunAsync(cancellationToken);

    [Function("RecoverWebhookFanOut")]
    public Task RecoverWebhookFanOut([TimerTrigger("%Webhooks:FanOutRecoverySchedule%")] TimerInfo timer, CancellationToken cancellationToken) =>
        recoverWebhookFanOut.RunAsync(cancellationToken);

    // Messages are base64 (StorageQueueDispatcher), the trigger's default encoding. When the runner throws on the last
    // attempt (host.json maxDequeueCount = the job's MaxAttempts) it has recorded why; the host then moves the
    // message to {queue}-poison.
    [Function("KeyRotation")]
    public Task KeyRotation([QueueTrigger("%Jobs:Queues:KeyRotation%", Connection = "Storage")] QueueMessage message, CancellationToken cancellationToken) =>
        queueJobs.RunAsync(QueueJobs.KeyRotation, ToJobMessage(message), cancellationToken);

    [Function("DevicePolling")]
    public Task DevicePolling([QueueTrigger("%Jobs:Queues:DevicePolling%", Connection = "Storage")] QueueMessage message, CancellationToken cancellationToken) =>
        queueJobs.RunAsync(QueueJobs.DevicePolling, ToJobMessage(message), cancellationToken);

    [Function("WebhookDelivery")]
    public Task WebhookDelivery([QueueTrigger("%Jobs:Queues:WebhookDelivery%", Connection = "Storage")] QueueMessage message, CancellationToken cancellationToken) =>
        queueJobs.RunAsync(QueueJobs.WebhookDelivery, ToJobMessage(message), cancellationToken);

    private static QueueJobMessage ToJobMessage(QueueMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new(message.MessageId, message.Body.ToString(), message.DequeueCount, message.InsertedOn);
    }
}
