namespace Integrations.Core.OutboundWebhooks;

/// <summary>
/// What the fan-out and the delivery job need of endpoints, read through a short per-instance cache
/// (<c>Webhooks:EndpointCacheDuration</c>) so a busy project does not read its endpoints and secrets for every message.
/// A change made on this instance empties the cache at once; on another instance it shows within the cache duration.
/// </summary>
public interface IWebhookEndpointDirectory
{
    /// <summary>The project's enabled endpoints whose filter matches <paramref name="eventType"/>.</summary>
    Task<IReadOnlyList<WebhookEndpoint>> ListSubscribedAsync(string organizationId, string projectId, string eventType, CancellationToken cancellationToken = default);

    /// <summary>The endpoint with the values of its signing secrets active now (<c>whsec_…</c>, newest first); null when it is gone.</summary>
    Task<DeliveryTarget?> GetTargetAsync(string organizationId, string projectId, string endpointId, CancellationToken cancellationToken = default);

    /// <summary>Disables the endpoint because of its deliveries (410 Gone, failing too long), appends an <c>endpoint.disabled</c> event; false when it was already disabled or gone.</summary>
    Task<bool> DisableAsync(string organizationId, string projectId, string endpointId, string reason, CancellationToken cancellationToken = default);
}

/// <summary>An endpoint as a delivery needs it. <see cref="ToString"/> never prints the secrets.</summary>
public sealed record DeliveryTarget(WebhookEndpoint Endpoint, IReadOnlyList<string> Secrets)
{
    public override string ToString() => $"DeliveryTarget {{ Endpoint = {Endpoint.Id}, Secrets = {Secrets.Count} }}";
}
