using Integrations.Core.OutboundWebhooks;
using Integrations.Core.Webhooks;

namespace Integrations.Core.Tests.OutboundWebhooks;

public sealed class RetryScheduleTests
{
    [Fact]
    public void TryParse_TheDefault_IsEightAttemptsFromAtOnceToTenHours()
    {
        Assert.True(RetrySchedule.TryParse(WebhookOptions.DefaultRetrySchedule, out var schedule, out var error), error);

        Assert.Equal(
            [TimeSpan.Zero, TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2), TimeSpan.FromHours(5), TimeSpan.FromHours(10), TimeSpan.FromHours(10)],
            schedule.Delays);
        Assert.Equal(8, schedule.Attempts);
    }

    [Theory]
    [InlineData("0s", 0)]
    [InlineData("250ms", 250)]
    [InlineData("5s", 5_000)]
    [InlineData("2m", 120_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("1d", 86_400_000)]
    [InlineData("00:00:05", 5_000)]
    [InlineData("01:30:00", 5_400_000)]
    [InlineData("1.00:00:00", 86_400_000)]
    public void TryParseDuration_EachForm_IsItsLength(string text, long milliseconds)
    {
        Assert.True(RetrySchedule.TryParseDuration(text, out var duration));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), duration);
    }

    [Theory]
    [InlineData("")]
    [InlineData("5")]
    [InlineData("5x")]
    [InlineData("-5s")]
    [InlineData("5 s")]
    [InlineData("1.5s")]
    [InlineData("s")]
    [InlineData("-00:00:05")]
    public void TryParseDuration_NotADuration_IsFalse(string text) => Assert.False(RetrySchedule.TryParseDuration(text, out _));

    [Theory]
    [InlineData("", "empty")]
    [InlineData("0s,5s,soon", "'soon'")]
    [InlineData("0s,,5s", "''")]
    [InlineData("0s,8d", "longer than 7 days")]
    public void TryParse_BadSchedule_SaysWhichEntry(string text, string expected)
    {
        Assert.False(RetrySchedule.TryParse(text, out _, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_SpacesAroundEntries_AreIgnored()
    {
        Assert.True(RetrySchedule.TryParse(" 0s , 1s,1s ", out var schedule, out _));
        Assert.Equal([TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)], schedule.Delays);
    }

    [Fact]
    public void DelayBefore_PastTheLastAttempt_IsNull()
    {
        Assert.True(RetrySchedule.TryParse("0s,5s", out var schedule, out _));

        Assert.Equal(TimeSpan.Zero, schedule.DelayBefore(1));
        Assert.Equal(TimeSpan.FromSeconds(5), schedule.DelayBefore(2));
        Assert.Null(schedule.DelayBefore(3));
    }

    [Fact]
    public void Validator_BadSchedule_FailsNamingTheSettingAndTheEntry()
    {
        var result = new RetryScheduleValidator().Validate(null, new WebhookOptions { RetrySchedule = "0s,5 minutes" });

        Assert.True(result.Failed);
        Assert.Contains("Webhooks:RetrySchedule", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("'5 minutes'", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validator_Default_Succeeds() => Assert.True(new RetryScheduleValidator().Validate(null, new WebhookOptions()).Succeeded);
}
