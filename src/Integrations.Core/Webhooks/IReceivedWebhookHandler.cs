namespace Integrations.Core.Webhooks;

/// <summary>
/// Runs inside the hub for every verified event once it is stored and enqueued (and again on a replay): e.g. consent
/// revocation moving connections to <c>revoked</c>. Must be idempotent; a failure is logged and never loses the event.
/// </summary>
public interface IReceivedWebhookHandler
{
    Task HandleAsync(WebhookEvent webhookEvent, ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default);
}
