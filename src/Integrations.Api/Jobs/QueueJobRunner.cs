using Integrations.Core.Jobs;
using Integrations.Core.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Integrations.Api.Jobs;

/// <summary>
/// Runs one queue message through its job, the same way in both shells: the handler runs; a rejection is recorded
/// and the message completes; a failure on the last attempt (dequeue count ≥ max attempts) is recorded and then
/// rethrown, so the host (Functions, or the Server's QueueJobService) moves the message to <c>{queue}-poison</c>
/// with a record of why. Nothing ends unrecorded.
/// </summary>
public sealed partial class QueueJobRunner(
    IServiceScopeFactory scopes, IJobQueueNames queueNames, IJobFailureLog failures, TimeProvider time, ILogger<QueueJobRunner> logger)
{
    /// <summary>A record is written even when the job was cancelled, within this long.</summary>
    private static readonly TimeSpan RecordTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Returns when <paramref name="message"/> is done with (completed, or rejected and recorded): the caller deletes it.
    /// Throws when it should be retried, or, on its last attempt, moved to the poison queue.
    /// </summary>
    public async Task RunAsync(QueueJob job, QueueJobMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(message);
        if (message is { DequeueCount: 1, InsertedOn: { } inserted })
        {
            // First runs only: a retry's wait is the retry policy's, not lag. A message sent with a delay (a delivery retry,
            // a device poll) counts its delay too — the histogram's upper buckets hold those, and a growing lower bucket is
            // the sign of too few workers.
            HubTelemetry.RecordQueueLag(job.Queue.Id, time.GetUtcNow() - inserted);
        }

        QueueJobOutcome outcome;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var handler = (IQueueJobHandler)scope.ServiceProvider.GetRequiredService(job.Handler);
            outcome = await handler.RunAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            if (message.DequeueCount < job.Retry.MaxAttempts)
            {
                Log.AttemptFailed(logger, ex, job.Name, message.MessageId, message.DequeueCount, job.Retry.MaxAttempts);
                throw;
            }

            Log.LastAttemptFailed(logger, ex, job.Name, message.MessageId, message.DequeueCount);
            await TryRecordAsync(job, message, JobFailureKind.Exhausted, JobFailureReasons.Describe(ex, message.Body)).ConfigureAwait(false);
            throw;
        }

        if (outcome.IsRejected)
        {
            Log.Rejected(logger, job.Name, message.MessageId, outcome.RejectionReason);
            // Recorded before the message is deleted; if the record cannot be written, the message is retried instead —
            // and on its last attempt the record is tried once more on a token of its own before it moves to poison.
            var reason = JobFailureReasons.Limit(outcome.RejectionReason);
            try
            {
                await failures.RecordAsync(Failure(job, message, JobFailureKind.Rejected, reason), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (message.DequeueCount >= job.Retry.MaxAttempts)
            {
                Log.LastAttemptFailed(logger, ex, job.Name, message.MessageId, message.DequeueCount);
                await TryRecordAsync(job, message, JobFailureKind.Rejected, reason).ConfigureAwait(false);
                throw;
            }
        }
    }

    /// <summary>
    /// Records a message received after its last attempt without an outcome (the process stopped during that attempt),
    /// before the caller moves it to the poison queue. The Functions host poisons such a message without calling the
    /// function; the Server calls this first.
    /// </summary>
    public Task RecordAbandonedAsync(QueueJob job, QueueJobMessage message)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(message);
        Log.Abandoned(logger, job.Name, message.MessageId, message.DequeueCount);
        return TryRecordAsync(job, message, JobFailureKind.Abandoned,
            $"The last of {job.Retry.MaxAttempts} attempts ended without an outcome (the process stopped during it).");
    }

    private async Task TryRecordAsync(QueueJob job, QueueJobMessage message, JobFailureKind kind, string reason)
    {
        // Not the job's token: a job cancelled on its last attempt (the host stopping) still gets its record.
        using var timeout = new CancellationTokenSource(RecordTimeout, time);
        try
        {
            await failures.RecordAsync(Failure(job, message, kind, reason), timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // The message still moves to the poison queue; this log line is then the only record of why.
            Log.RecordFailed(logger, ex, job.Name, message.MessageId, kind, reason);
        }
    }

    private JobFailure Failure(QueueJob job, QueueJobMessage message, JobFailureKind kind, string reason) =>
        new(queueNames.NameOf(job.Queue), job.Name, message.MessageId, message.DequeueCount, kind, reason, time.GetUtcNow());

    private static partial class Log
    {
        [LoggerMessage(EventId = 5301, Level = LogLevel.Warning, Message = "Queue job {Job}, message {MessageId}, attempt {Attempt} of {MaxAttempts}, failed; it is retried.")]
        public static partial void AttemptFailed(ILogger logger, Exception exception, string job, string messageId, long attempt, int maxAttempts);

        [LoggerMessage(EventId = 5302, Level = LogLevel.Error, Message = "Queue job {Job}, message {MessageId}, failed its last attempt ({Attempt}); it is recorded and moves to the poison queue.")]
        public static partial void LastAttemptFailed(ILogger logger, Exception exception, string job, string messageId, long attempt);

        [LoggerMessage(EventId = 5303, Level = LogLevel.Warning, Message = "Queue job {Job} rejected message {MessageId}: {Reason} It is recorded and deleted.")]
        public static partial void Rejected(ILogger logger, string job, string messageId, string reason);

        [LoggerMessage(EventId = 5304, Level = LogLevel.Error, Message = "Queue job {Job}, message {MessageId}, was received again after its last attempt ({Attempt}) ended without an outcome; it is recorded and moves to the poison queue.")]
        public static partial void Abandoned(ILogger logger, string job, string messageId, long attempt);

        [LoggerMessage(EventId = 5305, Level = LogLevel.Critical, Message = "Recording the failure of queue job {Job}, message {MessageId} ({Kind}: {Reason}) failed.")]
        public static partial void RecordFailed(ILogger logger, Exception exception, string job, string messageId, JobFailureKind kind, string reason);
    }
}
