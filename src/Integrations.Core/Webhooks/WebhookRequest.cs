namespace Integrations.Core.Webhooks;

/// <summary>
/// One delivery as received, before verification. <paramref name="Body"/> is the raw bytes exactly as sent: signatures are
/// computed over them, never over re-serialised JSON.
/// </summary>
/// <param name="Method">The HTTP method, upper case.</param>
/// <param name="PublicUrl">The URL the provider called, as configured in its dashboard (<c>{Hub:PublicBaseUrl}/v1/webhooks/{sourceId}</c> plus the query string): Twilio and HubSpot sign it.</param>
/// <param name="Headers">Every header as received.</param>
/// <param name="Body">The raw body.</param>
/// <param name="ReceivedAt">When the hub received it: the reference for timestamp tolerance.</param>
public sealed record WebhookRequest(string Method, string PublicUrl, WebhookHeaders Headers, ReadOnlyMemory<byte> Body, DateTimeOffset ReceivedAt);
