namespace Integrations.Core.OutboundWebhooks;

/// <summary>A message as accepted: the stored one (the first, for a repeat) and its deliveries.</summary>
/// <param name="Duplicate">True when the idempotency key (or derived id) named a message accepted before: nothing new was stored.</param>
public sealed record AcceptedMessage(OutboundMessage Message, IReadOnlyList<WebhookDelivery> Deliveries, bool Duplicate);
