using Integrations.Core.Common;

namespace Integrations.Core.Events;

/// <summary>The durable per-project outbox of <see cref="HubEvent"/>s.</summary>
public interface IEventOutbox
{
    /// <summary>Appends the event; idempotent by <see cref="HubEvent.Id"/>.</summary>
    Task AppendAsync(HubEvent hubEvent, CancellationToken cancellationToken = default);

    Task<PagedList<HubEvent>> ListAsync(string organizationId, string projectId, ActivityQuery query, CancellationToken cancellationToken = default);
}
