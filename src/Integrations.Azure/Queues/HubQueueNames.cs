namespace Integrations.Azure.Queues;

/// <summary>Maps a job queue to its Storage Queue name.</summary>
public sealed class HubQueueNames(string prefix)
{
    public string For(string queueName) => $"{prefix}-{queueName}";
}
