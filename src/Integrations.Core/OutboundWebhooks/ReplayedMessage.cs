namespace Integrations.Core.OutboundWebhooks;

/// <summary>The endpoints a replay queued a delivery to.</summary>
public sealed record ReplayedMessage(OutboundMessage Message, IReadOnlyList<string> EndpointIds);
