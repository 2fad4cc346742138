using Integrations.Api.Pipeline;
using Integrations.Core.Identity.Invitations;
using Integrations.Core.Identity.Organizations;
using Integrations.Core.Identity.Users;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Integrations.Api.Identity;

public static class AuthServiceCollectionExtensions
{
    /// <summary>
    /// People in the request pipeline: users and sessions (<see cref="UsersServiceCollectionExtensions.AddIntegrationsUserSessions"/>),
    /// memberships (<see cref="MembershipsServiceCollectionExtensions.AddIntegrationsMemberships"/>), the auth routes' endpoints,
    /// and two authenticators: <see cref="JwtAuthenticator"/> after the API-key one, and <see cref="PrincipalHeaderAuthenticator"/>
    /// before every other (it refuses its header outside Development before anything else can accept the request; in
    /// Development it yields to an <c>Authorization</c> header). Options: <c>Auth:SessionCheckInterval</c> (≤ 30 s), validated
    /// at start. Call after <c>AddIntegrationsApi</c>; needs the stores of <c>AddIntegrationsAzure</c>. Idempotent.
    /// </summary>
    public static IServiceCollection AddIntegrationsUserAuthentication(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddIntegrationsMemberships();
        services.AddIntegrationsUserSessions();
        services.AddOptionsWithValidateOnStart<UserAuthenticationOptions>().BindConfiguration(UserAuthenticationOptions.SectionName).ValidateDataAnnotations();
        services.TryAddSingleton<SessionCheck>();
        services.TryAddSingleton<AuthEndpoints>();
        services.TryAddSingleton<Core.Identity.Social.SocialLoginService>();
        services.TryAddSingleton<SocialEndpoints>();
        services.TryAddSingleton<Organizations.MemberEndpoints>();
        services.AddIntegrationsInvitations();
        services.TryAddSingleton<Organizations.InvitationEndpoints>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IRequestAuthenticator, JwtAuthenticator>());
        if (!services.Any(d => d.ServiceType == typeof(IRequestAuthenticator) && d.ImplementationType == typeof(PrincipalHeaderAuthenticator)))
        {
            var first = services.ToList().FindIndex(d => d.ServiceType == typeof(IRequestAuthenticator));
            services.Insert(first < 0 ? services.Count : first, ServiceDescriptor.Singleton<IRequestAuthenticator, PrincipalHeaderAuthenticator>());
        }

        return services;
    }
}
