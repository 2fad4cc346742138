namespace Integrations.Core.OutboundWebhooks;

/// <summary>Error codes of outbound webhook endpoints. Each is a problem <c>type</c> with an entry in docs/problems.md.</summary>
public static class WebhookEndpointErrors
{
    public const string InvalidUrl = "invalid-webhook-endpoint-url";
    public const string InvalidDescription = "invalid-webhook-endpoint-description";
    public const string InvalidEventTypes = "invalid-webhook-endpoint-event-types";
    public const string InvalidHeaders = "invalid-webhook-endpoint-headers";
    public const string InvalidRateLimit = "invalid-webhook-endpoint-rate-limit";
    public const string InvalidTimeout = "invalid-webhook-endpoint-timeout";
    public const string InvalidRetry = "invalid-webhook-endpoint-retry";
    public const string QuotaExceeded = "webhook-endpoint-quota-exceeded";
    public const string Contention = "webhook-endpoint-contention";
    public const string KeyLimit = "webhook-endpoint-key-limit";
}
