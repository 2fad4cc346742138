namespace Integrations.Core.OutboundWebhooks;

/// <summary>
/// The per-endpoint counter names (<see cref="Counters.IHubCounters"/>, keyed by the endpoint id) that the endpoint stats
/// route reads. The same names and values as the delivery job's <c>OutboundWebhookCounters</c> (branch i10-delivery), which
/// records them: once that is merged, this class goes and the stats route reads that one.
/// </summary>
public static class DeliveryCounters
{
    /// <summary>Deliveries that got a 2xx.</summary>
    public const string Delivered = "delivered";

    /// <summary>Deliveries that ended failed: attempts exhausted, 410 Gone, the endpoint disabled or gone, or poison.</summary>
    public const string Failed = "failed";

    /// <summary>Attempts that failed and were rescheduled.</summary>
    public const string Retried = "retried";

    /// <summary>Time-valued: the last attempt that got a 2xx.</summary>
    public const string LastSuccess = "last_success_at";
}
