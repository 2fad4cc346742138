using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Integrations.Core.Identity.Passwords;

public static class PasswordsServiceCollectionExtensions
{
    /// <summary>
    /// Registers the password policy (<c>Auth:PasswordPolicy</c>) and the Argon2id hasher (<c>Auth:PasswordHashing</c>), both
    /// options validated at start, and makes the hasher's dummy hash at start (<see cref="PasswordHasherWarmUp"/>). Idempotent;
    /// called by <c>AddIntegrationsCore</c>.
    /// </summary>
    public static IServiceCollection AddIntegrationsPasswords(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptionsWithValidateOnStart<PasswordOptions>().BindConfiguration(PasswordOptions.SectionName)
            .Validate(o => Enum.IsDefined(o.PasswordPolicy), "Auth:PasswordPolicy must be seed or nist.");
        services.AddOptionsWithValidateOnStart<PasswordHashingOptions>().BindConfiguration(PasswordHashingOptions.SectionName).ValidateDataAnnotations();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PasswordHashingOptions>, PasswordHashingOptionsValidator>());
        services.TryAddSingleton<PasswordPolicy>();
        services.TryAddSingleton<IPasswordHasher, Argon2idPasswordHasher>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, PasswordHasherWarmUp>());
        return services;
    }
}
