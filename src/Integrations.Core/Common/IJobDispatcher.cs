namespace Integrations.Core.Common;

/// <summary>Durable work queues (Storage Queues in Azure). A message is processed at least once.</summary>
public interface IJobDispatcher
{
    /// <summary>Adds <paramref name="message"/> to <paramref name="queue"/>, under the name its setting gives it.</summary>
    Task EnqueueAsync(JobQueueDefinition queue, string message, CancellationToken cancellationToken = default);
}
