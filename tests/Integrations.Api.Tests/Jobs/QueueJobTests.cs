using Integrations.Api.Jobs;
using Integrations.Core.Common;

namespace Integrations.Api.Tests.Jobs;

public sealed class QueueJobTests
{
    private static readonly JobQueueDefinition Queue = new("q", "Jobs:Queues:Q");

    [Fact]
    public void Constructor_HandlerIsNotAQueueJobHandler_Throws()
    {
        // Act / Assert: a descriptor whose handler the runner could not call never exists.
        var error = Assert.Throws<ArgumentException>(() => new QueueJob("Q", Queue, typeof(string), TimeSpan.FromMinutes(1), QueueRetryPolicy.Standard));
        Assert.Equal("Handler", error.ParamName);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void RetryPolicy_NoAttempts_Throws(int maxAttempts) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new QueueRetryPolicy(maxAttempts, TimeSpan.Zero));

    [Fact]
    public void Constructor_VisibilityBeyondStorageLimits_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new QueueJob("Q", Queue, typeof(KeyRotationJob), TimeSpan.FromDays(8), QueueRetryPolicy.Standard));

    [Fact]
    public void QueueJobs_EveryJobQueue_HasOneJobWithItsOwnNameAndSetting()
    {
        // Assert: names are Functions function names and queue settings are app settings; neither may repeat.
        Assert.Equal(QueueJobs.All.Count, QueueJobs.All.Select(j => j.Name).Distinct().Count());
        Assert.Equal(QueueJobs.All.Count, QueueJobs.All.Select(j => j.QueueNameSetting).Distinct().Count());
        Assert.All(QueueJobs.All, j => Assert.StartsWith("Jobs:Queues:", j.QueueNameSetting, StringComparison.Ordinal));
        Assert.Equal(JobQueues.All, QueueJobs.All.Select(j => j.Queue));
    }
}
