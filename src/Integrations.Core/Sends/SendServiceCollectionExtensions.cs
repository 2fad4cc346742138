using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Integrations.Core.Sends;

public static class SendServiceCollectionExtensions
{
    /// <summary>Direct sends. The store (<see cref="IOutboundSendStore"/>) is a port: AddIntegrationsAzure registers it.</summary>
    public static IServiceCollection AddIntegrationsSends(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<OutboundSendService>();
        return services;
    }
}
