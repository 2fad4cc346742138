using System.Text.Json;
using Integrations.Core.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Integrations.Core.OutboundWebhooks;

/// <summary>
/// Publishes every verified inbound webhook event as an outbound message, so a consumer is pushed to instead of polling:
/// event type <c>inbound.{source name}.{provider event type, or "event"}</c> (characters outside the allowed set become
/// <c>_</c>), origin <c>inbound</c>, payload <c>{event_id, source_id, provider_event_id, received_at, body}</c> — <c>body</c>
/// the provider's JSON as received, or <c>body_base64</c> when the body is not JSON, or <c>body_omitted</c> with
/// <c>body_length</c> when it would pass <c>Webhooks:MaxMessageBytes</c> (read it through the events API).
/// </summary>
/// <remarks>
/// The message id is derived from the inbound event id (<see cref="MessageIds.ForInboundEvent"/>): a replay of the inbound
/// event through the events API publishes again, which stores nothing new and queues only deliveries whose tickets were
/// lost — the repair for a process that died between storing the message and queueing its tickets.
/// </remarks>
public sealed partial class InboundMessagePublisher(
    IServiceProvider services, IWebhookSourceStore sources, TimeProvider time, IOptions<WebhookOptions> options, ILogger<InboundMessagePublisher> logger)
    : IReceivedWebhookHandler
{
    /// <summary>The first segment of every inbound message's event type.</summary>
    public const string EventTypePrefix = "inbound";

    /// <summary>The last segment when the scheme reveals no event type.</summary>
    public const string UntypedEvent = "event";

    private OutboundMessageService Messages => services.GetRequiredService<OutboundMessageService>();

    public async Task HandleAsync(WebhookEvent webhookEvent, ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(webhookEvent);
        var source = await sources.GetAsync(webhookEvent.OrganizationId, webhookEvent.ProjectId, webhookEvent.SourceId, cancellationToken).ConfigureAwait(false);
        if (source is null)
        {
            return;
        }

        var eventType = EventTypeOf(source.Name, webhookEvent.EventType);
        var message = new OutboundMessage(MessageIds.ForInboundEvent(webhookEvent.Id), webhookEvent.OrganizationId, webhookEvent.ProjectId, eventType,
            PayloadOf(webhookEvent, body.Span, options.Value.MaxMessageBytes), null, MessageOrigins.Inbound, time.GetUtcNow());
        var accepted = await Messages.AcceptAsync(message, cancellationToken).ConfigureAwait(false);
        if (!accepted.IsSuccess)
        {
            Log.NotPublished(logger, webhookEvent.Id, accepted.Error.Code);
        }
    }

    /// <summary><c>inbound.{source name}.{provider type or "event"}</c>, made valid (<see cref="OutboundEventTypes.Compose"/>).</summary>
    public static string EventTypeOf(string sourceName, string? providerEventType) =>
        OutboundEventTypes.Compose(EventTypePrefix, sourceName, string.IsNullOrEmpty(providerEventType) ? UntypedEvent : providerEventType);

    /// <summary>The message payload of an inbound event; the body left out when the payload would pass <paramref name="maxBytes"/>.</summary>
    public static byte[] PayloadOf(WebhookEvent webhookEvent, ReadOnlySpan<byte> body, int maxBytes)
    {
        ArgumentNullException.ThrowIfNull(webhookEvent);
        var payload = Write(webhookEvent, body, includeBody: true);
        return payload.Length <= maxBytes ? payload : Write(webhookEvent, body, includeBody: false);
    }

    private static byte[] Write(WebhookEvent e, ReadOnlySpan<byte> body, bool includeBody)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("event_id", e.Id);
            json.WriteString("source_id", e.SourceId);
            json.WriteString("provider_event_id", e.ProviderEventId);
            json.WriteString("received_at", e.ReceivedAt);
            if (!includeBody)
            {
                json.WriteBoolean("body_omitted", true);
                json.WriteNumber("body_length", body.Length);
            }
            else if (OutboundMessageService.IsJson(body))
            {
                json.WritePropertyName("body");
                json.WriteRawValue(body, skipInputValidation: true);
            }
            else
            {
                json.WriteBase64String("body_base64", body);
            }

            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 9365, Level = LogLevel.Error, Message = "Inbound event {EventId} was not published as a message ({Code}).")]
        public static partial void NotPublished(ILogger logger, string eventId, string code);
    }
}
