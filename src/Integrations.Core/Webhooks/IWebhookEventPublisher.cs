namespace Integrations.Core.Webhooks;

/// <summary>
/// The project's webhook queue, which its workflows consume: one message per event, without the body (consumers read it
/// through the events API). A message may be delivered more than once (a replay, or a crash between enqueue and mark):
/// consumers deduplicate by <c>event_id</c>, which is stable for a (source, provider event id).
/// </summary>
public interface IWebhookEventPublisher
{
    Task EnqueueAsync(WebhookEvent webhookEvent, CancellationToken cancellationToken = default);
}
