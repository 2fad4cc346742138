namespace Integrations.Core.Common;

/// <summary>Durable work queues (Storage Queues in Azure). A message is processed at least once.</summary>
public interface IJobDispatcher
{
    Task EnqueueAsync(string queueName, string message, CancellationToken cancellationToken = default);
}
