using Integrations.Core.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Integrations.Core.OutboundWebhooks;

public static class WebhookDeliveryServiceCollectionExtensions
{
    /// <summary>
    /// The delivery side of outbound webhooks in Core: the retry planner (with <c>Webhooks:RetrySchedule</c> checked at start)
    /// and the endpoint health tracker (the 5-day rule). Their ports — <see cref="Connections.IRetryStrategySchedule"/> (Integrations.Http),
    /// <see cref="IWebhookEndpointDirectory"/>, the counters — come from the other layers. Idempotent.
    /// </summary>
    public static IServiceCollection AddIntegrationsWebhookDelivery(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WebhookOptions>, RetryScheduleValidator>());
        services.TryAddSingleton<DeliveryRetryPlanner>();
        services.TryAddSingleton<EndpointHealthTracker>();
        return services;
    }
}
