namespace Integrations.Core.Webhooks;

/// <summary>Where a stored event is in ingress: stored but not yet handed on, or on the project's queue.</summary>
public enum WebhookEventState
{
    /// <summary>Stored; the copy that stored it (or took it over) is enqueueing it.</summary>
    Received,

    /// <summary>On the project's queue: any further copy is a duplicate.</summary>
    Enqueued,
}

/// <summary>
/// The stored row of one event as ingress sees it: its state, since when its current holder has held it, and the ETag that
/// every transition is conditional on.
/// </summary>
/// <param name="Event">The event as first stored (its receive time is the first copy's).</param>
/// <param name="Added">True when this call stored it (this copy holds it).</param>
public sealed record WebhookEventSlot(WebhookEvent Event, WebhookEventState State, DateTimeOffset ClaimedAt, string ETag, bool Added = false);
