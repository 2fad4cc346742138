using Integrations.Core.Common;

namespace Integrations.Core.OutboundWebhooks;

/// <summary>Stored outbound messages, newest first per project, with their idempotency keys.</summary>
public interface IOutboundMessageStore
{
    /// <summary>
    /// Stores <paramref name="message"/> and its <paramref name="deliveries"/> (state <see cref="DeliveryState.Pending"/>)
    /// in one transaction, with a <see cref="FanOutMarker"/> when there are deliveries: until <see cref="CloseFanOutAsync"/>
    /// removes it, the message's tickets may not all be queued. When the message's idempotency key is already taken within
    /// the retention, or its id exists, nothing is written and the first message comes back with <c>Added = false</c>.
    /// </summary>
    Task<(OutboundMessage Message, bool Added)> AddAsync(OutboundMessage message, IReadOnlyList<WebhookDelivery> deliveries, CancellationToken cancellationToken = default);

    Task<OutboundMessage?> GetAsync(string organizationId, string projectId, string messageId, CancellationToken cancellationToken = default);

    /// <summary>The project's messages, newest first (payloads not loaded: <see cref="OutboundMessage.Payload"/> is empty).</summary>
    Task<PagedList<OutboundMessage>> ListAsync(string organizationId, string projectId, OutboundMessageQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// Claims a listed <paramref name="marker"/> for one recovery: its time moves to <paramref name="now"/> if it is unchanged
    /// since it was read (its ETag), so a second recovery running at once skips it, and a recovery that dies midway leaves it
    /// to be found again later. False when another got there first or it is gone.
    /// </summary>
    Task<bool> TryClaimFanOutAsync(FanOutMarker marker, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes the marker of <paramref name="messageId"/> (nothing when it is gone already), possibly after returning: the
    /// store may batch removals for a moment. One lost to a stopping process costs the recovery a look at a finished fan-out.
    /// </summary>
    Task CloseFanOutAsync(string organizationId, string projectId, string messageId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Markers opened (or last claimed) before <paramref name="openedBefore"/>, at most <paramref name="max"/>, across every
    /// tenant. Costs one read per project that opened a fan-out in the minutes looked at, not a scan of the messages.
    /// </summary>
    Task<IReadOnlyList<FanOutMarker>> ListOpenFanOutsAsync(DateTimeOffset openedBefore, int max, CancellationToken cancellationToken = default);

    /// <summary>Deletes every message created before <paramref name="createdBefore"/> with its list entry, idempotency claim, deliveries and attempts; the number of messages deleted.</summary>
    Task<int> DeleteCreatedBeforeAsync(DateTimeOffset createdBefore, CancellationToken cancellationToken = default);
}

/// <summary>Filters of the messages list.</summary>
public sealed record OutboundMessageQuery(PageRequest Page, string? EventType = null, DateTimeOffset? Since = null);
