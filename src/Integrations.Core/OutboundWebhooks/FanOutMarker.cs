namespace Integrations.Core.OutboundWebhooks;

/// <summary>
/// A note, stored in the same transaction as its message and removed once all its delivery tickets are queued, that the
/// fan-out is under way. A marker older than <c>Webhooks:FanOutRecoveryAfter</c> means the accepting process died between
/// the two (or could not queue): the fan-out recovery job queues the tickets of the message's deliveries that never had an
/// attempt.
/// </summary>
/// <param name="OpenedAt">When the message was stored; the marker is found by this time (or by when a recovery last claimed it).</param>
/// <param name="ETag">The stored marker's version, when it was read: a recovery claims the marker with it.</param>
public sealed record FanOutMarker(string OrganizationId, string ProjectId, string MessageId, DateTimeOffset OpenedAt, string? ETag = null);
