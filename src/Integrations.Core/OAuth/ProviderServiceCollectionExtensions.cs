using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Integrations.Core.OAuth;

public static class ProviderServiceCollectionExtensions
{
    /// <summary>
    /// Registers the provider capability's domain side: <see cref="OAuthOptions"/> (section <c>OAuth</c>, validated at
    /// start), the <see cref="OAuthEndpointPolicy"/> (https outside Development), <see cref="ProviderMetadataCache"/>,
    /// <see cref="ProviderService"/> and the stand-in <see cref="NoProviderUsage"/>. <see cref="IProviderStore"/> and
    /// <see cref="IProviderDiscovery"/> are ports (AddIntegrationsAzure, AddProviderDiscovery, which calls this: a host
    /// without outbound HTTP, such as the CLI, has no provider service). Idempotent.
    /// </summary>
    public static IServiceCollection AddIntegrationsProviders(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptionsWithValidateOnStart<OAuthOptions>().BindConfiguration(OAuthOptions.SectionName).ValidateDataAnnotations();
        services.TryAddSingleton(sp => OAuthEndpointPolicy.For(sp.GetService<IHostEnvironment>()));
        services.TryAddSingleton<ProviderMetadataCache>();
        services.TryAddSingleton<IProviderUsage, NoProviderUsage>();
        services.TryAddSingleton<ProviderService>();
        services.AddOptionsWithValidateOnStart<ClientSecretExpiryOptions>().BindConfiguration(ClientSecretExpiryOptions.SectionName).ValidateDataAnnotations();
        services.TryAddSingleton<ClientSecretExpiryCheck>();
        return services;
    }
}
