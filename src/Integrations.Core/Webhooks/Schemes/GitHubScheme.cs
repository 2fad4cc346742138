namespace Integrations.Core.Webhooks.Schemes;

// https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries
/// <summary>
/// GitHub: <c>X-Hub-Signature-256: sha256={hex}</c>, HMAC-SHA256 of the body keyed with the webhook secret as UTF-8. GitHub
/// signs no timestamp, so the tolerance does not apply (replays are stopped by the delivery id alone). The legacy SHA-1
/// <c>X-Hub-Signature</c> is not accepted. The event id is <c>X-GitHub-Delivery</c>; the type is <c>X-GitHub-Event</c>
/// followed by <c>.{action}</c> when the body has a top-level <c>action</c> (<c>installation.deleted</c>,
/// <c>github_app_authorization.revoked</c>, <c>push</c>), so a handler can match on one string.
/// </summary>
/// <remarks>
/// Neither <c>X-GitHub-Event</c> nor <c>X-GitHub-Delivery</c> is signed: a handler that acts on the type (consent revocation)
/// must also check the body's shape (e.g. that an <c>installation</c> event's body has <c>installation.id</c>).
/// </remarks>
public sealed class GitHubScheme : IWebhookScheme
{
    public const string SignatureHeader = "X-Hub-Signature-256";
    public const string DeliveryHeader = "X-GitHub-Delivery";
    public const string EventHeader = "X-GitHub-Event";

    private const string Prefix = "sha256=";

    public string Name => WebhookSchemes.GitHub;

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
            !SchemeSupport.TryGetOptional(headers, DeliveryHeader, out var delivery, out refusal) ||
            !SchemeSupport.TryGetOptional(headers, EventHeader, out var eventName, out refusal))
        {
            return refusal!;
        }

        var body = request.Body.Span;
        if (!SchemeSupport.TryMatchHmacSha256Header(SignatureHeader, signature, Prefix, MacText.Hex, body, keys, out var keyId, out refusal))
        {
            return refusal;
        }

        var action = eventName is null ? null : SchemeSupport.ReadJsonText(body, "/action");
        var eventType = action is null ? eventName : $"{eventName}.{action}";
        return WebhookVerification.Verified(delivery, eventType, keyId);
    }
}
