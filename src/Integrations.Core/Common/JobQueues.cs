namespace Integrations.Core.Common;

/// <summary>The job queues both shells listen on; each names the setting that holds its Storage Queue name.</summary>
public static class JobQueues
{
    public static JobQueueDefinition KeyRotation { get; } = new("key-rotation", "Jobs:Queues:KeyRotation");

    /// <summary>RFC 8628 device authorizations the hub polls for the user: one message per poll, re-sent with the interval as its delay.</summary>
    public static JobQueueDefinition DevicePolling { get; } = new("device-polling", "Jobs:Queues:DevicePolling");

    public static IReadOnlyList<JobQueueDefinition> All { get; } = [KeyRotation, DevicePolling];
}
