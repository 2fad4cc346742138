using Integrations.Core.Sends;

namespace Integrations.Core.Tests.Sends;

public sealed class SendRetryTests
{
    [Fact]
    public void DelayBefore_Backoff_DoublesFromTheSecondRetry_AndIsCappedAtAnHour()
    {
        var retry = new SendRetry(10, 1000, null);

        var delays = Enumerable.Range(2, 9).Select(n => retry.DelayBefore(n, null)).ToList();

        Assert.Equal(TimeSpan.FromSeconds(1), delays[0]);
        Assert.Equal(TimeSpan.FromSeconds(2), delays[1]);
        Assert.Equal(TimeSpan.FromSeconds(4), delays[2]);
        Assert.Equal(TimeSpan.FromSeconds(128), delays[7]);
        Assert.Equal(SendRetry.MaxDelay, new SendRetry(10, 60000, null).DelayBefore(10, null));
        Assert.Equal(TimeSpan.Zero, new SendRetry(3, 0, null).DelayBefore(3, null));
    }
}
