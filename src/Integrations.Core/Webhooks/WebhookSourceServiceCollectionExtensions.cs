using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Integrations.Core.Webhooks;

public static class WebhookSourceServiceCollectionExtensions
{
    /// <summary>Webhook sources: the service, the ingress resolver and sniffer, their cache and settings (<c>Webhooks:*</c>). The store comes from the Azure layer.</summary>
    public static IServiceCollection AddIntegrationsWebhookSources(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptionsWithValidateOnStart<WebhookSourceOptions>().BindConfiguration(WebhookSourceOptions.SectionName).ValidateDataAnnotations();
        services.TryAddSingleton<WebhookSourceCache>();
        services.TryAddSingleton<WebhookSourceService>();
        services.TryAddSingleton<WebhookSourceResolver>();
        services.TryAddSingleton<WebhookSourceSniffer>();
        return services;
    }
}
