using Integrations.Core.OutboundWebhooks;
using Integrations.Core.Webhooks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Integrations.Api.Jobs;

/// <summary>
/// Finishes fan-outs whose accepting process died between storing a message and queueing its delivery tickets
/// (<c>Webhooks:FanOutRecoverySchedule</c>): every <see cref="FanOutMarker"/> older than <c>Webhooks:FanOutRecoveryAfter</c>
/// gets <see cref="OutboundMessageService.RecoverFanOutAsync"/>. Without it such a message would wait for a replay.
/// </summary>
public sealed partial class RecoverWebhookFanOutJob(
    IOutboundMessageStore messages, OutboundMessageService service, IOptions<WebhookOptions> options, TimeProvider time, ILogger<RecoverWebhookFanOutJob> logger)
{
    /// <summary>At most this many markers per run; the next run takes the rest.</summary>
    public const int MaxPerRun = 500;

    public async Task<int> RunAsync(CancellationToken cancellationToken = default)
    {
        var markers = await messages.ListOpenFanOutsAsync(time.GetUtcNow() - options.Value.FanOutRecoveryAfter, MaxPerRun, cancellationToken).ConfigureAwait(false);
        var queued = 0;
        foreach (var marker in markers)
        {
            queued += await service.RecoverFanOutAsync(marker, cancellationToken).ConfigureAwait(false);
        }

        if (markers.Count > 0)
        {
            Log.Recovered(logger, markers.Count, queued);
        }

        return queued;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 9356, Level = LogLevel.Warning, Message = "Fan-out recovery: {Markers} unfinished fan-outs found, {Tickets} delivery tickets queued.")]
        public static partial void Recovered(ILogger logger, int markers, int tickets);
    }
}
