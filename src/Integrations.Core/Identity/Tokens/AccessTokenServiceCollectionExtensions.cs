using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Integrations.Core.Identity.Tokens;

/// <summary>Registers user access tokens: the signing keys, their rotation, the issuer and the validator.</summary>
public static class AccessTokenServiceCollectionExtensions
{
    /// <summary>
    /// Binds and validates <see cref="AccessTokenOptions"/> (<c>Auth</c>; the issuer defaults to <c>Hub:PublicBaseUrl</c>) and
    /// registers <see cref="AccessTokenSigningKeys"/>, <see cref="AccessTokenKeyLifecycle"/>, <see cref="AccessTokenIssuer"/> and
    /// <see cref="AccessTokenValidator"/>. Needs the key ring's ports (<c>IKeyRecordStore</c>, <c>IRootKeyWrapper</c>) and a
    /// <see cref="TimeProvider"/>, which <c>AddIntegrationsCore</c>/<c>AddIntegrationsAzure</c> register.
    /// </summary>
    public static IServiceCollection AddIntegrationsAccessTokens(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptionsWithValidateOnStart<AccessTokenOptions>().BindConfiguration(AccessTokenOptions.SectionName).ValidateDataAnnotations()
            .PostConfigure<IOptions<HubOptions>>(static (options, hub) =>
            {
                if (string.IsNullOrWhiteSpace(options.Issuer))
                {
                    options.Issuer = hub.Value.PublicBaseUrl?.TrimEnd('/');
                }
            });
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AccessTokenOptions>, AccessTokenOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<AccessTokenSigningKeys>();
        services.TryAddSingleton<AccessTokenKeyLifecycle>();
        services.TryAddSingleton<AccessTokenIssuer>();
        services.TryAddSingleton<AccessTokenValidator>();
        return services;
    }
}
