namespace Integrations.Core.Webhooks.Schemes;

// https://linear.app/developers/webhooks#securing-webhooks
/// <summary>
/// Linear: <c>Linear-Signature</c> is the hex HMAC-SHA256 of the body keyed with the webhook's signing secret as UTF-8. The
/// body's <c>webhookTimestamp</c> (Unix milliseconds, inside the signed bytes) is checked against the source's tolerance in
/// both directions; Linear's SDK uses one minute, so a source may set <c>ToleranceSeconds</c> to 60. The event id is the
/// <c>Linear-Delivery</c> header; the type is the body's <c>type</c> (signed; falling back to the <c>Linear-Event</c>
/// header) followed by <c>.{action}</c> when the body has one (<c>Issue.create</c>, <c>OAuthApp.revoked</c>).
/// </summary>
public sealed class LinearScheme : IWebhookScheme
{
    public const string SignatureHeader = "Linear-Signature";
    public const string DeliveryHeader = "Linear-Delivery";
    public const string EventHeader = "Linear-Event";
    public const string TimestampField = "webhookTimestamp";

    public string Name => WebhookSchemes.Linear;

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
        if (!SchemeSupport.TryMatchHmacSha256Header(SignatureHeader, signature, null, MacText.Hex, body, keys, out var keyId, out refusal))
        {
            return refusal;
        }

        // Linear puts every delivery's send time in the body; without it a captured delivery could be replayed for ever.
        switch (SchemeSupport.ReadJsonInt64(body, "/" + TimestampField, out var signedAtMs))
        {
            case JsonLookup.Absent:
                return WebhookVerification.Refuse(WebhookRefusal.Malformed, $"The body has no {TimestampField}.");
            case JsonLookup.Invalid:
                return WebhookVerification.Refuse(WebhookRefusal.Malformed, $"The body's {TimestampField} is not a Unix time in milliseconds.");
        }

        if (SchemeSupport.CheckToleranceMilliseconds(signedAtMs, request.ReceivedAt, settings.ToleranceSeconds, TimestampField) is { } stale)
        {
            return stale;
        }

        var type = SchemeSupport.ReadJsonText(body, "/type") ?? eventName;
        var action = type is null ? null : SchemeSupport.ReadJsonText(body, "/action");
        return WebhookVerification.Verified(delivery, action is null ? type : $"{type}.{action}", keyId);
    }
}
