using Integrations.Core.Webhooks;
using Integrations.Core.Webhooks.Schemes;
using Microsoft.Extensions.DependencyInjection;
using static Integrations.Core.Tests.Webhooks.Schemes.SchemeTestKit;

namespace Integrations.Core.Tests.Webhooks.Schemes;

public sealed class SchemeRegistrationTests
{
    private static readonly IWebhookScheme[] Schemes =
        [new StripeScheme(), new StandardWebhooksScheme(), new GitHubScheme(), new SlackScheme(), new AsanaScheme(), new ShopifyScheme(), new LinearScheme(), new HmacScheme()];

    [Fact]
    public void AddIntegrationsWebhookSchemes_CalledTwice_RegistersEachOfTheseSchemesOnce()
    {
        var services = new ServiceCollection();

        services.AddIntegrationsWebhookSchemes();
        services.AddIntegrationsWebhookSchemes();

        var registered = services.Where(d => d.ServiceType == typeof(IWebhookScheme)).Select(d => d.ImplementationType).ToList();
        foreach (var scheme in Schemes)
        {
            Assert.Single(registered, type => type == scheme.GetType());
        }
    }

    [Fact]
    public void Names_AreTheSchemeConstants() =>
        Assert.Equal(
            [WebhookSchemes.Stripe, WebhookSchemes.Standard, WebhookSchemes.GitHub, WebhookSchemes.Slack, WebhookSchemes.Asana, WebhookSchemes.Shopify, WebhookSchemes.Linear, WebhookSchemes.Hmac],
            Schemes.Select(s => s.Name));

    [Theory]
    [InlineData(StripeScheme.SignatureHeader, WebhookSchemes.Stripe)]
    [InlineData(StandardWebhooksScheme.SignatureHeader, WebhookSchemes.Standard)]
    [InlineData(StandardWebhooksScheme.SvixSignatureHeader, WebhookSchemes.Standard)]
    [InlineData(GitHubScheme.SignatureHeader, WebhookSchemes.GitHub)]
    [InlineData(SlackScheme.SignatureHeader, WebhookSchemes.Slack)]
    [InlineData(AsanaScheme.SignatureHeader, WebhookSchemes.Asana)]
    [InlineData(AsanaScheme.SecretHeader, WebhookSchemes.Asana)]
    [InlineData(ShopifyScheme.SignatureHeader, WebhookSchemes.Shopify)]
    [InlineData(LinearScheme.SignatureHeader, WebhookSchemes.Linear)]
    public void Recognize_EachSignatureHeader_PicksExactlyItsScheme(string header, string scheme)
    {
        var registry = new WebhookSchemeRegistry(Schemes);
        var headers = Delivery.Of("{}", (header.ToLowerInvariant(), "x"), ("Content-Type", "application/json")).ToRequest(DateTimeOffset.UnixEpoch).Headers;

        Assert.Equal([scheme], registry.Recognize(headers));
    }
}
