namespace Integrations.Core.OutboundWebhooks;

/// <summary>
/// The per-endpoint counter names (<see cref="Counters.IHubCounters"/>, keyed by the endpoint id): the delivery job records
/// one per attempt outcome, <c>GET …/webhook-endpoints/{id}/stats</c> reads them. Counts of attempt outcomes over a time
/// range, not of deliveries in a state now.
/// </summary>
public static class DeliveryCounters
{
    /// <summary>An attempt the receiver answered with a 2xx.</summary>
    public const string Delivered = "delivered";

    /// <summary>An attempt that failed and was scheduled again.</summary>
    public const string Retrying = "retrying";

    /// <summary>A delivery that ended <see cref="DeliveryState.Failed"/> (attempts exhausted, endpoint disabled, poison).</summary>
    public const string Failed = "failed";

    /// <summary>The time-valued counter: the last attempt the receiver answered with a 2xx.</summary>
    public const string LastDelivered = "last_delivered_at";
}
