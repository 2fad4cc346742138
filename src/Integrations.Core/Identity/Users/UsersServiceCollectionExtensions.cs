using Integrations.Core.Identity.Lockout;
using Integrations.Core.Identity.Passwords;
using Integrations.Core.Identity.Tokens;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Integrations.Core.Identity.Users;

public static class UsersServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="UserSessionService"/> with its options (<c>Auth:RefreshTokenLifetime</c>,
    /// <c>Auth:RefreshTokenReuseGrace</c>, validated at start), the passwords and access tokens it uses, and the defaults of
    /// its seams: the login throttle (<see cref="LockoutServiceCollectionExtensions.AddIntegrationsLoginThrottle"/>, the real
    /// brute-force protection — never a no-op) and <see cref="NoUserOrganizations"/> (replaced by organizations). Needs the stores <see cref="IUserStore"/>
    /// (<c>AddIntegrationsAzure</c>). Idempotent.
    /// </summary>
    public static IServiceCollection AddIntegrationsUserSessions(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptionsWithValidateOnStart<UserSessionOptions>().BindConfiguration(UserSessionOptions.SectionName).ValidateDataAnnotations();
        services.AddIntegrationsPasswords();
        services.AddIntegrationsAccessTokens();
        services.AddIntegrationsLoginThrottle();
        services.TryAddSingleton<IUserOrganizations, NoUserOrganizations>();
        services.TryAddSingleton<UserSessionService>();
        return services;
    }
}
