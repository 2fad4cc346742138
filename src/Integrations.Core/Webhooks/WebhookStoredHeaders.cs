namespace Integrations.Core.Webhooks;

/// <summary>
/// Which request headers are kept with a stored event: the scheme's own (signature, timestamp, delivery id, event name),
/// content type and user agent. Never Authorization, cookies or anything else a proxy in front of the hub may add.
/// </summary>
public static class WebhookStoredHeaders
{
    /// <summary>Values longer than this are cut (a header is context for a consumer, not data it needs whole).</summary>
    public const int MaxValueLength = 2048;

    private static readonly string[] Common = ["Content-Type", "User-Agent"];

    private static readonly Dictionary<string, string[]> BySchemeName = new(StringComparer.Ordinal)
    {
        [WebhookSchemes.Stripe] = ["Stripe-Signature"],
        [WebhookSchemes.Standard] = ["webhook-id", "webhook-timestamp", "webhook-signature", "svix-id", "svix-timestamp", "svix-signature"],
        [WebhookSchemes.GitHub] = ["X-GitHub-Event", "X-GitHub-Delivery", "X-GitHub-Hook-ID", "X-GitHub-Hook-Installation-Target-ID", "X-GitHub-Hook-Installation-Target-Type", "X-Hub-Signature-256"],
        [WebhookSchemes.Slack] = ["X-Slack-Signature", "X-Slack-Request-Timestamp", "X-Slack-Retry-Num", "X-Slack-Retry-Reason"],
        [WebhookSchemes.Asana] = ["X-Hook-Signature"],
        [WebhookSchemes.Shopify] = ["X-Shopify-Hmac-Sha256", "X-Shopify-Topic", "X-Shopify-Shop-Domain", "X-Shopify-Webhook-Id", "X-Shopify-Event-Id", "X-Shopify-Triggered-At", "X-Shopify-API-Version"],
        [WebhookSchemes.Twilio] = ["X-Twilio-Signature", "I-Twilio-Idempotency-Token"],
        [WebhookSchemes.HubSpot] = ["X-HubSpot-Signature-v3", "X-HubSpot-Request-Timestamp"],
        [WebhookSchemes.Zoom] = ["x-zm-signature", "x-zm-request-timestamp", "x-zm-trackingid"],
        [WebhookSchemes.Linear] = ["Linear-Signature", "Linear-Delivery", "Linear-Event"],
        [WebhookSchemes.Mailgun] = [],
        [WebhookSchemes.SendGrid] = ["X-Twilio-Email-Event-Webhook-Signature", "X-Twilio-Email-Event-Webhook-Timestamp"],
        [WebhookSchemes.Discord] = ["X-Signature-Ed25519", "X-Signature-Timestamp"],
    };

    /// <summary>The headers of <paramref name="headers"/> kept for a delivery of <paramref name="scheme"/> (several values joined by <c>, </c>).</summary>
    public static IReadOnlyDictionary<string, string> Select(string scheme, WebhookSourceSettings settings, WebhookHeaders headers)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(headers);
        IEnumerable<string?> names = [.. Common, .. BySchemeName.GetValueOrDefault(scheme) ?? []];
        if (scheme == WebhookSchemes.Hmac)
        {
            names = names.Concat([settings.Hmac?.SignatureHeader, settings.Hmac?.TimestampHeader, settings.EventIdHeader]);
        }

        var kept = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in names)
        {
            if (name is null || IsNeverKept(name) || kept.ContainsKey(name))
            {
                continue;
            }

            var values = headers.GetAll(name);
            if (values.Count > 0)
            {
                var value = string.Join(", ", values);
                kept[name.ToLowerInvariant()] = value.Length <= MaxValueLength ? value : value[..MaxValueLength];
            }
        }

        return kept;
    }

    // A misconfigured hmac source could name one of these as its signature header: it is still never stored.
    private static bool IsNeverKept(string name) =>
        name.Equals("Authorization", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Proxy-Authorization", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Cookie", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Set-Cookie", StringComparison.OrdinalIgnoreCase);
}
