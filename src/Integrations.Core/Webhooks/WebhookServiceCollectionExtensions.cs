using Integrations.Core.Webhooks.Schemes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Integrations.Core.Webhooks;

public static class WebhookServiceCollectionExtensions
{
    /// <summary>The webhook signature schemes and their registry (no storage: the Azure layer adds the stores).</summary>
    public static IServiceCollection AddIntegrationsWebhookSchemes(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<WebhookSchemeRegistry>();
        // One line per scheme (TryAddEnumerable: a second call adds nothing).
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IWebhookScheme, StripeScheme>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IWebhookScheme, StandardWebhooksScheme>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IWebhookScheme, GitHubScheme>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IWebhookScheme, SlackScheme>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IWebhookScheme, AsanaScheme>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IWebhookScheme, ShopifyScheme>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IWebhookScheme, LinearScheme>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IWebhookScheme, HmacScheme>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IWebhookScheme, TwilioScheme>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IWebhookScheme, HubSpotScheme>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IWebhookScheme, ZoomScheme>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IWebhookScheme, MailgunScheme>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IWebhookScheme, SendGridScheme>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IWebhookScheme, DiscordScheme>());
        return services;
    }

    /// <summary>
    /// The options of webhook ingress (<c>Webhooks</c>), validated at start. <see cref="WebhookIngress"/> itself is added by
    /// the API layer, once its ports (event store, queues, source lookup, counters) are all there.
    /// </summary>
    public static IServiceCollection AddIntegrationsWebhookOptions(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptionsWithValidateOnStart<WebhookOptions>().BindConfiguration(WebhookOptions.SectionName).ValidateDataAnnotations()
            .Validate(o => o.EventRetention >= o.IdempotencyRetention,
                "Webhooks:EventRetention must be at least Webhooks:IdempotencyRetention: a stored event is also its delivery's idempotency key.")
            .Validate(o => o.DuplicateWait < o.ClaimLease, "Webhooks:DuplicateWait must be shorter than Webhooks:ClaimLease.");
        return services;
    }
}
