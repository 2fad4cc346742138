namespace Integrations.Core.OutboundWebhooks;

/// <summary>A message with its payload and its deliveries, one per endpoint.</summary>
public sealed record MessageWithDeliveries(OutboundMessage Message, IReadOnlyList<WebhookDelivery> Deliveries);
