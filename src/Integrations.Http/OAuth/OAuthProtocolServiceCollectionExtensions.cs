using Integrations.Core.OAuth.Protocol;
using Integrations.Http.Client;
using Integrations.Http.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Integrations.Http.OAuth;

public static class OAuthProtocolServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IOAuthProtocol"/> (Duende.IdentityModel messages over <see cref="OutboundHttpClient"/>) with its
    /// JWKS cache, and the outbound HTTP adapter it sends through (<see cref="HttpServiceCollectionExtensions.AddIntegrationsHttp"/>).
    /// Idempotent. Settings: those of <c>OutboundHttp</c> (a test that calls a loopback provider lists 127.0.0.0/8 in
    /// <c>OutboundHttp:AllowedNetworks</c>).
    /// </summary>
    public static IServiceCollection AddIntegrationsOAuthProtocol(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddIntegrationsHttp();
        services.TryAddSingleton(sp => new JwksCache(
            sp.GetRequiredService<OutboundHttpClient>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<JwksCache>>()));
        services.TryAddSingleton(sp => new IdTokenValidator(
            sp.GetRequiredService<JwksCache>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<IdTokenValidator>>()));
        services.TryAddSingleton<IOAuthProtocol>(sp => new OAuthProtocol(
            sp.GetRequiredService<OutboundHttpClient>(), sp.GetRequiredService<IdTokenValidator>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<OAuthProtocol>>()));
        return services;
    }
}
