namespace Integrations.Core.Common;

/// <summary>The job queues both shells listen on; each names the setting that holds its Storage Queue name.</summary>
public static class JobQueues
{
    public static JobQueueDefinition KeyRotation { get; } = new("key-rotation", "Jobs:Queues:KeyRotation");

    /// <summary>RFC 8628 device authorizations the hub polls for the user: one message per poll, re-sent with the interval as its delay.</summary>
    public static JobQueueDefinition DevicePolling { get; } = new("device-polling", "Jobs:Queues:DevicePolling");

    /// <summary>Outbound webhook deliveries: one message per attempt (<c>DeliveryTicket</c>), a retry re-sent with its delay as visibility.</summary>
    public static JobQueueDefinition WebhookDelivery { get; } = new("webhook-delivery", "Jobs:Queues:WebhookDelivery");

    /// <summary>Direct sends (<c>POST …/sends</c>): fire-and-forget sends and the retries of blocking ones.</summary>
    public static JobQueueDefinition OutboundSend { get; } = new("outbound-send", "Jobs:Queues:OutboundSend");

    /// <summary>Every queue that has its queue job (a test keeps this and QueueJobs.All equal).</summary>
    public static IReadOnlyList<JobQueueDefinition> All { get; } = [KeyRotation, DevicePolling, WebhookDelivery, OutboundSend];
}
