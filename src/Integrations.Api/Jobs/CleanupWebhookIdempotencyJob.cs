using Integrations.Core.Webhooks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Integrations.Api.Jobs;

/// <summary>
/// Deletes webhook events (rows, list entries, blob bodies) received longer ago than <c>Webhooks:EventRetention</c>
/// (<c>Webhooks:CleanupSchedule</c>). Each event row is also its delivery's idempotency key, so this is
/// the idempotency keys' expiry too; the retention is at least <c>Webhooks:IdempotencyRetention</c> (checked at start).
/// </summary>
public sealed partial class CleanupWebhookIdempotencyJob(IWebhookEventStore events, IOptions<WebhookOptions> options, TimeProvider time, ILogger<CleanupWebhookIdempotencyJob> logger)
{
    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        var deleted = await events.DeleteReceivedBeforeAsync(time.GetUtcNow() - options.Value.EventRetention, cancellationToken).ConfigureAwait(false);
        Log.Deleted(logger, deleted);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 9240, Level = LogLevel.Information, Message = "Webhook cleanup deleted {Count} events past their retention.")]
        public static partial void Deleted(ILogger logger, int count);
    }
}
