using Integrations.Core.Common;

namespace Integrations.Api.Jobs;

/// <summary>The queue jobs; the Server runs a worker for each, Functions has a QueueTrigger for each, and a test keeps both in step.</summary>
public static class QueueJobs
{
    /// <summary>Key rotations started through the API run here, off the request. A rotation can take minutes, and is resumable.</summary>
    public static QueueJob KeyRotation { get; } =
        new("KeyRotation", JobQueues.KeyRotation, typeof(KeyRotationJob), TimeSpan.FromMinutes(2), QueueRetryPolicy.Standard);

    /// <summary>
    /// One RFC 8628 §3.4 poll per message: a pending answer re-sends the message with the interval as its delay, so polling
    /// survives restarts and runs on whichever instance is free. A crash retries the message (the standard policy); an expired flow ends on its next run.
    /// </summary>
    public static QueueJob DevicePolling { get; } =
        new("DevicePolling", JobQueues.DevicePolling, typeof(DevicePollingJob), TimeSpan.FromSeconds(30), QueueRetryPolicy.Standard);

    /// <summary>
    /// One outbound webhook delivery attempt per message (<c>DeliveryTicket</c>); a failed attempt queues the next with its
    /// delay as visibility. The standard policy retries a job that threw (storage down); after the last try the ticket lands in
    /// the poison queue, which <see cref="DrainWebhookDeliveryPoisonJob"/> drains into failed deliveries.
    /// </summary>
    public static QueueJob WebhookDelivery { get; } =
        new("WebhookDelivery", JobQueues.WebhookDelivery, typeof(WebhookDeliveryJob), TimeSpan.FromMinutes(2), QueueRetryPolicy.Standard);

    /// <summary>
    /// One attempt of a direct send per message: fire-and-forget sends start here, and a failed attempt with attempts left
    /// re-sends the message with the send's backoff as its visibility delay. A crash retries the message (the standard
    /// policy); an attempt already recorded is not made twice.
    /// </summary>
    public static QueueJob OutboundSend { get; } =
        new("OutboundSend", JobQueues.OutboundSend, typeof(OutboundSendJob), TimeSpan.FromSeconds(60), QueueRetryPolicy.Standard);

    public static IReadOnlyList<QueueJob> All { get; } = [KeyRotation, DevicePolling, WebhookDelivery, OutboundSend];
}
