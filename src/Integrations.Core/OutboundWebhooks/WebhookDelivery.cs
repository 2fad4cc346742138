namespace Integrations.Core.OutboundWebhooks;

/// <summary>One message's delivery to one endpoint: its state and what its attempts have done so far.</summary>
/// <param name="Attempts">Attempts made so far (a replay continues the count).</param>
/// <param name="NextAttemptAt">When <see cref="DeliveryState.Pending"/> or <see cref="DeliveryState.Retrying"/>: when the queued attempt becomes due.</param>
/// <param name="LastStatusCode">The last attempt's HTTP status; null when it got no response (refused, timeout, network).</param>
/// <param name="FailureReason">For <see cref="DeliveryState.Failed"/>: why (attempts exhausted, endpoint disabled, poison …).</param>
/// <param name="ETag">The stored row's ETag; every state change is conditional on it.</param>
public sealed record WebhookDelivery(
    string OrganizationId,
    string ProjectId,
    string MessageId,
    string EndpointId,
    string EventType,
    DeliveryState State,
    int Attempts,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset? LastAttemptAt,
    int? LastStatusCode,
    string? FailureReason,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string? ETag = null);
