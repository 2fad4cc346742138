namespace Integrations.Core.Webhooks;

/// <summary>The signature schemes a webhook source can use: each name is one <see cref="IWebhookScheme"/>.</summary>
public static class WebhookSchemes
{
    public const string Stripe = "stripe";

    /// <summary>Standard Webhooks (also Svix, Resend and Clerk, which send the same scheme under <c>svix-*</c> headers).</summary>
    public const string Standard = "standard";

    public const string GitHub = "github";
    public const string Slack = "slack";
    public const string Asana = "asana";
    public const string Shopify = "shopify";
    public const string Twilio = "twilio";
    public const string HubSpot = "hubspot";
    public const string Zoom = "zoom";
    public const string Linear = "linear";
    public const string Mailgun = "mailgun";
    public const string SendGrid = "sendgrid";
    public const string Discord = "discord";

    /// <summary>Generic HMAC, shaped by <see cref="HmacSchemeSettings"/>.</summary>
    public const string Hmac = "hmac";

    public static IReadOnlyList<string> All { get; } =
        [Stripe, Standard, GitHub, Slack, Asana, Shopify, Twilio, HubSpot, Zoom, Linear, Mailgun, SendGrid, Discord, Hmac];
}
