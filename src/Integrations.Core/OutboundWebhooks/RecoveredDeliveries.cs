namespace Integrations.Core.OutboundWebhooks;

/// <summary>How many failed deliveries a recover queued again; <paramref name="More"/> when it stopped at <see cref="OutboundMessageService.MaxRecoverCount"/>.</summary>
public sealed record RecoveredDeliveries(string EndpointId, DateTimeOffset Since, int Count, bool More);
