using Integrations.Core.Events;
using Integrations.Core.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Integrations.Core.OutboundWebhooks;

public static class OutboundMessagesServiceCollectionExtensions
{
    /// <summary>
    /// The message service and the two publishers that turn the hub's own events into messages (activity outbox, verified
    /// inbound events). Its ports — message, delivery and endpoint stores, the endpoint directory, the job queue — come from
    /// the storage layer; the API layer calls this once they are all there.
    /// </summary>
    public static IServiceCollection AddIntegrationsOutboundMessages(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<OutboundMessageService>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHubEventListener, OutboxMessagePublisher>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IReceivedWebhookHandler, InboundMessagePublisher>());
        return services;
    }
}
