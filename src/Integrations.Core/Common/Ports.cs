namespace Integrations.Core.Common;

/// <summary>
/// A lock held by one process across all instances (a blob lease in Azure). Used where work must run once,
/// not once per instance: key rotation, audit sealing.
/// </summary>
public interface IDistributedLock
{
    /// <summary>Acquires <paramref name="name"/> or returns null when another holder has it. The handle renews itself until disposed.</summary>
    Task<IAsyncDisposable?> TryAcquireAsync(string name, CancellationToken cancellationToken = default);
}

/// <summary>Durable work queues (Storage Queues in Azure). A message is processed at least once.</summary>
public interface IJobDispatcher
{
    Task EnqueueAsync(string queueName, string message, CancellationToken cancellationToken = default);
}
