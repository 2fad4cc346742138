using Integrations.Core.Common;
using Integrations.Core.Connections;
using Integrations.Core.OutboundWebhooks;
using Integrations.Core.Webhooks;
using Microsoft.Extensions.Options;

namespace Integrations.Core.Tests.OutboundWebhooks;

public sealed class DeliveryRetryPlannerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(0.0, 4_000)] // -20 %
    [InlineData(0.5, 5_000)] // as planned
    [InlineData(0.999_999, 6_000)] // just under +20 %
    public void NextDelay_Jitter_StaysWithinTwentyPercent(double random, long expectedMilliseconds)
    {
        var planner = Planner("0s,5s,5m", random);

        var delay = planner.NextDelay(EndpointRetryPolicy.Default, 1, retryAfter: null, slowDown: false);

        Assert.NotNull(delay);
        Assert.InRange(delay.Value.TotalMilliseconds, expectedMilliseconds - 1, expectedMilliseconds);
    }

    [Fact]
    public void NextDelay_FollowsTheSchedulePerAttempt()
    {
        var planner = Planner("0s,5s,5m,2h", 0.5);

        Assert.Equal(TimeSpan.FromSeconds(5), planner.NextDelay(EndpointRetryPolicy.Default, 1, null, false));
        Assert.Equal(TimeSpan.FromMinutes(5), planner.NextDelay(EndpointRetryPolicy.Default, 2, null, false));
        Assert.Equal(TimeSpan.FromHours(2), planner.NextDelay(EndpointRetryPolicy.Default, 3, null, false));
    }

    [Fact]
    public void NextDelay_AfterTheLastAttempt_IsNull() =>
        Assert.Null(Planner("0s,5s", 0.5).NextDelay(EndpointRetryPolicy.Default, 2, null, false));

    [Fact]
    public void NextDelay_RetryAfterLongerThanTheSchedule_WaitsTheRetryAfter() =>
        Assert.Equal(TimeSpan.FromSeconds(120), Planner("0s,5s", 0.999).NextDelay(EndpointRetryPolicy.Default, 1, TimeSpan.FromSeconds(120), false));

    [Fact]
    public void NextDelay_RetryAfterShorterThanTheSchedule_KeepsTheSchedule() =>
        Assert.Equal(TimeSpan.FromMinutes(5), Planner("0s,5m", 0.5).NextDelay(EndpointRetryPolicy.Default, 1, TimeSpan.FromSeconds(3), false));

    [Fact]
    public void NextDelay_After429OrTimeout_WaitsAtLeastSixtySeconds() =>
        Assert.Equal(DeliveryRetryPlanner.SlowDownFloor, Planner("0s,5s", 0.999).NextDelay(EndpointRetryPolicy.Default, 1, TimeSpan.FromSeconds(2), slowDown: true));

    [Fact]
    public void NextDelay_SlowDownButScheduleLonger_KeepsTheSchedule() =>
        Assert.Equal(TimeSpan.FromMinutes(30), Planner("0s,30m", 0.5).NextDelay(EndpointRetryPolicy.Default, 1, null, slowDown: true));

    [Fact]
    public void NextDelay_RetryAfterBeyondTheQueue_IsCappedBelowAWeek() =>
        Assert.Equal(DeliveryRetryPlanner.MaxQueueDelay, Planner("0s,5s", 0.5).NextDelay(EndpointRetryPolicy.Default, 1, TimeSpan.FromDays(30), false));

    [Fact]
    public void ScheduleFor_NamedStrategy_UsesItsDelaysCappedAtMaxAttempts()
    {
        var planner = Planner("0s,5s,5m,30m", 0.5);

        var schedule = planner.ScheduleFor(new EndpointRetryPolicy("linear_2s", 3));

        Assert.Equal([TimeSpan.Zero, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2)], schedule.Delays);
        Assert.Equal(TimeSpan.FromSeconds(2), planner.NextDelay(new EndpointRetryPolicy("linear_2s", 3), 2, null, false));
        Assert.Null(planner.NextDelay(new EndpointRetryPolicy("linear_2s", 3), 3, null, false));
    }

    [Fact]
    public void ScheduleFor_UnknownStrategy_FallsBackToTheDefault() =>
        Assert.Equal(4, Planner("0s,5s,5m,30m", 0.5).ScheduleFor(new EndpointRetryPolicy("no_such_strategy", null)).Attempts);

    [Fact]
    public void ScheduleFor_MaxAttemptsWithoutStrategy_CutsTheDefault() =>
        Assert.Equal(2, Planner("0s,5s,5m,30m", 0.5).ScheduleFor(new EndpointRetryPolicy(null, 2)).Attempts);

    [Fact]
    public void Constructor_BadSchedule_ThrowsNamingTheSetting()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Planner("0s,later", 0.5));

        Assert.Contains("Webhooks:RetrySchedule", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("120", 120)]
    [InlineData(" 0 ", 0)]
    [InlineData("Mon, 30 Nov 2026 12:01:30 GMT", 90)]
    [InlineData("Monday, 30-Nov-26 12:01:30 GMT", 90)]
    [InlineData("Mon Nov 30 12:01:30 2026", 90)]
    [InlineData("Mon, 30 Nov 2026 11:00:00 GMT", 0)] // in the past: no delay
    public void TryParseRetryAfter_SecondsOrHttpDate_IsTheDelay(string value, int seconds)
    {
        Assert.True(DeliveryRetryPlanner.TryParseRetryAfter(value, Now, out var delay));
        Assert.Equal(TimeSpan.FromSeconds(seconds), delay);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("-5")]
    [InlineData("1.5")]
    public void TryParseRetryAfter_Garbage_IsFalse(string? value) => Assert.False(DeliveryRetryPlanner.TryParseRetryAfter(value, Now, out _));

    [Fact]
    public void TryParseRetryAfter_HugeNumber_IsTheLongestQueueWait()
    {
        Assert.True(DeliveryRetryPlanner.TryParseRetryAfter("99999999999999999999999", Now, out var delay));
        Assert.Equal(RetrySchedule.MaxDelay, delay);
    }

    private static DeliveryRetryPlanner Planner(string schedule, double random) =>
        new(Options.Create(new WebhookOptions { RetrySchedule = schedule }), new LinearStrategies(), new FixedRandom(random));

    /// <summary>What Integrations.Http gives for <c>linear_2s</c>; its real implementation has its own tests there.</summary>
    private sealed class LinearStrategies : IRetryStrategySchedule
    {
        public bool TryGetMaxAttempts(string name, out int maxAttempts)
        {
            maxAttempts = name == "linear_2s" ? 4 : 0;
            return maxAttempts > 0;
        }

        public TimeSpan DelayBefore(string name, int retry, bool withJitter) =>
            name == "linear_2s" ? TimeSpan.FromSeconds(2) : throw new ArgumentException("Unknown strategy.", nameof(name));
    }

    private sealed class FixedRandom(double value) : IRandomSource
    {
        public int Next(int minValue, int maxValue) => minValue;

        public double NextDouble() => value;

        public Guid NewGuid() => Guid.Empty;
    }
}
