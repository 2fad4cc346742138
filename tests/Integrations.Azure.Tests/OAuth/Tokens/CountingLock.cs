using Integrations.Core.Common;

namespace Integrations.Azure.Tests.OAuth.Tokens;

/// <summary>The real distributed lock (a blob lease), counting how often it is asked for.</summary>
public sealed class CountingLock(IDistributedLock inner) : IDistributedLock
{
    private int _attempts;

    public int Attempts => Volatile.Read(ref _attempts);

    public Task<ILockHandle?> TryAcquireAsync(string name, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _attempts);
        return inner.TryAcquireAsync(name, cancellationToken);
    }
}
