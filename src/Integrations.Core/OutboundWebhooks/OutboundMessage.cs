namespace Integrations.Core.OutboundWebhooks;

/// <summary>
/// An event a project sends to its endpoints (<c>POST …/messages</c>), or one the hub publishes for it (its activity outbox:
/// <c>connection.*</c>, <c>secret.*</c>; verified inbound events: <c>inbound.{source name}.{provider event type}</c>).
/// The delivered body is <c>{"type", "timestamp", "data"}</c> with <see cref="Payload"/> as <c>data</c>, and the
/// <c>webhook-id</c> header is <see cref="Id"/> — the same on every attempt and every replay, so receivers deduplicate by it.
/// </summary>
/// <param name="Id">The message id (<c>msg_…</c>).</param>
/// <param name="Payload">The JSON the sender gave, as UTF-8 bytes, kept as received.</param>
/// <param name="IdempotencyKey">The sender's key; the same key within <c>Webhooks:MessageIdempotencyRetention</c> returns this message.</param>
/// <param name="Origin"><c>api</c>, <c>outbox</c> or <c>inbound</c>.</param>
public sealed record OutboundMessage(
    string Id,
    string OrganizationId,
    string ProjectId,
    string EventType,
    ReadOnlyMemory<byte> Payload,
    string? IdempotencyKey,
    string Origin,
    DateTimeOffset CreatedAt)
{
    public const string IdPrefix = "msg";

    /// <summary>
    /// Who sent an <c>api</c> message, as <c>{caller kind}:{caller id}</c> (e.g. <c>ApiKey:key_…</c>), stored in the message's
    /// own row in the transaction that stores it: the send's record of who began it (its audit log entry is the outcome
    /// only). Null for the hub's own messages.
    /// </summary>
    public string? SentBy { get; init; }
}
