using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Integrations.Core.Identity.Lockout;

public static class LockoutServiceCollectionExtensions
{
    /// <summary>
    /// Registers the login throttle (<see cref="ILoginThrottle"/>, <see cref="ILoginThrottleReset"/>) and its options
    /// (<c>Auth:Lockout</c>, validated at start). Idempotent; called by <c>AddIntegrationsCore</c>. Needs an
    /// <see cref="ILoginFailureStore"/> (<c>AddIntegrationsAzure</c> adds the table one); lockout listeners
    /// (<see cref="IAccountLockoutListener"/>) are optional.
    /// </summary>
    public static IServiceCollection AddIntegrationsLoginThrottle(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptionsWithValidateOnStart<LockoutOptions>().BindConfiguration(LockoutOptions.SectionName).ValidateDataAnnotations();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LockoutOptions>, LockoutOptionsValidator>());
        services.TryAddSingleton<LoginThrottle>();
        services.TryAddSingleton<ILoginThrottle>(sp => sp.GetRequiredService<LoginThrottle>());
        services.TryAddSingleton<ILoginThrottleReset>(sp => sp.GetRequiredService<LoginThrottle>());
        return services;
    }
}
