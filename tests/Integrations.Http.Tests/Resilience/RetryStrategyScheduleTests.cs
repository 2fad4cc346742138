using Integrations.Core.Common;
using Integrations.Http.Resilience;

namespace Integrations.Http.Tests.Resilience;

public sealed class RetryStrategyScheduleTests
{
    [Fact]
    public void DelayBefore_FollowsEachNamedStrategy_AndMaxAttemptsAreTheStrategies()
    {
        var schedule = new RetryStrategySchedule(SystemRandomSource.Instance);

        Assert.True(schedule.TryGetMaxAttempts("linear_2s", out var linear));
        Assert.True(schedule.TryGetMaxAttempts("exponential_backoff", out var exponential));
        Assert.False(schedule.TryGetMaxAttempts("forever", out _));
        Assert.Equal((4, 5), (linear, exponential));
        Assert.Equal([2, 2, 2], Enumerable.Range(1, 3).Select(r => schedule.DelayBefore("linear_2s", r).TotalSeconds));
        Assert.Equal([1, 2, 4, 8], Enumerable.Range(1, 4).Select(r => schedule.DelayBefore("exponential_backoff", r).TotalSeconds));
        Assert.Equal(60, schedule.DelayBefore("exponential_backoff", 20).TotalSeconds);
        Assert.All(Enumerable.Range(1, 4), r => Assert.InRange(schedule.DelayBefore("exponential_backoff_jitter", r).TotalSeconds, 0, Math.Pow(2, r) / 1.4));
        Assert.Throws<ArgumentException>(() => schedule.DelayBefore("forever", 1));
    }
}
