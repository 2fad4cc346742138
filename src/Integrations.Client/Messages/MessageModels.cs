using System.Text.Json;

namespace Integrations.Client.Messages;

/// <summary>A message to send to the project's endpoints whose filter matches <see cref="EventType"/>.</summary>
/// <param name="EventType">The event type, e.g. <c>invoice.paid</c>.</param>
/// <param name="Payload">The JSON the endpoints receive as <c>data</c>, kept exactly as sent (<see cref="Create{T}"/> makes it from an object).</param>
public sealed record NewMessage(string EventType, JsonElement Payload)
{
    /// <summary>
    /// A key that makes a retry of this send safe: the same key within 24 h answers the first message
    /// (<see cref="MessageAccepted.Duplicate"/>) and nothing new is stored or delivered.
    /// </summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>
    /// A message whose payload is <paramref name="payload"/> serialized with <paramref name="options"/> (default: System.Text.Json's
    /// defaults, member names as written), not with the hub's snake_case: the payload is the caller's own JSON.
    /// </summary>
    public static NewMessage Create<T>(string eventType, T payload, JsonSerializerOptions? options = null) =>
        new(eventType, JsonSerializer.SerializeToElement(payload, options ?? JsonSerializerOptions.Default));
}

/// <summary>The answer to a send: the message id (the first message's, for a repeat of its idempotency key).</summary>
/// <param name="Id">The message id (<c>msg_…</c>); also the <c>webhook-id</c> of every delivery of it.</param>
/// <param name="EventType">The event type.</param>
/// <param name="CreatedAt">When the message was stored.</param>
/// <param name="Duplicate">True when the idempotency key named a message sent before: nothing new was stored or queued.</param>
/// <param name="Deliveries">How many endpoints the message is delivered to.</param>
public sealed record MessageAccepted(string Id, string EventType, DateTimeOffset CreatedAt, bool Duplicate, int Deliveries);

/// <summary>A message in a list: no payload.</summary>
/// <param name="Id">The message id.</param>
/// <param name="EventType">The event type.</param>
/// <param name="Origin">Who sent it: <c>api</c>, or the hub itself for its own events.</param>
/// <param name="IdempotencyKey">The idempotency key it was sent with, if any.</param>
/// <param name="CreatedAt">When it was stored.</param>
public sealed record MessageSummary(string Id, string EventType, string Origin, string? IdempotencyKey, DateTimeOffset CreatedAt);

/// <summary>One message with its payload (as sent) and its delivery to each endpoint.</summary>
/// <param name="Id">The message id.</param>
/// <param name="EventType">The event type.</param>
/// <param name="Origin">Who sent it.</param>
/// <param name="SentBy">The API key or person that sent an <c>api</c> message, as <c>{kind}:{id}</c> (e.g. <c>ApiKey:key_…</c>); null for the hub's own.</param>
/// <param name="IdempotencyKey">The idempotency key it was sent with, if any.</param>
/// <param name="CreatedAt">When it was stored.</param>
/// <param name="Payload">The payload, as sent.</param>
/// <param name="Deliveries">Its delivery to each endpoint.</param>
public sealed record Message(
    string Id, string EventType, string Origin, string? SentBy, string? IdempotencyKey, DateTimeOffset CreatedAt, JsonElement Payload, IReadOnlyList<MessageDelivery> Deliveries);

/// <summary>A message's delivery to one endpoint.</summary>
/// <param name="EndpointId">The endpoint.</param>
/// <param name="State"><c>pending</c>, <c>retrying</c>, <c>delivered</c> or <c>failed</c>.</param>
/// <param name="Attempts">Attempts made so far.</param>
/// <param name="NextAttemptAt">When the next attempt is due, while retrying.</param>
/// <param name="LastAttemptAt">When the last attempt was made.</param>
/// <param name="LastStatusCode">The receiver's last status.</param>
/// <param name="FailureReason">Why it failed, only while it is failed.</param>
/// <param name="CreatedAt">When the delivery was queued.</param>
/// <param name="UpdatedAt">When it last changed.</param>
public sealed record MessageDelivery(
    string EndpointId, string State, int Attempts, DateTimeOffset? NextAttemptAt, DateTimeOffset? LastAttemptAt, int? LastStatusCode, string? FailureReason,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>The answer to a replay: the endpoints a delivery was queued to.</summary>
/// <param name="Id">The message id.</param>
/// <param name="EndpointIds">The endpoints it goes to again.</param>
/// <param name="Count">How many.</param>
public sealed record MessageReplay(string Id, IReadOnlyList<string> EndpointIds, int Count);

/// <summary>The messages list's filters and page.</summary>
public sealed record MessageQuery
{
    /// <summary>Only messages of this event type.</summary>
    public string? EventType { get; init; }

    /// <summary>Only messages created since then.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>The page, from 1.</summary>
    public int Page { get; init; } = 1;

    /// <summary>The page size (at most 100).</summary>
    public int PerPage { get; init; } = 20;
}

/// <summary>One delivery attempt: what the receiver answered, never a secret or a signature.</summary>
/// <param name="MessageId">The message delivered.</param>
/// <param name="EndpointId">The endpoint.</param>
/// <param name="Number">The attempt's number in its delivery, from 1.</param>
/// <param name="At">When it was made.</param>
/// <param name="StatusCode">The receiver's status, or null when no answer came (<see cref="Error"/> says why).</param>
/// <param name="DurationMs">How long it took.</param>
/// <param name="Succeeded">True for a 2xx.</param>
/// <param name="ResponseBody">The first 4 KiB of the receiver's answer.</param>
/// <param name="Error">Why no answer came, if none did.</param>
public sealed record DeliveryAttempt(
    string MessageId, string EndpointId, int Number, DateTimeOffset At, int? StatusCode, long DurationMs, bool Succeeded, string? ResponseBody, string? Error);
