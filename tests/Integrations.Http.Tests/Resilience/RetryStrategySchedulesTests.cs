using Integrations.Http.Resilience;

namespace Integrations.Http.Tests.Resilience;

public sealed class RetryStrategySchedulesTests
{
    private readonly RetryStrategySchedules _schedules = new();

    [Fact]
    public void Find_Linear_IsAConstantStepWithTheStrategysAttempts() =>
        Assert.Equal([TimeSpan.Zero, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2)], _schedules.Find(RetryStrategies.Linear2s, null)!.Delays);

    [Fact]
    public void Find_Exponential_Doubles() =>
        Assert.Equal([TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(8)],
            _schedules.Find(RetryStrategies.ExponentialBackoff, null)!.Delays);

    [Fact]
    public void Find_JitteredExponential_GivesTheUnjitteredDelays() =>
        Assert.Equal(_schedules.Find(RetryStrategies.ExponentialBackoff, 5)!.Delays, _schedules.Find(RetryStrategies.ExponentialBackoffJitter, 5)!.Delays);

    [Fact]
    public void Find_MoreAttemptsThanTheStrategy_KeepsItsCap()
    {
        var delays = _schedules.Find(RetryStrategies.ExponentialBackoff, 10)!.Delays;

        Assert.Equal(10, delays.Count);
        Assert.Equal(TimeSpan.FromSeconds(60), delays[^1]);
    }

    [Fact]
    public void Find_MaxAttempts_CutsTheSchedule() => Assert.Equal(2, _schedules.Find(RetryStrategies.Linear1s, 2)!.Attempts);

    [Fact]
    public void Find_EveryNamedStrategy_HasASchedule() =>
        Assert.All(RetryStrategies.All.Keys, name => Assert.NotNull(_schedules.Find(name, null)));

    [Fact]
    public void Find_UnknownName_IsNull() => Assert.Null(_schedules.Find("fibonacci", null));
}
