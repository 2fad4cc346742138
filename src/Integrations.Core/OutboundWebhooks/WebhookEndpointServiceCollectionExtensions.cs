using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Integrations.Core.OutboundWebhooks;

public static class WebhookEndpointServiceCollectionExtensions
{
    /// <summary>Outbound webhook endpoints: the service, the cached directory and their cache (settings <c>Webhooks:*</c>). The store comes from the Azure layer.</summary>
    public static IServiceCollection AddIntegrationsWebhookEndpoints(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<WebhookEndpointCache>();
        services.TryAddSingleton<WebhookEndpointService>();
        services.TryAddSingleton<WebhookEndpointDirectory>();
        services.TryAddSingleton<IWebhookEndpointDirectory>(sp => sp.GetRequiredService<WebhookEndpointDirectory>());
        return services;
    }
}
