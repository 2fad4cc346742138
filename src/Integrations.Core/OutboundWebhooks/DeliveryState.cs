namespace Integrations.Core.OutboundWebhooks;

/// <summary>Where one message's delivery to one endpoint stands.</summary>
public enum DeliveryState
{
    /// <summary>Queued for its first attempt.</summary>
    Pending,

    /// <summary>An attempt failed; the next is queued for <see cref="WebhookDelivery.NextAttemptAt"/>.</summary>
    Retrying,

    /// <summary>The receiver answered 2xx. Final (a replay makes a new attempt series).</summary>
    Delivered,

    /// <summary>Every attempt failed, the endpoint was disabled, or the message could not be processed (poison). Listable and replayable.</summary>
    Failed,
}
