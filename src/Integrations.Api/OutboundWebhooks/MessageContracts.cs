using System.Text.Json;
using Integrations.Core.OutboundWebhooks;

namespace Integrations.Api.OutboundWebhooks;

/// <summary>The answer to <c>POST …/messages</c>: the message's id (the first message's, for a repeat of its idempotency key).</summary>
/// <param name="Duplicate">True when the idempotency key named a message sent before: nothing new was stored or queued.</param>
/// <param name="Deliveries">How many endpoints the message is delivered to.</param>
public sealed record MessageAcceptedResponse(string Id, string EventType, DateTimeOffset CreatedAt, bool Duplicate, int Deliveries)
{
    public static MessageAcceptedResponse From(AcceptedMessage accepted)
    {
        ArgumentNullException.ThrowIfNull(accepted);
        var m = accepted.Message;
        return new(m.Id, m.EventType, m.CreatedAt, accepted.Duplicate, accepted.Deliveries.Count);
    }
}

/// <summary>A message in a list: no payload.</summary>
public sealed record MessageSummaryResponse(string Id, string EventType, string Origin, string? IdempotencyKey, DateTimeOffset CreatedAt)
{
    public static MessageSummaryResponse From(OutboundMessage m)
    {
        ArgumentNullException.ThrowIfNull(m);
        return new(m.Id, m.EventType, m.Origin, m.IdempotencyKey, m.CreatedAt);
    }
}

/// <summary>One message with its payload (as sent) and its delivery to each endpoint.</summary>
/// <param name="SentBy">Who sent an <c>api</c> message (<c>{caller kind}:{caller id}</c>); null for the hub's own.</param>
public sealed record MessageResponse(
    string Id, string EventType, string Origin, string? SentBy, string? IdempotencyKey, DateTimeOffset CreatedAt, JsonElement Payload,
    IReadOnlyList<DeliveryResponse> Deliveries)
{
    public static MessageResponse From(MessageWithDeliveries found)
    {
        ArgumentNullException.ThrowIfNull(found);
        var m = found.Message;
        using var payload = JsonDocument.Parse(m.Payload, new JsonDocumentOptions { MaxDepth = 64 });
        return new(m.Id, m.EventType, m.Origin, m.SentBy, m.IdempotencyKey, m.CreatedAt, payload.RootElement.Clone(),
            found.Deliveries.Select(DeliveryResponse.From).ToList());
    }
}

/// <summary>A message's delivery to one endpoint; <c>failure_reason</c> only while it is failed.</summary>
public sealed record DeliveryResponse(
    string EndpointId, DeliveryState State, int Attempts, DateTimeOffset? NextAttemptAt, DateTimeOffset? LastAttemptAt, int? LastStatusCode,
    string? FailureReason, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static DeliveryResponse From(WebhookDelivery d)
    {
        ArgumentNullException.ThrowIfNull(d);
        // A reason belongs to a failed delivery only: one replayed since keeps the old reason in its row (a merge does not remove it).
        return new(d.EndpointId, d.State, d.Attempts, d.NextAttemptAt, d.LastAttemptAt, d.LastStatusCode, d.State == DeliveryState.Failed ? d.FailureReason : null,
            d.CreatedAt, d.UpdatedAt);
    }
}

/// <summary>One attempt of a delivery: never a secret or a signature, only what the receiver answered.</summary>
public sealed record AttemptResponse(
    string MessageId, string EndpointId, int Number, DateTimeOffset At, int? StatusCode, long DurationMs, bool Succeeded, string? ResponseBody, string? Error)
{
    public static AttemptResponse From(DeliveryAttempt a)
    {
        ArgumentNullException.ThrowIfNull(a);
        return new(a.MessageId, a.EndpointId, a.Number, a.At, a.StatusCode, (long)a.Duration.TotalMilliseconds, a.Succeeded, a.ResponseBody, a.Error);
    }
}

/// <summary>The attempts of one message.</summary>
public sealed record MessageAttemptsResponse(string MessageId, IReadOnlyList<AttemptResponse> Data);

/// <summary>The answer to a replay: the endpoints a delivery was queued to.</summary>
public sealed record MessageReplayedResponse(string Id, IReadOnlyList<string> EndpointIds, int Count);

/// <summary>The answer to a recover.</summary>
/// <param name="More">True when more failed deliveries remain than one recover queues: call it again.</param>
public sealed record EndpointRecoveredResponse(string EndpointId, DateTimeOffset Since, int Count, bool More);

/// <summary>An endpoint's outcomes over a range, from every instance's counters (another instance's last seconds may be missing).</summary>
/// <param name="Delivered">Deliveries that got a 2xx.</param>
/// <param name="Retrying">Attempts that failed and were scheduled again.</param>
/// <param name="Failed">Deliveries that ended failed (attempts exhausted, 410, endpoint disabled or gone, poison).</param>
public sealed record EndpointStatsResponse(string EndpointId, DateTimeOffset Since, DateTimeOffset Until, long Delivered, long Retrying, long Failed, DateTimeOffset? LastDeliveredAt);

/// <summary>The body of a replay: the endpoint to deliver to again, or none for every endpoint.</summary>
public sealed record MessageReplayInput(string? EndpointId);

/// <summary>The body of a recover.</summary>
public sealed record EndpointRecoverInput(DateTimeOffset? Since);
