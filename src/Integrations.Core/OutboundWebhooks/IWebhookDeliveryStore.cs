using Integrations.Core.Common;

namespace Integrations.Core.OutboundWebhooks;

/// <summary>Deliveries (one per message and endpoint) and their attempts. State changes are conditional on the delivery's ETag.</summary>
public interface IWebhookDeliveryStore
{
    /// <summary>Creates the deliveries of one message; those that exist already are left as they are (a fan-out run again).</summary>
    Task CreateAsync(IReadOnlyList<WebhookDelivery> deliveries, CancellationToken cancellationToken = default);

    Task<WebhookDelivery?> GetAsync(string organizationId, string projectId, string messageId, string endpointId, CancellationToken cancellationToken = default);

    /// <summary>Writes <paramref name="updated"/> (conditional on its ETag) and, when given, the attempt that led to it, together.</summary>
    Task<WriteOutcome> TryUpdateAsync(WebhookDelivery updated, DeliveryAttempt? attempt, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<WebhookDelivery>> ListByMessageAsync(string organizationId, string projectId, string messageId, CancellationToken cancellationToken = default);

    /// <summary>The endpoint's deliveries in <paramref name="state"/> created at or after <paramref name="since"/> (recover).</summary>
    Task<IReadOnlyList<WebhookDelivery>> ListByEndpointAsync(string organizationId, string projectId, string endpointId, DeliveryState state, DateTimeOffset since, CancellationToken cancellationToken = default);

    Task<PagedList<DeliveryAttempt>> ListAttemptsByMessageAsync(string organizationId, string projectId, string messageId, PageRequest page, CancellationToken cancellationToken = default);

    /// <summary>The endpoint's attempts, newest first.</summary>
    Task<PagedList<DeliveryAttempt>> ListAttemptsByEndpointAsync(string organizationId, string projectId, string endpointId, PageRequest page, CancellationToken cancellationToken = default);
}
