using Integrations.Core.Counters;

namespace Integrations.Core.OutboundWebhooks;

/// <summary>
/// The per-endpoint counter names (<see cref="IHubCounters"/>, keyed by <see cref="KeyOf"/>): the delivery job records them,
/// the endpoint stats route reads them.
/// </summary>
public static class OutboundWebhookCounters
{
    /// <summary>Deliveries that got a 2xx.</summary>
    public const string Delivered = "delivered";

    /// <summary>Deliveries that ended failed: attempts exhausted, 410 Gone, the endpoint disabled or gone, or poison.</summary>
    public const string Failed = "failed";

    /// <summary>Attempts that failed and were rescheduled.</summary>
    public const string Retried = "retried";

    /// <summary>Time-valued: the last attempt that got a 2xx.</summary>
    public const string LastSuccess = "last_success_at";

    /// <summary>Time-valued: the last attempt that failed.</summary>
    public const string LastFailure = "last_failure_at";

    /// <summary>
    /// Time-valued: when the endpoint's current run of failures began (recorded once per run, when an instance sees a failure
    /// and knows of no run later than <see cref="LastSuccess"/>). A run is current while it is later than the last success.
    /// </summary>
    public const string FailingSince = "failing_since";

    /// <summary>The counters of one endpoint.</summary>
    public static CounterKey KeyOf(string organizationId, string projectId, string endpointId) => new(organizationId, projectId, endpointId);
}
