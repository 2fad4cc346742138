namespace Integrations.Core.OutboundWebhooks;

/// <summary>Error codes of outbound messages, replays and recovers. Each is a problem <c>type</c> with an entry in docs/problems.md.</summary>
public static class OutboundMessageErrors
{
    public const string InvalidEventType = "invalid-event-type";
    public const string InvalidPayload = "invalid-message-payload";
    public const string PayloadTooLarge = "message-payload-too-large";
    public const string InvalidIdempotencyKey = "invalid-idempotency-key";

    /// <summary>The message is stored, but some of its deliveries could not be queued (a repeat with the same key, or a replay, queues them).</summary>
    public const string NotQueued = "message-not-queued";

    /// <summary>A replay named an endpoint that has no delivery of the message and does not subscribe to its type now.</summary>
    public const string EndpointNotSubscribed = "endpoint-not-subscribed";
}
