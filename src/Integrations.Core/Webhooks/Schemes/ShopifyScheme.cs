namespace Integrations.Core.Webhooks.Schemes;

// https://shopify.dev/docs/apps/build/webhooks/verify-deliveries
/// <summary>
/// Shopify: <c>X-Shopify-Hmac-Sha256</c> is the base64 HMAC-SHA256 of the body keyed with the app's client secret as UTF-8.
/// Shopify signs no timestamp (<c>X-Shopify-Triggered-At</c> is not signed), so the tolerance does not apply. The event id is
/// <c>X-Shopify-Webhook-Id</c> (falling back to <c>X-Shopify-Event-Id</c>); the type is <c>X-Shopify-Topic</c>
/// (e.g. <c>orders/create</c>, <c>app/uninstalled</c>).
/// </summary>
public sealed class ShopifyScheme : IWebhookScheme
{
    public const string SignatureHeader = "X-Shopify-Hmac-Sha256";
    public const string WebhookIdHeader = "X-Shopify-Webhook-Id";
    public const string EventIdHeader = "X-Shopify-Event-Id";
    public const string TopicHeader = "X-Shopify-Topic";

    public string Name => WebhookSchemes.Shopify;

    public bool Recognizes(WebhookHeaders headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        return headers.Contains(SignatureHeader);
    }

    public WebhookVerification Verify(WebhookRequest request, IReadOnlyList<WebhookSigningKey> keys, WebhookSourceSettings settings)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(settings);

        var headers = request.Headers;
        if (!headers.TryGetSingle(SignatureHeader, out var signature, out var refusal) ||
            !SchemeSupport.TryGetOptional(headers, WebhookIdHeader, out var webhookId, out refusal) ||
            !SchemeSupport.TryGetOptional(headers, EventIdHeader, out var eventId, out refusal) ||
            !SchemeSupport.TryGetOptional(headers, TopicHeader, out var topic, out refusal))
        {
            return refusal!;
        }

        return SchemeSupport.TryMatchHmacSha256Header(SignatureHeader, signature, null, MacText.Base64, request.Body.Span, keys, out var keyId, out refusal)
            ? WebhookVerification.Verified(webhookId ?? eventId, topic, keyId)
            : refusal;
    }
}
