using Integrations.Core.Common;

namespace Integrations.Core.Webhooks;

/// <summary>
/// Stored webhook events. One row per (source, provider event id) is at once the idempotency key and the event (body
/// included when it fits, else in a blob written first), so a first delivery costs one insert. Claims are conditional on
/// the row's ETag; the enqueued mark is a write that only the first marker wins.
/// </summary>
public interface IWebhookEventStore
{
    /// <summary>Stores <paramref name="webhookEvent"/> as <see cref="WebhookEventState.Received"/>, claimed now; or, when its row exists, that row.</summary>
    Task<WebhookEventSlot> AddAsync(WebhookEvent webhookEvent, ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default);

    /// <summary>The row's current state; null when it is gone.</summary>
    Task<WebhookEventSlot?> GetSlotAsync(string organizationId, string projectId, string eventId, CancellationToken cancellationToken = default);

    /// <summary>Takes over a row another copy held too long; null when it changed meanwhile (someone else took it, or it was enqueued).</summary>
    Task<WebhookEventSlot?> TryClaimAsync(WebhookEventSlot slot, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Gives up a claim (the enqueue failed) so that the provider's retry can take the event over at once.</summary>
    Task<bool> TryReleaseAsync(WebhookEventSlot slot, CancellationToken cancellationToken = default);

    /// <summary>Marks the event enqueued and lists it; false when the row changed meanwhile.</summary>
    Task<bool> TryMarkEnqueuedAsync(WebhookEventSlot slot, CancellationToken cancellationToken = default);

    /// <summary>An enqueued event of the project with its raw body; null when there is none (or it is not the project's).</summary>
    Task<StoredWebhookEvent?> GetAsync(string organizationId, string projectId, string eventId, CancellationToken cancellationToken = default);

    /// <summary>The project's enqueued events, newest first.</summary>
    Task<PagedList<WebhookEvent>> ListAsync(string organizationId, string projectId, WebhookEventQuery query, CancellationToken cancellationToken = default);

    /// <summary>Deletes every event received before <paramref name="receivedBefore"/> (rows, list entries and blobs); the number deleted.</summary>
    Task<int> DeleteReceivedBeforeAsync(DateTimeOffset receivedBefore, CancellationToken cancellationToken = default);
}

/// <summary>An event with its raw body.</summary>
public sealed record StoredWebhookEvent(WebhookEvent Event, ReadOnlyMemory<byte> Body);

/// <summary>Filters of the events list.</summary>
public sealed record WebhookEventQuery(PageRequest Page, string? SourceId = null, string? Type = null, DateTimeOffset? Since = null);
