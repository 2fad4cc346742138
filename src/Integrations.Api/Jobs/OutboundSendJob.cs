using Integrations.Core.Sends;

namespace Integrations.Api.Jobs;

/// <summary>
/// One queued attempt of a direct send (<see cref="OutboundSendService.RunQueuedAsync"/>): a failed attempt with attempts left
/// re-sends the message with the send's backoff as its visibility delay. Safe to repeat: an attempt already recorded is not made again.
/// </summary>
public sealed class OutboundSendJob(OutboundSendService sends) : IQueueJobHandler
{
    public async Task<QueueJobOutcome> RunAsync(QueueJobMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        return await sends.RunQueuedAsync(message.Body, message.DequeueCount > 1, cancellationToken).ConfigureAwait(false)
            ? QueueJobOutcome.Completed
            : QueueJobOutcome.Rejected("Not a direct-send message.");
    }
}
