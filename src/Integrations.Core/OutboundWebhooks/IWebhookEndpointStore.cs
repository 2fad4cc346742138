using Integrations.Core.Common;

namespace Integrations.Core.OutboundWebhooks;

/// <summary>Storage of webhook endpoints. Every write is conditional on an ETag: nothing is overwritten silently.</summary>
public interface IWebhookEndpointStore
{
    Task<WriteOutcome> TryCreateAsync(WebhookEndpoint endpoint, CancellationToken cancellationToken = default);

    Task<WebhookEndpoint?> GetAsync(string organizationId, string projectId, string endpointId, CancellationToken cancellationToken = default);

    Task<WriteOutcome> TryUpdateAsync(WebhookEndpoint updated, CancellationToken cancellationToken = default);

    Task<WriteOutcome> TryDeleteAsync(WebhookEndpoint endpoint, CancellationToken cancellationToken = default);

    Task<PagedList<WebhookEndpoint>> ListAsync(string organizationId, string projectId, PageRequest page, CancellationToken cancellationToken = default);

    /// <summary>Every endpoint of the project (at most <c>Webhooks:MaxEndpointsPerProject</c>), for the fan-out.</summary>
    Task<IReadOnlyList<WebhookEndpoint>> ListAllAsync(string organizationId, string projectId, CancellationToken cancellationToken = default);
}
