using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Integrations.Core.Webhooks.Consent;

public static class ConsentServiceCollectionExtensions
{
    /// <summary>
    /// The consent-revocation handler, run by the ingress for every verified event. Needs an <see cref="Connections.IConnectionAccountLookup"/>
    /// (the Azure layer adds it with the connection store).
    /// </summary>
    public static IServiceCollection AddIntegrationsConsentRevocation(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IReceivedWebhookHandler, ConsentRevocationHandler>());
        return services;
    }
}
