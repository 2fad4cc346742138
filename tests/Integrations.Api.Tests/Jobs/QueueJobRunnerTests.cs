using Integrations.Api.Jobs;
using Integrations.Core.Common;
using Integrations.Core.Jobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Integrations.Api.Tests.Jobs;

/// <summary>
/// The runner both shells call, alone: when it records, what it records, and what it rethrows. (The Server's worker
/// against real storage is covered in Integrations.Server.Tests.)
/// </summary>
public sealed class QueueJobRunnerTests
{
    private static readonly QueueJob Job = new("Flaky", new JobQueueDefinition("flaky", "Jobs:Queues:Flaky"), typeof(ScriptedHandler),
        TimeSpan.FromMinutes(1), new QueueRetryPolicy(3, TimeSpan.Zero));

    private readonly RecordingFailureLog _failures = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));
    private readonly ScriptedHandler _handler = new();

    [Fact]
    public async Task RunAsync_FailsBeforeLastAttempt_RethrowsAndRecordsNothing()
    {
        // Arrange
        _handler.Next = _ => throw new TimeoutException("storage was slow");
        var runner = Runner();

        // Act
        var error = await Assert.ThrowsAsync<TimeoutException>(() => runner.RunAsync(Job, Message(dequeueCount: 2)));

        // Assert: the host retries it; nothing is recorded yet.
        Assert.Equal("storage was slow", error.Message);
        Assert.Empty(_failures.Recorded);
    }

    [Fact]
    public async Task RunAsync_FailsOnLastAttempt_RecordsTypeAndMessageThenRethrows()
    {
        // Arrange
        _handler.Next = _ => throw new TimeoutException("storage was slow");
        var runner = Runner();

        // Act
        await Assert.ThrowsAsync<TimeoutException>(() => runner.RunAsync(Job, Message(dequeueCount: 3)));

        // Assert: rethrown so the host moves it to poison, recorded first with its reason.
        var failure = Assert.Single(_failures.Recorded);
        Assert.Equal(new JobFailure("queue-of-flaky", "Flaky", "msg-1", 3, JobFailureKind.Exhausted, "System.TimeoutException: storage was slow", _time.GetUtcNow()), failure);
    }

    [Fact]
    public async Task RunAsync_ExceptionQuotesTheMessageBody_ReasonLeavesTheBodyOut()
    {
        // Arrange
        const string Body = "sk_live_should_never_be_stored";
        _handler.Next = m => throw new FormatException($"The input string '{m.Body}' was not in a correct format.");
        var runner = Runner();

        // Act
        await Assert.ThrowsAsync<FormatException>(() => runner.RunAsync(Job, Message(dequeueCount: 3, body: Body)));

        // Assert
        var reason = Assert.Single(_failures.Recorded).Reason;
        Assert.Equal("System.FormatException: The input string '[message body]' was not in a correct format.", reason);
    }

    [Fact]
    public async Task RunAsync_CancelledOnLastAttempt_StillRecorded()
    {
        // Arrange: the host stopping during the last attempt cancels the job, and the record must not share its token.
        using var stopping = new CancellationTokenSource();
        _handler.Next = _ =>
        {
            stopping.Cancel();
            stopping.Token.ThrowIfCancellationRequested();
            return QueueJobOutcome.Completed;
        };
        var runner = Runner();

        // Act
        await Assert.ThrowsAsync<OperationCanceledException>(() => runner.RunAsync(Job, Message(dequeueCount: 3), stopping.Token));

        // Assert
        Assert.Equal(JobFailureKind.Exhausted, Assert.Single(_failures.Recorded).Kind);
        Assert.False(_failures.LastToken.IsCancellationRequested);
    }

    [Fact]
    public async Task RunAsync_RecordingFailsOnLastAttempt_RethrowsTheJobsException()
    {
        // Arrange
        _handler.Next = _ => throw new TimeoutException("storage was slow");
        _failures.Fail = true;
        var runner = Runner();

        // Act / Assert: the job's own failure surfaces (and is what the host logs), not the recording's.
        await Assert.ThrowsAsync<TimeoutException>(() => runner.RunAsync(Job, Message(dequeueCount: 3)));
    }

    [Fact]
    public async Task RunAsync_HandlerRejects_RecordsTheReasonAndReturns()
    {
        // Arrange
        _handler.Next = _ => QueueJobOutcome.Rejected("Names nothing.");
        var runner = Runner();

        // Act
        await runner.RunAsync(Job, Message(dequeueCount: 1));

        // Assert: the caller deletes the message; the record says why.
        var failure = Assert.Single(_failures.Recorded);
        Assert.Equal((JobFailureKind.Rejected, "Names nothing.", 1L), (failure.Kind, failure.Reason, failure.Attempts));
    }

    [Fact]
    public async Task RunAsync_RejectionCannotBeRecorded_Throws()
    {
        // Arrange: deleting the message without its record would drop it silently; retrying it is the safe side.
        _handler.Next = _ => QueueJobOutcome.Rejected("Names nothing.");
        _failures.Fail = true;
        var runner = Runner();

        // Act / Assert
        await Assert.ThrowsAsync<InvalidOperationException>(() => runner.RunAsync(Job, Message(dequeueCount: 1)));
    }

    [Fact]
    public async Task RunAsync_HandlerCompletes_RecordsNothing()
    {
        // Arrange
        _handler.Next = _ => QueueJobOutcome.Completed;
        var runner = Runner();

        // Act
        await runner.RunAsync(Job, Message(dequeueCount: 3));

        // Assert
        Assert.Empty(_failures.Recorded);
        Assert.Equal("msg-1", Assert.Single(_handler.Seen).MessageId);
    }

    [Fact]
    public async Task RecordAbandonedAsync_RecordsWithoutRunningTheJob()
    {
        // Arrange
        var runner = Runner();

        // Act
        await runner.RecordAbandonedAsync(Job, Message(dequeueCount: 4));

        // Assert
        Assert.Empty(_handler.Seen);
        Assert.Equal((JobFailureKind.Abandoned, 4L), (Assert.Single(_failures.Recorded).Kind, _failures.Recorded[0].Attempts));
    }

    private static QueueJobMessage Message(long dequeueCount, string body = "rot_1") => new("msg-1", body, dequeueCount);

    private QueueJobRunner Runner()
    {
        var services = new ServiceCollection().AddSingleton(_handler).BuildServiceProvider();
        return new QueueJobRunner(services.GetRequiredService<IServiceScopeFactory>(), new FixedQueueNames(), _failures, _time, NullLogger<QueueJobRunner>.Instance);
    }

    private sealed class ScriptedHandler : IQueueJobHandler
    {
        public Func<QueueJobMessage, QueueJobOutcome> Next { get; set; } = _ => QueueJobOutcome.Completed;

        public List<QueueJobMessage> Seen { get; } = [];

        public Task<QueueJobOutcome> RunAsync(QueueJobMessage message, CancellationToken cancellationToken = default)
        {
            Seen.Add(message);
            return Task.FromResult(Next(message));
        }
    }

    private sealed class FixedQueueNames : IJobQueueNames
    {
        public string NameOf(JobQueueDefinition queue) => "queue-of-" + queue.Id;
    }

    private sealed class RecordingFailureLog : IJobFailureLog
    {
        public List<JobFailure> Recorded { get; } = [];

        public bool Fail { get; set; }

        public CancellationToken LastToken { get; private set; }

        public Task RecordAsync(JobFailure failure, CancellationToken cancellationToken = default)
        {
            LastToken = cancellationToken;
            if (Fail)
            {
                throw new InvalidOperationException("The failure log is unreachable.");
            }

            Recorded.Add(failure);
            return Task.CompletedTask;
        }

        public Task<IReadOnlyList<JobFailure>> ListAsync(string queue, int max = 100, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<JobFailure>>([.. Recorded.Where(f => f.Queue == queue).Take(max)]);
    }
}
