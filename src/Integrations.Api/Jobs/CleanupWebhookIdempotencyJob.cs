using Integrations.Core.OutboundWebhooks;
using Integrations.Core.Webhooks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Integrations.Api.Jobs;

/// <summary>
/// Deletes webhook events (rows, list entries, blob bodies) received longer ago than <c>Webhooks:EventRetention</c>
/// (<c>Webhooks:CleanupSchedule</c>). Each event row is also its delivery's idempotency key, so this is
/// the idempotency keys' expiry too; the retention is at least <c>Webhooks:IdempotencyRetention</c> (checked at start).
/// Outbound messages go the same way past <c>Webhooks:MessageRetention</c>, with their deliveries and attempts.
/// </summary>
public sealed partial class CleanupWebhookIdempotencyJob(
    IWebhookEventStore events, IOutboundMessageStore messages, IOptions<WebhookOptions> options, TimeProvider time, ILogger<CleanupWebhookIdempotencyJob> logger)
{
    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var deleted = await events.DeleteReceivedBeforeAsync(now - options.Value.EventRetention, cancellationToken).ConfigureAwait(false);
        Log.Deleted(logger, deleted);
        var deletedMessages = await messages.DeleteCreatedBeforeAsync(now - options.Value.MessageRetention, cancellationToken).ConfigureAwait(false);
        Log.DeletedMessages(logger, deletedMessages);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 9240, Level = LogLevel.Information, Message = "Webhook cleanup deleted {Count} events past their retention.")]
        public static partial void Deleted(ILogger logger, int count);

        [LoggerMessage(EventId = 9241, Level = LogLevel.Information, Message = "Webhook cleanup deleted {Count} outbound messages past their retention.")]
        public static partial void DeletedMessages(ILogger logger, int count);
    }
}
