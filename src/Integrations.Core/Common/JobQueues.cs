namespace Integrations.Core.Common;

/// <summary>The job queues both shells listen on; each names the setting that holds its Storage Queue name.</summary>
public static class JobQueues
{
    public static JobQueueDefinition KeyRotation { get; } = new("key-rotation", "Jobs:Queues:KeyRotation");

    public static IReadOnlyList<JobQueueDefinition> All { get; } = [KeyRotation];
}
