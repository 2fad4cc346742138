using Integrations.Core.Common;

namespace Integrations.Core.OutboundWebhooks;

/// <summary>
/// Deliveries (one per message and endpoint) with their attempts. A delivery and its attempts are one row, so recording an
/// attempt is one write that needs no read first.
/// </summary>
public interface IWebhookDeliveryStore
{
    /// <summary>Creates deliveries for an existing message (an endpoint added to a replay); those that exist are left as they are.</summary>
    Task CreateAsync(IReadOnlyList<WebhookDelivery> deliveries, CancellationToken cancellationToken = default);

    Task<WebhookDelivery?> GetAsync(string organizationId, string projectId, string messageId, string endpointId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records <paramref name="attempt"/> and the delivery's new state in one write — conditional on
    /// <paramref name="updated"/>'s ETag when it has one, unconditional otherwise (the delivery job, which holds the
    /// queue message of this attempt and reads nothing first). Conflict / NotFound when the condition fails or the row is gone.
    /// </summary>
    Task<WriteOutcome> RecordAttemptAsync(WebhookDelivery updated, DeliveryAttempt attempt, CancellationToken cancellationToken = default);

    /// <summary>Changes the state (replay, recover, poison drain, endpoint gone), conditional on <paramref name="updated"/>'s ETag.</summary>
    Task<WriteOutcome> TryUpdateAsync(WebhookDelivery updated, CancellationToken cancellationToken = default);

    /// <summary>The message's deliveries, one per endpoint.</summary>
    Task<IReadOnlyList<WebhookDelivery>> ListByMessageAsync(string organizationId, string projectId, string messageId, CancellationToken cancellationToken = default);

    /// <summary>
    /// The endpoint's deliveries (optionally only those in <paramref name="state"/>) created at or after <paramref name="since"/>,
    /// newest first, at most <paramref name="limit"/>. A filtered read of the project's partition: its cost grows with the
    /// project's deliveries since <paramref name="since"/> — for recover and the endpoint's attempts, not for hot paths.
    /// </summary>
    Task<IReadOnlyList<WebhookDelivery>> ListByEndpointAsync(string organizationId, string projectId, string endpointId, DeliveryState? state, DateTimeOffset since, int limit, CancellationToken cancellationToken = default);

    /// <summary>The message's attempts across its endpoints, oldest first.</summary>
    Task<IReadOnlyList<DeliveryAttempt>> ListAttemptsByMessageAsync(string organizationId, string projectId, string messageId, CancellationToken cancellationToken = default);

    /// <summary>The endpoint's attempts since <paramref name="since"/>, newest first (see <see cref="ListByEndpointAsync"/> for the cost).</summary>
    Task<PagedList<DeliveryAttempt>> ListAttemptsByEndpointAsync(string organizationId, string projectId, string endpointId, DateTimeOffset since, PageRequest page, CancellationToken cancellationToken = default);
}
