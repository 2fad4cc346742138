using Integrations.Core.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using static Integrations.Core.Tests.Webhooks.Schemes.SignedRequests;

namespace Integrations.Core.Tests.Webhooks.Schemes;

/// <summary>The twilio, hubspot, zoom, mailgun, sendgrid and discord schemes as the hub composes them.</summary>
public sealed class SchemesBRegistrationTests
{
    // Built from the registrations themselves (this project has the DI abstractions, not the container).
    private static List<IWebhookScheme> Schemes()
    {
        var services = new ServiceCollection();
        services.AddIntegrationsWebhookSchemes();
        services.AddIntegrationsWebhookSchemes();
        return services.Where(d => d.ServiceType == typeof(IWebhookScheme))
            .Select(d => (IWebhookScheme)Activator.CreateInstance(d.ImplementationType!)!)
            .ToList();
    }

    private static WebhookSchemeRegistry Registry() => new(Schemes());

    [Fact]
    public void AddIntegrationsWebhookSchemes_CalledTwice_RegistersEachSchemeOnce()
    {
        var names = Schemes().Select(s => s.Name).ToList();

        foreach (var name in (string[])[WebhookSchemes.Twilio, WebhookSchemes.HubSpot, WebhookSchemes.Zoom, WebhookSchemes.Mailgun, WebhookSchemes.SendGrid, WebhookSchemes.Discord])
        {
            Assert.Single(names, name);
        }
    }

    [Theory]
    [InlineData("X-Twilio-Signature", WebhookSchemes.Twilio)]
    [InlineData("X-HubSpot-Signature-v3", WebhookSchemes.HubSpot)]
    [InlineData("x-zm-signature", WebhookSchemes.Zoom)]
    [InlineData("X-Twilio-Email-Event-Webhook-Signature", WebhookSchemes.SendGrid)]
    [InlineData("X-Signature-Ed25519", WebhookSchemes.Discord)]
    public void Recognize_ProviderSignatureHeader_PicksThatSchemeAlone(string header, string scheme)
    {
        Assert.Equal([scheme], Registry().Recognize(Headers((header, "x"), ("Content-Type", "application/json"))));
    }

    [Fact]
    public void Recognize_MailgunDelivery_PicksNothing()
    {
        Assert.Empty(Registry().Recognize(Headers(("Content-Type", "application/json"), ("User-Agent", "mailgun/treq-16.12.0"))));
    }
}
