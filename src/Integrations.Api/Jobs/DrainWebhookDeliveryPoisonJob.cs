using System.Globalization;
using Integrations.Core.Common;
using Integrations.Core.Events;
using Integrations.Core.Jobs;
using Integrations.Core.Telemetry;
using Integrations.Core.Webhooks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Integrations.Api.Jobs;

/// <summary>
/// Turns the webhook delivery tickets that landed in the poison queue (their job threw on every try, or the process died during
/// the last one) into <see cref="Core.OutboundWebhooks.DeliveryState.Failed"/> deliveries with a reason — listable and
/// replayable, never dropped unseen (<c>Webhooks:PoisonDrainSchedule</c>). A ticket whose delivery has moved on (a stray) or is
/// gone is removed without a change; a message that is not a ticket was recorded by the runner and is removed.
/// </summary>
/// <remarks>
/// Each run first counts every job queue's poison queue (the <c>hub.queue.poison_messages</c> gauge, which the Azure Monitor
/// alert watches), and after draining raises <c>webhook.deliveries_poisoned</c> for each project with at least
/// <c>Webhooks:PoisonAlertThreshold</c> tickets drained, its id derived from the project and the window so that it is raised at
/// most once per <c>Webhooks:PoisonAlertWindow</c> across instances.
/// </remarks>
public sealed partial class DrainWebhookDeliveryPoisonJob(
    IPoisonMessages poison, WebhookDeliveryJob deliveries, EventWriter events, TimeProvider time, IOptions<WebhookOptions> options,
    ILogger<DrainWebhookDeliveryPoisonJob> logger)
{
    /// <summary>The reason a poisoned delivery fails with.</summary>
    public const string PoisonReason = "The delivery could not be processed: its job failed on every try (see the job failure log of the webhook delivery queue).";

    /// <summary>At most this many messages per run; the next run takes the rest.</summary>
    public const int MaxPerRun = 500;

    private static readonly TimeSpan Hold = TimeSpan.FromMinutes(2);

    public async Task<int> RunAsync(CancellationToken cancellationToken = default)
    {
        await CountPoisonAsync(cancellationToken).ConfigureAwait(false);
        var perProject = new Dictionary<(string OrganizationId, string ProjectId), int>();
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
                    perProject[(ticket.OrganizationId, ticket.ProjectId)] = perProject.GetValueOrDefault((ticket.OrganizationId, ticket.ProjectId)) + 1;
                }

                await poison.DeleteAsync(JobQueues.WebhookDelivery, message, cancellationToken).ConfigureAwait(false);
                drained++;
            }
        }

        if (drained > 0)
        {
            Log.Drained(logger, drained);
        }

        foreach (var ((organizationId, projectId), count) in perProject.Where(p => p.Value >= options.Value.PoisonAlertThreshold))
        {
            await AlertAsync(organizationId, projectId, count, cancellationToken).ConfigureAwait(false);
        }

        return drained;
    }

    private async Task CountPoisonAsync(CancellationToken cancellationToken)
    {
        foreach (var queue in JobQueues.All)
        {
            try
            {
                HubTelemetry.SetPoisonDepth(queue.Id, await poison.CountAsync(queue, cancellationToken).ConfigureAwait(false));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The gauge keeps its last value; draining goes on.
                Log.CountFailed(logger, ex, queue.Id);
            }
        }
    }

    private async Task AlertAsync(string organizationId, string projectId, int count, CancellationToken cancellationToken)
    {
        var windowLength = (long)options.Value.PoisonAlertWindow.TotalMilliseconds;
        var window = time.GetUtcNow().ToUnixTimeMilliseconds() / windowLength;
        var alert = events.Create(organizationId, projectId, HubEventTypes.WebhookDeliveriesPoisoned, "queue/" + JobQueues.WebhookDelivery.Id,
            new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["count"] = count.ToString(CultureInfo.InvariantCulture),
                ["queue"] = JobQueues.WebhookDelivery.Id,
                ["window_start"] = DateTimeOffset.FromUnixTimeMilliseconds(window * windowLength).ToString("O", CultureInfo.InvariantCulture),
                ["window_seconds"] = ((long)options.Value.PoisonAlertWindow.TotalSeconds).ToString(CultureInfo.InvariantCulture),
            });
        // The id is the project's and the window's: a later run, or another instance, in the same window appends the same id,
        // which the outbox keeps once.
        await events.AppendAsync(DeterministicEventIds.WithIdFor(alert, HubEventTypes.WebhookDeliveriesPoisoned, organizationId, projectId,
            window.ToString(CultureInfo.InvariantCulture), windowLength.ToString(CultureInfo.InvariantCulture)), cancellationToken).ConfigureAwait(false);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 9430, Level = LogLevel.Warning, Message = "Drained {Count} webhook delivery tickets from the poison queue into failed deliveries.")]
        public static partial void Drained(ILogger logger, int count);

        [LoggerMessage(EventId = 9871, Level = LogLevel.Warning, Message = "Counting the poison queue of job queue {Queue} failed.")]
        public static partial void CountFailed(ILogger logger, Exception exception, string queue);
    }
}
