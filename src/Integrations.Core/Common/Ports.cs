namespace Integrations.Core.Common;

/// <summary>
/// A lock held by one process across all instances (a blob lease in Azure). Used where work must run once,
/// not once per instance: key rotation, audit sealing.
/// </summary>
public interface IDistributedLock
{
    /// <summary>Acquires <paramref name="name"/> or returns null when another holder has it. The handle renews itself until disposed.</summary>
    Task<ILockHandle?> TryAcquireAsync(string name, CancellationToken cancellationToken = default);
}

/// <summary>A held lock. Work done under it stops when <see cref="Lost"/> fires: another holder may have it now.</summary>
public interface ILockHandle : IAsyncDisposable
{
    CancellationToken Lost { get; }
}

/// <summary>Durable work queues (Storage Queues in Azure). A message is processed at least once.</summary>
public interface IJobDispatcher
{
    /// <summary>Adds <paramref name="message"/> to <paramref name="queue"/>, under the name its setting gives it.</summary>
    Task EnqueueAsync(JobQueueDefinition queue, string message, CancellationToken cancellationToken = default);
}

/// <summary>The storage account as a whole: creates what the hub needs at start and answers readiness probes.</summary>
public interface IHubStorage
{
    /// <summary>Creates tables, queues and containers that do not exist yet (idempotent).</summary>
    Task InitializeAsync(CancellationToken cancellationToken = default);

    /// <summary>Throws when storage cannot be reached.</summary>
    Task CheckAsync(CancellationToken cancellationToken = default);
}

/// <summary>The job queues both shells listen on; each names the setting that holds its Storage Queue name.</summary>
public static class JobQueues
{
    public static JobQueueDefinition KeyRotation { get; } = new("key-rotation", "Jobs:Queues:KeyRotation");

    public static IReadOnlyList<JobQueueDefinition> All { get; } = [KeyRotation];
}
