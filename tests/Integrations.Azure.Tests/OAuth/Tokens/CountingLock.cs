using Integrations.Core.Common;

namespace Integrations.Azure.Tests.OAuth.Tokens;

/// <summary>The real distributed lock (a blob lease), counting how often it is asked for.</summary>
public sealed class CountingLock(IDistributedLock inner) : IDistributedLock
{
    private int _attempts;

    public int Attempts => Volatile.Read(ref _attempts);

    /// <summary>Holds every acquisition back this long: the instance reaches the lock late, after another's refresh.</summary>
    public TimeSpan Latency { get; set; }

    public async Task<ILockHandle?> TryAcquireAsync(string name, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _attempts);
        if (Latency > TimeSpan.Zero)
        {
            await Task.Delay(Latency, cancellationToken);
        }

        return await inner.TryAcquireAsync(name, cancellationToken);
    }
}
