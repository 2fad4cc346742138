using Integrations.Core.Common;

namespace Integrations.Core.Webhooks;

/// <summary>Storage of webhook sources. Every write is conditional on an ETag: nothing is overwritten silently.</summary>
public interface IWebhookSourceStore
{
    /// <summary>Adds the source; <see cref="WriteOutcome.Conflict"/> when its name is taken in the project.</summary>
    Task<WriteOutcome> TryCreateAsync(WebhookSource source, CancellationToken cancellationToken = default);

    Task<WebhookSource?> GetAsync(string organizationId, string projectId, string sourceId, CancellationToken cancellationToken = default);

    /// <summary>The source by its id alone, for the public ingress route (which knows no tenant): through an index row, checked against the source row.</summary>
    Task<WebhookSource?> FindAsync(string sourceId, CancellationToken cancellationToken = default);

    Task<WriteOutcome> TryUpdateAsync(WebhookSource updated, CancellationToken cancellationToken = default);

    Task<WriteOutcome> TryDeleteAsync(WebhookSource source, CancellationToken cancellationToken = default);

    /// <summary>
    /// Every source of the project, found by the project id alone (the public project-level ingress route knows no tenant):
    /// through an index, each checked against its source row. At most a project's quota of sources.
    /// </summary>
    Task<IReadOnlyList<WebhookSource>> ListByProjectAsync(string projectId, CancellationToken cancellationToken = default);

    Task<PagedList<WebhookSource>> ListAsync(string organizationId, string projectId, PageRequest page, CancellationToken cancellationToken = default);
}
