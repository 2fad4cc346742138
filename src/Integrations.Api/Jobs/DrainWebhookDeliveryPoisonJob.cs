using Integrations.Core.Common;
using Integrations.Core.Jobs;
using Microsoft.Extensions.Logging;

namespace Integrations.Api.Jobs;

/// <summary>
/// Turns the webhook delivery tickets that landed in the poison queue (their job threw on every try, or the process died during
/// the last one) into <see cref="Core.OutboundWebhooks.DeliveryState.Failed"/> deliveries with a reason — listable and
/// replayable, never dropped unseen (<c>Webhooks:PoisonDrainSchedule</c>). A ticket whose delivery has moved on (a stray) or is
/// gone is removed without a change; a message that is not a ticket was recorded by the runner and is removed.
/// </summary>
public sealed partial class DrainWebhookDeliveryPoisonJob(IPoisonMessages poison, WebhookDeliveryJob deliveries, ILogger<DrainWebhookDeliveryPoisonJob> logger)
{
    /// <summary>The reason a poisoned delivery fails with.</summary>
    public const string PoisonReason = "The delivery could not be processed: its job failed on every try (see the job failure log of the webhook delivery queue).";

    /// <summary>At most this many messages per run; the next run takes the rest.</summary>
    public const int MaxPerRun = 500;

    private static readonly TimeSpan Hold = TimeSpan.FromMinutes(2);

    public async Task<int> RunAsync(CancellationToken cancellationToken = default)
    {
        var drained = 0;
        while (drained < MaxPerRun)
        {
            var batch = await poison.ReceiveAsync(JobQueues.WebhookDelivery, 32, Hold, cancellationToken).ConfigureAwait(false);
            if (batch.Count == 0)
            {
                break;
            }

            foreach (var message in batch)
            {
                if (WebhookDeliveryJob.Parse(message.Body) is { } ticket)
                {
                    // Recorded before the message goes: if this throws, the message reappears after the hold and the next run tries again.
                    await deliveries.FailWithoutSendingAsync(ticket, PoisonReason, cancellationToken).ConfigureAwait(false);
                }

                await poison.DeleteAsync(JobQueues.WebhookDelivery, message, cancellationToken).ConfigureAwait(false);
                drained++;
            }
        }

        if (drained > 0)
        {
            Log.Drained(logger, drained);
        }

        return drained;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 9430, Level = LogLevel.Warning, Message = "Drained {Count} webhook delivery tickets from the poison queue into failed deliveries.")]
        public static partial void Drained(ILogger logger, int count);
    }
}
