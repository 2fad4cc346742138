using Integrations.Core.Connections;
using Integrations.Core.OAuth;
using Integrations.Core.OAuth.Flows;
using Integrations.Core.OAuth.Tokens;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Integrations.Http.OAuth;

public static class OAuthServiceCollectionExtensions
{
    /// <summary>
    /// Everything OAuth a host that calls out needs, composed once: provider discovery and the provider service, the
    /// protocol client, and the token lifecycle wired to the connections capability (its state changes go through
    /// <see cref="ConnectionStateChanges"/>, a connection's deletion revokes its tokens, a provider in use cannot be
    /// deleted). Call after <c>AddIntegrationsCore</c>, whose stand-ins it replaces. Idempotent.
    /// </summary>
    public static IServiceCollection AddIntegrationsOAuth(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddProviderDiscovery();
        services.AddIntegrationsOAuthProtocol();
        services.AddConnectionTokens();
        services.TryAddSingleton<ITokenClientResolver, ProviderTokenClientResolver>();
        services.TryAddSingleton<IConnectionStateWriter, ConnectionStateWriter>();
        services.TryAddSingleton<ConnectFlowService>();
        services.Replace(ServiceDescriptor.Singleton<IProviderUsage, ConnectionProviderUsage>());
        services.Replace(ServiceDescriptor.Singleton<IConnectionTokenRevoker, OAuthTokenRevoker>());
        return services;
    }
}
