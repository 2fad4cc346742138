using Integrations.Core.Connections.Proxy;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Integrations.Core.Connections.Health;

public static class HealthServiceCollectionExtensions
{
    /// <summary>
    /// Registers the test request (<see cref="ConnectionTester"/>, with <see cref="OutboundCredentials"/>) and the daily
    /// <see cref="ConnectionHealthCheck"/>, and binds <see cref="ConnectionHealthOptions"/> (validated at start). Needs the
    /// proxy transport and the token service (<c>AddIntegrationsHttp</c>, <c>AddIntegrationsOAuth</c>).
    /// </summary>
    public static IServiceCollection AddConnectionHealth(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptionsWithValidateOnStart<ConnectionHealthOptions>().BindConfiguration(ConnectionHealthOptions.SectionName).ValidateDataAnnotations();
        services.TryAddSingleton<OutboundCredentials>();
        services.TryAddSingleton<ConnectionTester>();
        services.TryAddSingleton<ConnectionHealthCheck>();
        return services;
    }
}
