namespace Integrations.Core.Common;

/// <summary>Durable work queues (Storage Queues in Azure). A message is processed at least once.</summary>
public interface IJobDispatcher
{
    /// <summary>Adds <paramref name="message"/> to <paramref name="queue"/>, under the name its setting gives it.</summary>
    Task EnqueueAsync(JobQueueDefinition queue, string message, CancellationToken cancellationToken = default);

    /// <summary>Adds <paramref name="message"/> to <paramref name="queue"/>, invisible to workers until <paramref name="delay"/> has passed (at most 7 days).</summary>
    Task EnqueueAsync(JobQueueDefinition queue, string message, TimeSpan delay, CancellationToken cancellationToken = default);
}
