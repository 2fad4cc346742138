using Integrations.Core.Events;

namespace Integrations.Core.OutboundWebhooks;

/// <summary>
/// Message ids derived from what the hub publishes (an outbox event, an inbound event), in the shape of
/// <c>Ids.New("msg")</c>: publishing the same thing again names the same message, which the store keeps once.
/// </summary>
public static class MessageIds
{
    /// <summary>The message of activity event <paramref name="eventId"/>.</summary>
    public static string ForOutboxEvent(string eventId) => For(MessageOrigins.Outbox, eventId);

    /// <summary>The message of inbound webhook event <paramref name="eventId"/>.</summary>
    public static string ForInboundEvent(string eventId) => For(MessageOrigins.Inbound, eventId);

    private static string For(string origin, string id)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        // The same 100 bits of SHA-256 as event ids, under the message prefix; the origin keeps the two kinds apart.
        var hashed = DeterministicEventIds.For("message", origin, id);
        return OutboundMessage.IdPrefix + hashed[hashed.IndexOf('_', StringComparison.Ordinal)..];
    }
}
