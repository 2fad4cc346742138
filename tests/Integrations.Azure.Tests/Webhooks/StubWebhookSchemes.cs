using Integrations.Core.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Integrations.Azure.Tests.Webhooks;

/// <summary>
/// The scheme registry with every name of <see cref="WebhookSchemes.All"/>: the schemes the composition registers, plus a
/// stand-in for each one it does not (they are built in parallel with the sources). A stand-in recognises its provider's
/// signature header and verifies nothing. Source tests need scheme names, never verification.
/// </summary>
internal static class StubWebhookSchemes
{
    /// <summary>Each provider's signature header, as its documentation names it (none for schemes signed in the body or configured per source).</summary>
    public static IReadOnlyDictionary<string, string?> SignatureHeaders { get; } = new Dictionary<string, string?>(StringComparer.Ordinal)
    {
        [WebhookSchemes.Stripe] = "Stripe-Signature",
        [WebhookSchemes.Standard] = "webhook-signature",
        [WebhookSchemes.GitHub] = "X-Hub-Signature-256",
        [WebhookSchemes.Slack] = "X-Slack-Signature",
        [WebhookSchemes.Asana] = "X-Hook-Signature",
        [WebhookSchemes.Shopify] = "X-Shopify-Hmac-Sha256",
        [WebhookSchemes.Twilio] = "X-Twilio-Signature",
        [WebhookSchemes.HubSpot] = "X-HubSpot-Signature-v3",
        [WebhookSchemes.Zoom] = "x-zm-signature",
        [WebhookSchemes.Linear] = "Linear-Signature",
        [WebhookSchemes.Mailgun] = null,
        [WebhookSchemes.SendGrid] = "X-Twilio-Email-Event-Webhook-Signature",
        [WebhookSchemes.Discord] = "X-Signature-Ed25519",
        [WebhookSchemes.Hmac] = null,
    };

    public static void AddMissing(IServiceCollection services) =>
        services.Replace(ServiceDescriptor.Singleton(sp => Registry(sp.GetServices<IWebhookScheme>())));

    public static WebhookSchemeRegistry Registry(IEnumerable<IWebhookScheme> registered)
    {
        var schemes = registered.ToList();
        var names = schemes.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        return new WebhookSchemeRegistry([.. schemes, .. WebhookSchemes.All.Where(n => !names.Contains(n)).Select(n => new StandIn(n, SignatureHeaders[n]))]);
    }

    private sealed class StandIn(string name, string? header) : IWebhookScheme
    {
        public string Name => name;

        public bool Recognizes(WebhookHeaders headers) => header is not null && headers.Contains(header);

        public WebhookVerification Verify(WebhookRequest request, IReadOnlyList<WebhookSigningKey> keys, WebhookSourceSettings settings) =>
            WebhookVerification.Refuse(WebhookRefusal.BadSignature, "A stand-in scheme verifies nothing.");
    }
}
