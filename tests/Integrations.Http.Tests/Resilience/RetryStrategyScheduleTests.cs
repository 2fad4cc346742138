using Integrations.Core.Common;
using Integrations.Core.OutboundWebhooks;
using Integrations.Http.Resilience;

namespace Integrations.Http.Tests.Resilience;

public sealed class RetryStrategyScheduleTests
{
    private readonly RetryStrategySchedule _schedule = new(SystemRandomSource.Instance);

    [Fact]
    public void DelayBefore_FollowsEachNamedStrategy_AndMaxAttemptsAreTheStrategies()
    {
        var schedule = _schedule;

        Assert.True(schedule.TryGetMaxAttempts("linear_2s", out var linear));
        Assert.True(schedule.TryGetMaxAttempts("exponential_backoff", out var exponential));
        Assert.False(schedule.TryGetMaxAttempts("forever", out _));
        Assert.Equal((4, 5), (linear, exponential));
        Assert.Equal([2, 2, 2], Enumerable.Range(1, 3).Select(r => schedule.DelayBefore("linear_2s", r, withJitter: true).TotalSeconds));
        Assert.Equal([1, 2, 4, 8], Enumerable.Range(1, 4).Select(r => schedule.DelayBefore("exponential_backoff", r, withJitter: true).TotalSeconds));
        Assert.Equal(60, schedule.DelayBefore("exponential_backoff", 20, withJitter: true).TotalSeconds);
        Assert.All(Enumerable.Range(1, 4), r => Assert.InRange(schedule.DelayBefore("exponential_backoff_jitter", r, withJitter: true).TotalSeconds, 0, Math.Pow(2, r) / 1.4));
        Assert.Throws<ArgumentException>(() => schedule.DelayBefore("forever", 1, withJitter: true));
    }

    [Fact]
    public void DelayBefore_JitteredStrategyWithoutJitter_IsTheUnjitteredExponential() =>
        Assert.Equal([1, 2, 4, 8, 60], new[] { 1, 2, 3, 4, 20 }.Select(r => _schedule.DelayBefore("exponential_backoff_jitter", r, withJitter: false).TotalSeconds));

    [Fact]
    public void ForStrategy_Linear_IsAConstantStepWithTheStrategysAttempts() =>
        Assert.Equal([TimeSpan.Zero, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2)],
            RetrySchedule.ForStrategy(_schedule, RetryStrategies.Linear2s, null)!.Delays);

    [Fact]
    public void ForStrategy_Exponential_Doubles() =>
        Assert.Equal([TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(8)],
            RetrySchedule.ForStrategy(_schedule, RetryStrategies.ExponentialBackoff, null)!.Delays);

    [Fact]
    public void ForStrategy_JitteredExponential_GivesTheUnjitteredDelays() =>
        Assert.Equal(RetrySchedule.ForStrategy(_schedule, RetryStrategies.ExponentialBackoff, 5)!.Delays,
            RetrySchedule.ForStrategy(_schedule, RetryStrategies.ExponentialBackoffJitter, 5)!.Delays);

    [Fact]
    public void ForStrategy_MoreAttemptsThanTheStrategy_KeepsItsCap()
    {
        var delays = RetrySchedule.ForStrategy(_schedule, RetryStrategies.ExponentialBackoff, 10)!.Delays;

        Assert.Equal(10, delays.Count);
        Assert.Equal(TimeSpan.FromSeconds(60), delays[^1]);
    }

    [Fact]
    public void ForStrategy_MaxAttempts_CutsTheSchedule() =>
        Assert.Equal(2, RetrySchedule.ForStrategy(_schedule, RetryStrategies.Linear1s, 2)!.Attempts);

    [Fact]
    public void ForStrategy_EveryNamedStrategy_HasASchedule() =>
        Assert.All(RetryStrategies.All.Keys, name => Assert.NotNull(RetrySchedule.ForStrategy(_schedule, name, null)));

    [Fact]
    public void ForStrategy_UnknownName_IsNull() => Assert.Null(RetrySchedule.ForStrategy(_schedule, "fibonacci", null));
}
