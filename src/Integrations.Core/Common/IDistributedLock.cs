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
