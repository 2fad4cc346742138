using Integrations.Core.OAuth;
using Integrations.Http.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Integrations.Http.OAuth;

public static class HttpDiscoveryServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="HttpProviderDiscovery"/> as the <see cref="IProviderDiscovery"/> (with the outbound adapter
    /// and the provider capability it needs). Idempotent; an IProviderDiscovery registered before wins.
    /// </summary>
    public static IServiceCollection AddProviderDiscovery(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddIntegrationsHttp();
        services.AddIntegrationsProviders();
        services.TryAddSingleton<IProviderDiscovery, HttpProviderDiscovery>();
        return services;
    }
}
