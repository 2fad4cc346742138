using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Integrations.Azure.Queues;
using Microsoft.Extensions.Options;

namespace Integrations.Server.Jobs;

/// <summary>
/// Processes one job queue as the Functions queue trigger would: a message is hidden while its job runs (the
/// hiding is extended for long jobs), deleted when the job succeeds, retried when it fails, and moved to
/// <c>{queue}-poison</c> after <see cref="ServerJobOptions.MaxDequeueCount"/> attempts.
/// </summary>
public sealed partial class QueueJobService(
    string queueName, Func<string, CancellationToken, Task> run, QueueServiceClient queues, HubQueueNames names,
    IOptions<ServerJobOptions> options, TimeProvider time, ILogger<QueueJobService> logger) : BackgroundService
{
    private static readonly TimeSpan Visibility = TimeSpan.FromMinutes(2);

    /// <summary>The job queue this service processes (before the storage prefix).</summary>
    public string QueueName => queueName;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var queue = queues.GetQueueClient(names.For(queueName));
        while (!stoppingToken.IsCancellationRequested)
        {
            QueueMessage? message = null;
            try
            {
                await queue.CreateIfNotExistsAsync(cancellationToken: stoppingToken).ConfigureAwait(false);
                message = (await queue.ReceiveMessageAsync(Visibility, stoppingToken).ConfigureAwait(false)).Value;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                Log.ReceiveFailed(logger, ex, queueName);
            }

            if (message is null)
            {
                await Task.Delay(options.Value.QueuePollInterval, time, stoppingToken).ConfigureAwait(false);
                continue;
            }

            await ProcessAsync(queue, message, stoppingToken).ConfigureAwait(false);
        }
    }

    private async Task ProcessAsync(QueueClient queue, QueueMessage message, CancellationToken stoppingToken)
    {
        if (message.DequeueCount > options.Value.MaxDequeueCount)
        {
            var poison = queues.GetQueueClient(names.For(queueName) + "-poison");
            await poison.CreateIfNotExistsAsync(cancellationToken: stoppingToken).ConfigureAwait(false);
            await poison.SendMessageAsync(message.Body, cancellationToken: stoppingToken).ConfigureAwait(false);
            await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, stoppingToken).ConfigureAwait(false);
            Log.Poisoned(logger, queueName, message.MessageId);
            return;
        }

        using var running = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var receipt = message.PopReceipt;
        var keepHidden = Task.Run(async () =>
        {
            while (!running.IsCancellationRequested)
            {
                await Task.Delay(Visibility / 2, time, running.Token).ConfigureAwait(false);
                receipt = (await queue.UpdateMessageAsync(message.MessageId, receipt, visibilityTimeout: Visibility, cancellationToken: running.Token).ConfigureAwait(false)).Value.PopReceipt;
            }
        }, running.Token);
        try
        {
            await run(message.Body.ToString(), stoppingToken).ConfigureAwait(false);
            await running.CancelAsync().ConfigureAwait(false);
            await keepHidden.ContinueWith(static _ => { }, TaskScheduler.Default).ConfigureAwait(false);
            await queue.DeleteMessageAsync(message.MessageId, receipt, stoppingToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            // The message becomes visible again when its hiding lapses: that is the retry.
            Log.JobFailed(logger, ex, queueName, message.MessageId, message.DequeueCount);
        }
        finally
        {
            await running.CancelAsync().ConfigureAwait(false);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 6101, Level = LogLevel.Warning, Message = "Receiving from job queue {Queue} failed.")]
        public static partial void ReceiveFailed(ILogger logger, Exception exception, string queue);

        [LoggerMessage(EventId = 6102, Level = LogLevel.Error, Message = "Job from queue {Queue}, message {MessageId}, attempt {Attempt}, failed; it is retried.")]
        public static partial void JobFailed(ILogger logger, Exception exception, string queue, string messageId, long attempt);

        [LoggerMessage(EventId = 6103, Level = LogLevel.Error, Message = "Message {MessageId} of job queue {Queue} failed too often and moved to the poison queue.")]
        public static partial void Poisoned(ILogger logger, string queue, string messageId);
    }
}
