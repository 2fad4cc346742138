using Integrations.Core.Common;

namespace Integrations.Core.OutboundWebhooks;

/// <summary>Stored outbound messages, newest first per project, with their idempotency keys.</summary>
public interface IOutboundMessageStore
{
    /// <summary>
    /// Stores <paramref name="message"/> and its <paramref name="deliveries"/> (state <see cref="DeliveryState.Pending"/>)
    /// in one transaction. When the message's idempotency key is already taken within the retention, or its id exists,
    /// nothing is written and the first message comes back with <c>Added = false</c>.
    /// </summary>
    Task<(OutboundMessage Message, bool Added)> AddAsync(OutboundMessage message, IReadOnlyList<WebhookDelivery> deliveries, CancellationToken cancellationToken = default);

    Task<OutboundMessage?> GetAsync(string organizationId, string projectId, string messageId, CancellationToken cancellationToken = default);

    /// <summary>The project's messages, newest first (payloads not loaded: <see cref="OutboundMessage.Payload"/> is empty).</summary>
    Task<PagedList<OutboundMessage>> ListAsync(string organizationId, string projectId, OutboundMessageQuery query, CancellationToken cancellationToken = default);

    /// <summary>Deletes every message created before <paramref name="createdBefore"/> with its list entry, idempotency claim, deliveries and attempts; the number of messages deleted.</summary>
    Task<int> DeleteCreatedBeforeAsync(DateTimeOffset createdBefore, CancellationToken cancellationToken = default);
}

/// <summary>Filters of the messages list.</summary>
public sealed record OutboundMessageQuery(PageRequest Page, string? EventType = null, DateTimeOffset? Since = null);
