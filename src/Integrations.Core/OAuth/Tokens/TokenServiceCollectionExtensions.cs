using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Integrations.Core.OAuth.Tokens;

public static class TokenServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="ConnectionTokenService"/> as <see cref="IConnectionTokenService"/> (one per process: its
    /// in-process single flight lives in it) and binds <see cref="TokenLifecycleOptions"/> from <c>OAuth</c>,
    /// validated at start. Needs <see cref="Protocol.IOAuthProtocol"/>, <see cref="ITokenClientResolver"/> and
    /// <see cref="IConnectionStateWriter"/>, besides the vault, tenancy and distributed lock of <c>AddIntegrationsCore</c> + Azure.
    /// </summary>
    public static IServiceCollection AddConnectionTokens(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptionsWithValidateOnStart<TokenLifecycleOptions>().BindConfiguration(TokenLifecycleOptions.SectionName).ValidateDataAnnotations()
            .Validate(o => o.RefreshPollInterval < o.RefreshWaitTimeout, "OAuth:RefreshPollInterval must be shorter than OAuth:RefreshWaitTimeout.");
        services.AddOptionsWithValidateOnStart<RefreshAheadOptions>().BindConfiguration(RefreshAheadOptions.SectionName).ValidateDataAnnotations();
        services.TryAddSingleton<RefreshAheadService>();
        services.TryAddSingleton<ConnectionTokenService>();
        services.TryAddSingleton<IConnectionTokenService>(sp => sp.GetRequiredService<ConnectionTokenService>());
        return services;
    }
}
