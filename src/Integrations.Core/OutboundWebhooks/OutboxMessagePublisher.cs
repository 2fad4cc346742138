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
/// What this covers and what it does not: a publish that fails (storage or queue down) is logged and retried the next time
/// the same event is appended — the jobs that derive their event ids (expiry checks, health checks) append it again on
/// their next run, and a repeat queues the deliveries whose tickets never went out. A process that dies between the
/// outbox append and the publish, or an event with a fresh id whose publish failed, leaves the event in the activity list
/// but not delivered: there is no relay sweeping the outbox (yet). The outbox stays the record; webhooks are best-effort
/// for that window only.
/// </remarks>
public sealed partial class OutboxMessagePublisher(IServiceProvider services, TimeProvider time, ILogger<OutboxMessagePublisher> logger) : IHubEventListener
{
    // Resolved on first use, not injected: the endpoint directory appends events (endpoint.disabled) through EventWriter,
    // which calls this listener, which needs the message service, which needs the directory — a cycle at construction.
    private OutboundMessageService Messages => services.GetRequiredService<OutboundMessageService>();

    public async Task OnAppendedAsync(HubEvent hubEvent, CancellationToken cancellationToken = default)
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
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.PublishFailed(logger, ex, hubEvent.Id);
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
