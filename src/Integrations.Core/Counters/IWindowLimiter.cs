namespace Integrations.Core.Counters;

/// <summary>
/// A limit shared by every instance: at most <c>limit</c> takes of a key's named slot in any <c>window</c> (a sliding
/// window, exact across instances — each take is a conditional write). For rare, user-facing actions (a connection's
/// test request), not hot paths: a take costs a storage read and write.
/// </summary>
public interface IWindowLimiter
{
    /// <summary>Takes one slot at <paramref name="now"/>, or says how long until one frees.</summary>
    Task<WindowTake> TryTakeAsync(CounterKey key, string name, int limit, TimeSpan window, DateTimeOffset now, CancellationToken cancellationToken = default);
}

/// <summary>The answer of <see cref="IWindowLimiter.TryTakeAsync"/>.</summary>
/// <param name="Taken">Whether a slot was taken.</param>
/// <param name="RetryAfter">When not taken: how long until the oldest take leaves the window.</param>
public readonly record struct WindowTake(bool Taken, TimeSpan RetryAfter);
