using Integrations.Core.Common;

namespace Integrations.Core.OutboundWebhooks;

/// <summary>Stored outbound messages, newest first per project, and their idempotency keys.</summary>
public interface IOutboundMessageStore
{
    /// <summary>
    /// Stores <paramref name="message"/>; when its idempotency key (or its id) is already taken by a message within the
    /// retention, returns that first message with <c>Added = false</c> instead.
    /// </summary>
    Task<(OutboundMessage Message, bool Added)> AddAsync(OutboundMessage message, CancellationToken cancellationToken = default);

    Task<OutboundMessage?> GetAsync(string organizationId, string projectId, string messageId, CancellationToken cancellationToken = default);

    Task<PagedList<OutboundMessage>> ListAsync(string organizationId, string projectId, OutboundMessageQuery query, CancellationToken cancellationToken = default);
}

/// <summary>Filters of the messages list.</summary>
public sealed record OutboundMessageQuery(PageRequest Page, string? EventType = null, DateTimeOffset? Since = null);
