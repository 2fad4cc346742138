using System.Collections.Concurrent;
using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Integrations.Api.Jobs;
using Integrations.Azure.Queues;
using Integrations.Core.Jobs;
using Microsoft.Extensions.Options;

namespace Integrations.Server.Jobs;

/// <summary>
/// Runs one <see cref="QueueJob"/> as the Functions queue trigger would: messages are received in batches of
/// <c>Jobs:QueueBatchSize</c> and run concurrently (a new batch once half are done); a received message stays hidden while its
/// job runs (the hiding renewed at half the job's visibility timeout), goes through the shared
/// <see cref="QueueJobRunner"/>, and is then deleted; a failed one is retried after the job's retry delay, and after
/// its last attempt moved to <c>{queue}-poison</c> (the runner has recorded why by then).
/// </summary>
public sealed partial class QueueJobService(
    QueueJob job, QueueJobRunner runner, QueueServiceClient queues, IJobQueueNames names,
    IOptions<ServerJobOptions> options, TimeProvider time, ILogger<QueueJobService> logger) : BackgroundService
{
    /// <summary>
    /// The first wait after a queue is found empty; each further empty poll doubles it up to <c>Jobs:QueuePollInterval</c>,
    /// and a receive that finds messages starts again here. Work that arrives just after a busy spell waits a tenth of a
    /// second, not the full interval, while an idle queue costs no more polls than the interval allows.
    /// </summary>
    public static readonly TimeSpan FirstEmptyPollWait = TimeSpan.FromMilliseconds(100);

    /// <summary>Moving a message to the poison queue finishes within this long, even while the Server stops.</summary>
    private static readonly TimeSpan PoisonTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The job this service runs; a test checks the Server runs every <see cref="QueueJobs"/> entry.</summary>
    public QueueJob Job => job;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var queueName = names.NameOf(job.Queue);
        var queue = queues.GetQueueClient(queueName);
        var batchSize = options.Value.QueueBatchSize;
        // As the Functions queue trigger does (batchSize, newBatchThreshold = batchSize / 2): a new batch is fetched once
        // the running messages drop to the threshold, so at most batchSize + threshold run at once.
        var threshold = batchSize / 2;
        var running = new ConcurrentDictionary<Task, byte>();
        using var finished = new SemaphoreSlim(0);
        var queueExists = false;
        var emptyWait = FirstEmptyPollWait;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                if (running.Count > threshold)
                {
                    await finished.WaitAsync(stoppingToken).ConfigureAwait(false);
                    continue;
                }

                QueueMessage[] received = [];
                try
                {
                    if (!queueExists)
                    {
                        // Once, not before every receive: an empty queue is polled every QueuePollInterval at most, and the
                        // hub creates its queues at start anyway (a test's own job queue may not exist yet).
                        await queue.CreateIfNotExistsAsync(cancellationToken: stoppingToken).ConfigureAwait(false);
                        queueExists = true;
                    }

                    received = (await queue.ReceiveMessagesAsync(batchSize, job.VisibilityTimeout, stoppingToken).ConfigureAwait(false)).Value;
                }
                catch (RequestFailedException ex) when (ex.Status == 404 && !stoppingToken.IsCancellationRequested)
                {
                    queueExists = false;
                    Log.ReceiveFailed(logger, ex, queueName);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    Log.ReceiveFailed(logger, ex, queueName);
                }

                if (received.Length == 0)
                {
                    var wait = emptyWait < options.Value.QueuePollInterval ? emptyWait : options.Value.QueuePollInterval;
                    await Task.Delay(wait, time, stoppingToken).ConfigureAwait(false);
                    emptyWait = wait * 2;
                    continue;
                }

                emptyWait = FirstEmptyPollWait;

                foreach (var message in received)
                {
                    var task = SettleAsync(queue, queueName, message, stoppingToken);
                    running.TryAdd(task, 0);
                    _ = task.ContinueWith(
                        (done, state) =>
                        {
                            running.TryRemove(done, out _);
                            ((SemaphoreSlim)state!).Release();
                        },
                        finished, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the messages already received finish below (their jobs see the same token).
        }

        await Task.WhenAll(running.Keys).ConfigureAwait(false);
    }

    /// <summary>Runs and settles one message; never throws (a failure to settle leaves the message to come back).</summary>
    private async Task SettleAsync(QueueClient queue, string queueName, QueueMessage message, CancellationToken stoppingToken)
    {
        try
        {
            await ProcessAsync(queue, message, stoppingToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            // Deleting, releasing or poisoning the message failed (e.g. its hiding lapsed and another receiver has
            // it): it becomes visible again and is retried like any failure.
            Log.SettleFailed(logger, ex, queueName, message.MessageId);
        }
        catch (Exception) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the message's hiding lapses and it is retried after the restart.
        }
    }

    private async Task ProcessAsync(QueueClient queue, QueueMessage received, CancellationToken stoppingToken)
    {
        var message = new QueueJobMessage(received.MessageId, received.Body.ToString(), received.DequeueCount, received.InsertedOn);
        if (received.DequeueCount > job.Retry.MaxAttempts)
        {
            // Its last attempt never reported back (the process stopped during it). Functions would poison it unseen;
            // here it is recorded first.
            await runner.RecordAbandonedAsync(job, message).ConfigureAwait(false);
            await MoveToPoisonAsync(queue, received, received.PopReceipt).ConfigureAwait(false);
            return;
        }

        var receipt = new PopReceipt(received.PopReceipt);
        Exception? failure = null;
        using (var running = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken))
        {
            var keepHidden = KeepHiddenAsync(queue, received.MessageId, receipt, running.Token);
            try
            {
                await runner.RunAsync(job, message, stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                failure = ex;
            }
            finally
            {
                await running.CancelAsync().ConfigureAwait(false);
                await keepHidden.ConfigureAwait(false);
            }
        }

        if (failure is null)
        {
            await queue.DeleteMessageAsync(received.MessageId, receipt.Value, stoppingToken).ConfigureAwait(false);
        }
        else if (message.DequeueCount >= job.Retry.MaxAttempts)
        {
            await MoveToPoisonAsync(queue, received, receipt.Value).ConfigureAwait(false);
        }
        else if (!stoppingToken.IsCancellationRequested)
        {
            // The runner has logged the failure. The next attempt comes after the retry delay, as host.json's
            // visibilityTimeout makes it in Functions.
            await queue.UpdateMessageAsync(received.MessageId, receipt.Value, visibilityTimeout: job.Retry.RetryDelay, cancellationToken: stoppingToken)
                .ConfigureAwait(false);
        }

        // Stopping with attempts left: the hiding lapses and the message is retried after the restart.
    }

    /// <summary>Renews the message's hiding until <paramref name="cancellationToken"/> fires; each renewal gives a new pop receipt.</summary>
    private async Task KeepHiddenAsync(QueueClient queue, string messageId, PopReceipt receipt, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(job.VisibilityTimeout / 2, time, cancellationToken).ConfigureAwait(false);
                var updated = await queue.UpdateMessageAsync(messageId, receipt.Value, visibilityTimeout: job.VisibilityTimeout, cancellationToken: cancellationToken)
                    .ConfigureAwait(false);
                receipt.Value = updated.Value.PopReceipt;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The job has finished.
        }
        catch (Exception ex)
        {
            // The job keeps running; if its message becomes visible meanwhile, another attempt may overlap (jobs are idempotent).
            Log.RenewFailed(logger, ex, queue.Name, messageId);
        }
    }

    private async Task MoveToPoisonAsync(QueueClient queue, QueueMessage message, string popReceipt)
    {
        // Not the stopping token: a message whose last attempt failed while the Server stops still moves, rather
        // than coming back as abandoned after the restart.
        using var timeout = new CancellationTokenSource(PoisonTimeout, time);
        var poison = queues.GetQueueClient(HubQueueNames.PoisonQueueOf(queue.Name));
        await poison.CreateIfNotExistsAsync(cancellationToken: timeout.Token).ConfigureAwait(false);
        await poison.SendMessageAsync(message.Body, cancellationToken: timeout.Token).ConfigureAwait(false);
        await queue.DeleteMessageAsync(message.MessageId, popReceipt, timeout.Token).ConfigureAwait(false);
        Log.Poisoned(logger, queue.Name, message.MessageId, poison.Name);
    }

    /// <summary>The message's current pop receipt, replaced by every renewal of its hiding.</summary>
    private sealed class PopReceipt(string value)
    {
        public string Value { get; set; } = value;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 6101, Level = LogLevel.Warning, Message = "Receiving from job queue {Queue} failed.")]
        public static partial void ReceiveFailed(ILogger logger, Exception exception, string queue);

        [LoggerMessage(EventId = 6103, Level = LogLevel.Error, Message = "Message {MessageId} of job queue {Queue} moved to {PoisonQueue}.")]
        public static partial void Poisoned(ILogger logger, string queue, string messageId, string poisonQueue);

        [LoggerMessage(EventId = 6104, Level = LogLevel.Warning, Message = "Settling message {MessageId} of job queue {Queue} failed; it is retried when it becomes visible.")]
        public static partial void SettleFailed(ILogger logger, Exception exception, string queue, string messageId);

        [LoggerMessage(EventId = 6105, Level = LogLevel.Warning, Message = "Renewing the hiding of message {MessageId} of job queue {Queue} failed.")]
        public static partial void RenewFailed(ILogger logger, Exception exception, string queue, string messageId);
    }
}
