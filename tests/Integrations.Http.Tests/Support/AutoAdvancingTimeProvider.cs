using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;

namespace Integrations.Http.Tests.Support;

/// <summary>
/// Fake time that fires every timer shorter than <see cref="AutoAdvanceBelow"/> (the retry delays) as soon as it is
/// created, by moving the clock forward by exactly its due time, and records those due times: a test sees the delays
/// a call waited without sleeping. Longer timers (attempt timeouts, 30 s by default) fire only when the test calls
/// <see cref="FakeTimeProvider.Advance"/>.
/// </summary>
internal sealed class AutoAdvancingTimeProvider : FakeTimeProvider
{
    private readonly ConcurrentQueue<TimeSpan> _delays = new();

    public AutoAdvancingTimeProvider(TimeSpan? autoAdvanceBelow = null)
        : base(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero))
    {
        AutoAdvanceBelow = autoAdvanceBelow ?? TimeSpan.FromSeconds(25);
    }

    public TimeSpan AutoAdvanceBelow { get; }

    /// <summary>The due times of the timers that were fired automatically, in order.</summary>
    public IReadOnlyList<TimeSpan> Delays => [.. _delays];

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        if (dueTime > TimeSpan.Zero && dueTime < AutoAdvanceBelow)
        {
            _delays.Enqueue(dueTime);
            // Off the caller's stack: the timer is registered already, and Advance runs its callback.
            ThreadPool.QueueUserWorkItem(_ => Advance(dueTime));
        }

        return timer;
    }
}
