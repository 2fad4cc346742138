using Integrations.Core.Events;
using Integrations.Core.OutboundWebhooks;
using Integrations.Core.Webhooks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Integrations.Api.Jobs;

/// <summary>
/// Finishes what a process that died (or a store that refused) left half done, on <c>Webhooks:FanOutRecoverySchedule</c>,
/// once older than <c>Webhooks:FanOutRecoveryAfter</c>: first the hub's events appended but not handed on as messages
/// (<see cref="EventHandOff"/> → <see cref="EventWriter.RelayAsync"/>), then messages stored but not queued
/// (<see cref="FanOutMarker"/> → <see cref="OutboundMessageService.RecoverFanOutAsync"/>). Without it such an event or
/// message would wait for a replay.
/// </summary>
public sealed partial class RecoverWebhookFanOutJob(
    IOutboundMessageStore messages, OutboundMessageService service, IEventHandOffStore handOffs, EventWriter events, IOptions<WebhookOptions> options,
    TimeProvider time, ILogger<RecoverWebhookFanOutJob> logger)
{
    /// <summary>At most this many markers per run; the next run takes the rest.</summary>
    public const int MaxPerRun = 500;

    public async Task<int> RunAsync(CancellationToken cancellationToken = default)
    {
        // Events first: handing one on makes a message, whose fan-out this run (or the next) then finishes.
        var stale = time.GetUtcNow() - options.Value.FanOutRecoveryAfter;
        var notes = await handOffs.ListOpenHandOffsAsync(stale, MaxPerRun, cancellationToken).ConfigureAwait(false);
        var relayed = 0;
        foreach (var note in notes)
        {
            relayed += await events.RelayAsync(note, cancellationToken).ConfigureAwait(false) ? 1 : 0;
        }

        if (notes.Count > 0)
        {
            Log.Relayed(logger, notes.Count, relayed);
        }

        var markers = await messages.ListOpenFanOutsAsync(stale, MaxPerRun, cancellationToken).ConfigureAwait(false);
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

        [LoggerMessage(EventId = 9357, Level = LogLevel.Warning, Message = "Fan-out recovery: {Notes} activity events were not handed on; {Relayed} handed on now.")]
        public static partial void Relayed(ILogger logger, int notes, int relayed);
    }
}
