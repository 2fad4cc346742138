using System.Text.Json;
using Integrations.Core.Events;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Integrations.Core.OutboundWebhooks;

/// <summary>
/// Publishes every event appended to a project's activity outbox as an outbound message (origin <c>outbox</c>, the event's
/// type as event type, payload <c>{id, type, subject, occurred_at, data}</c>), inline, right after the append. The message
/// id is derived from the event id (<see cref="MessageIds.ForOutboxEvent"/>), so appending the same event again is a repeat
/// that stores nothing and queues only deliveries whose tickets were lost.
/// </summary>
/// <remarks>
/// A publish that fails (storage or queue down) answers false, and a process that dies between the outbox append and the
/// publish answers nothing: either way <see cref="EventWriter"/>'s hand-off note stays, and the relay
/// (<see cref="EventWriter.RelayAsync"/>, run by the fan-out recovery job) publishes the event again — the same message id,
/// so a publish that did land is a repeat that stores nothing.
/// </remarks>
public sealed partial class OutboxMessagePublisher(IServiceProvider services, TimeProvider time, ILogger<OutboxMessagePublisher> logger) : IHubEventListener
{
    // Resolved on first use, not injected: the endpoint directory appends events (endpoint.disabled) through EventWriter,
    // which calls this listener, which needs the message service, which needs the directory — a cycle at construction.
    private OutboundMessageService Messages => services.GetRequiredService<OutboundMessageService>();

    public async Task<bool> OnAppendedAsync(HubEvent hubEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hubEvent);
        try
        {
            var message = new OutboundMessage(MessageIds.ForOutboxEvent(hubEvent.Id), hubEvent.OrganizationId, hubEvent.ProjectId, hubEvent.Type,
                PayloadOf(hubEvent), null, MessageOrigins.Outbox, time.GetUtcNow());
            var accepted = await Messages.AcceptAsync(message, cancellationToken).ConfigureAwait(false);
            if (!accepted.IsSuccess)
            {
                Log.NotPublished(logger, hubEvent.Id, accepted.Error.Code);
                return false;
            }

            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.PublishFailed(logger, ex, hubEvent.Id);
            return false;
        }
    }

    /// <summary>The message payload of an event: <c>{id, type, subject, occurred_at, data}</c>.</summary>
    public static byte[] PayloadOf(HubEvent hubEvent)
    {
        ArgumentNullException.ThrowIfNull(hubEvent);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("id", hubEvent.Id);
            json.WriteString("type", hubEvent.Type);
            json.WriteString("subject", hubEvent.Subject);
            json.WriteString("occurred_at", hubEvent.OccurredAt);
            json.WriteStartObject("data");
            foreach (var (key, value) in hubEvent.Data.OrderBy(d => d.Key, StringComparer.Ordinal))
            {
                json.WriteString(key, value);
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 9360, Level = LogLevel.Error, Message = "Activity event {EventId} was not published as a message ({Code}); it stays in the activity list.")]
        public static partial void NotPublished(ILogger logger, string eventId, string code);

        [LoggerMessage(EventId = 9361, Level = LogLevel.Error, Message = "Activity event {EventId} could not be published as a message; it stays in the activity list.")]
        public static partial void PublishFailed(ILogger logger, Exception exception, string eventId);
    }
}
