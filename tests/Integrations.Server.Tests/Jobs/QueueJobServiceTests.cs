using Integrations.Azure.Queues;
using Integrations.Core.Jobs;
using Microsoft.Extensions.DependencyInjection;

namespace Integrations.Server.Tests.Jobs;

/// <summary>The Server's queue worker with the shared runner, against Azurite: what happens to a message in each outcome.</summary>
public sealed class QueueJobServiceTests
{
    [Fact]
    public async Task Worker_JobAlwaysFails_MessageEndsInPoisonQueueAfterMaxAttemptsWithFailureRecord()
    {
        // Arrange
        await using var hub = await QueueJobHarness.StartAsync(configure: TestQueueJobs.AddHandlers);
        var job = TestQueueJobs.AlwaysFails;
        var queueName = hub.QueueNameOf(job);
        var poison = hub.Queue(HubQueueNames.PoisonQueueOf(queueName));
        const string Body = "body-that-may-hold-a-secret-7f3a";
        await hub.EnqueueAsync(job, Body);
        var handler = hub.Provider.GetRequiredService<AlwaysFailsHandler>();

        // Act
        await hub.StartWorkerAsync(job);
        await QueueJobHarness.EventuallyAsync(async () => await poison.ExistsAsync() && (await poison.PeekMessagesAsync(2)).Value.Length == 1, "the poison message");

        // Assert: tried exactly MaxAttempts times, gone from its queue, kept whole in the poison queue, and recorded.
        Assert.Equal(job.Retry.MaxAttempts, handler.Calls);
        Assert.Equal(Body, (await poison.PeekMessageAsync()).Value.Body.ToString());
        Assert.Equal(0, (await hub.Queue(queueName).GetPropertiesAsync()).Value.ApproximateMessagesCount);
        var failure = Assert.Single(await hub.FailuresAsync(queueName));
        Assert.Equal((job.Name, JobFailureKind.Exhausted, (long)job.Retry.MaxAttempts), (failure.Job, failure.Kind, failure.Attempts));
        Assert.StartsWith("System.InvalidOperationException: Cannot process ", failure.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(Body, failure.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("second line", failure.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Worker_JobSucceeds_MessageIsDeletedAndNothingRecorded()
    {
        // Arrange
        await using var hub = await QueueJobHarness.StartAsync(configure: TestQueueJobs.AddHandlers);
        var job = TestQueueJobs.Succeeds;
        var queue = hub.Queue(hub.QueueNameOf(job));
        await hub.EnqueueAsync(job, "do-it");
        var handler = hub.Provider.GetRequiredService<SucceedsHandler>();

        // Act
        await hub.StartWorkerAsync(job);
        await QueueJobHarness.EventuallyAsync(async () => handler.Seen.Count > 0 && (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount == 0,
            "the message to be processed and deleted");

        // Assert: once, on the first attempt, with the body as enqueued.
        var seen = Assert.Single(handler.Seen);
        Assert.Equal(("do-it", 1L), (seen.Body, seen.DequeueCount));
        Assert.Empty(await hub.FailuresAsync(queue.Name));
        Assert.False(await hub.Queue(HubQueueNames.PoisonQueueOf(queue.Name)).ExistsAsync());
    }

    [Fact]
    public async Task Worker_MessageQueuedJustAfterWork_IsPickedUpWithinAFractionOfThePollInterval()
    {
        // Arrange: a long poll interval, so a worker that slept it after every empty poll would leave the second message
        // waiting seconds.
        await using var hub = await QueueJobHarness.StartAsync(new Dictionary<string, string?> { ["Jobs:QueuePollInterval"] = "00:00:06" }, TestQueueJobs.AddHandlers);
        var job = TestQueueJobs.Succeeds;
        var handler = hub.Provider.GetRequiredService<SucceedsHandler>();
        await hub.EnqueueAsync(job, "first");
        await hub.StartWorkerAsync(job);
        await QueueJobHarness.EventuallyAsync(() => Task.FromResult(handler.Seen.Count == 1), "the first message");
        await Task.Delay(300); // the worker has found the queue empty by now

        // Act
        var queued = TimeProvider.System.GetTimestamp();
        await hub.EnqueueAsync(job, "second");
        await QueueJobHarness.EventuallyAsync(() => Task.FromResult(handler.Seen.Count == 2), "the second message");

        // Assert: the empty polls after work wait 100 ms, 200 ms, 400 ms … — not the 6 s interval.
        Assert.True(TimeProvider.System.GetElapsedTime(queued) < TimeSpan.FromSeconds(3), $"picked up after {TimeProvider.System.GetElapsedTime(queued)}");
    }

    [Fact]
    public async Task Worker_ManyMessages_RunsABatchAtOnceAndNoMoreThanBatchPlusThreshold()
    {
        // Arrange: 40 messages, a batch of 8 (the next batch once 4 or fewer run), a job that holds every message.
        await using var hub = await QueueJobHarness.StartAsync(new Dictionary<string, string?> { ["Jobs:QueueBatchSize"] = "8" }, TestQueueJobs.AddHandlers);
        var job = TestQueueJobs.Overlaps;
        var queue = hub.Queue(hub.QueueNameOf(job));
        for (var i = 0; i < 40; i++)
        {
            await hub.EnqueueAsync(job, "m" + i);
        }

        var handler = hub.Provider.GetRequiredService<OverlapsHandler>();

        // Act
        await hub.StartWorkerAsync(job);
        await QueueJobHarness.EventuallyAsync(() => Task.FromResult(handler.Running == 8), "one batch to be running at once");
        await Task.Delay(300);
        var heldBeforeRelease = handler.Running;
        handler.Release();
        await QueueJobHarness.EventuallyAsync(async () => handler.Done == 40 && (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount == 0,
            "every message to be processed and deleted");

        // Assert: a held batch stops the receiving (8 > threshold 4); released, the rest never exceeds batch + threshold.
        Assert.Equal(8, heldBeforeRelease);
        Assert.InRange(handler.MostAtOnce, 8, 12);
        Assert.Empty(await hub.FailuresAsync(queue.Name));
    }

    [Fact]
    public async Task Worker_JobRejectsMessage_RecordedWithItsReasonAndDeleted()
    {
        // Arrange
        await using var hub = await QueueJobHarness.StartAsync(configure: TestQueueJobs.AddHandlers);
        var job = TestQueueJobs.Rejects;
        var queue = hub.Queue(hub.QueueNameOf(job));
        await hub.EnqueueAsync(job, "names-nothing");

        // Act
        await hub.StartWorkerAsync(job);
        await QueueJobHarness.EventuallyAsync(async () => (await hub.FailuresAsync(queue.Name)).Count > 0, "the rejection record");

        // Assert: not retried, not poisoned, not dropped silently.
        var failure = Assert.Single(await hub.FailuresAsync(queue.Name));
        Assert.Equal((JobFailureKind.Rejected, "The message names nothing that exists.", 1L), (failure.Kind, failure.Reason, failure.Attempts));
        await QueueJobHarness.EventuallyAsync(async () => (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount == 0, "the message to be deleted");
        Assert.False(await hub.Queue(HubQueueNames.PoisonQueueOf(queue.Name)).ExistsAsync());
    }

    [Fact]
    public async Task Worker_MessagePastItsLastAttempt_RecordedAsAbandonedAndPoisonedWithoutRunning()
    {
        // Arrange: a message whose every attempt was taken by a receiver that never reported back (a crashed process).
        await using var hub = await QueueJobHarness.StartAsync(configure: TestQueueJobs.AddHandlers);
        var job = TestQueueJobs.Succeeds;
        var queue = hub.Queue(hub.QueueNameOf(job));
        await hub.EnqueueAsync(job, "crashed-on");
        for (var attempt = 0; attempt < job.Retry.MaxAttempts; attempt++)
        {
            var taken = (await queue.ReceiveMessageAsync(TimeSpan.FromSeconds(30))).Value;
            await queue.UpdateMessageAsync(taken.MessageId, taken.PopReceipt, visibilityTimeout: TimeSpan.Zero);
        }

        var poison = hub.Queue(HubQueueNames.PoisonQueueOf(queue.Name));

        // Act
        await hub.StartWorkerAsync(job);
        await QueueJobHarness.EventuallyAsync(async () => await poison.ExistsAsync() && (await poison.PeekMessagesAsync(2)).Value.Length == 1, "the poison message");

        // Assert
        Assert.Empty(hub.Provider.GetRequiredService<SucceedsHandler>().Seen);
        var failure = Assert.Single(await hub.FailuresAsync(queue.Name));
        Assert.Equal((JobFailureKind.Abandoned, job.Retry.MaxAttempts + 1L), (failure.Kind, failure.Attempts));
        Assert.Equal(0, (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }
}
