using Integrations.Core.Identity.Users;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Integrations.Core.Identity.Organizations;

public static class MembershipsServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="UserOrganizations"/> as the <see cref="IUserOrganizations"/> of sign-up, login and refresh, in
    /// place of <see cref="NoUserOrganizations"/> whether that was registered before or after; an implementation registered
    /// explicitly (a test's) is kept. Needs <see cref="IMembershipStore"/> and the tenancy store (<c>AddIntegrationsAzure</c>).
    /// Idempotent.
    /// </summary>
    public static IServiceCollection AddIntegrationsMemberships(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var placeholder = services.FirstOrDefault(d => d.ServiceType == typeof(IUserOrganizations) && d.ImplementationType == typeof(NoUserOrganizations));
        if (placeholder is not null)
        {
            services.Remove(placeholder);
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<UserOrganizations>();
        services.TryAddSingleton<IUserOrganizations>(sp => sp.GetRequiredService<UserOrganizations>());
        return services;
    }
}
