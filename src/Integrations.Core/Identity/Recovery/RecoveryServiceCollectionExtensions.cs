using Integrations.Core.Identity.Administration;
using Integrations.Core.Identity.Lockout;
using Integrations.Core.Identity.Users;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Integrations.Core.Identity.Recovery;

public static class RecoveryServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="RecoveryService"/>, <see cref="RecoveryDelivery"/> and <see cref="AdminUserService"/> with their
    /// options (<c>Auth:EmailVerificationLifetime</c>, <c>Auth:PasswordResetLifetime</c>, <c>Auth:SiteUrl</c>, <c>Auth:Platform</c>,
    /// <c>Auth:Events</c>, <c>Auth:Resend</c>, <c>Auth:Email</c>…, validated at start), and the user sessions they build on.
    /// Needs <see cref="IRecoveryTokenStore"/> (<c>AddIntegrationsAzure</c>) and, for mail, an <see cref="IEmailSender"/>
    /// (<c>AddIntegrationsHttp</c>'s Resend sender). Idempotent.
    /// </summary>
    public static IServiceCollection AddIntegrationsRecovery(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptionsWithValidateOnStart<RecoveryOptions>().BindConfiguration(RecoveryOptions.SectionName).ValidateDataAnnotations();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RecoveryOptions>, RecoveryOptionsValidator>());
        services.AddIntegrationsUserSessions();
        services.TryAddSingleton(sp => new RecoveryDelivery(
            sp, sp.GetService<IEmailSender>(), sp.GetRequiredService<IOptions<RecoveryOptions>>(),
            sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<RecoveryDelivery>>()));
        services.TryAddSingleton<RecoveryService>();
        // Members need user sessions (a removed member's end) besides memberships; the admin's user delete announces removals.
        services.TryAddSingleton<Organizations.OwnerChangeLock>();
        services.TryAddSingleton<Organizations.OrganizationMembers>();
        services.TryAddSingleton<AdminUserService>();
        services.TryAddSingleton<AuthEventPublisher>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IUserEventListener, AuthEventPublisher>(sp => sp.GetRequiredService<AuthEventPublisher>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAccountLockoutListener, AuthEventPublisher>(sp => sp.GetRequiredService<AuthEventPublisher>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ILoginFailureListener, AuthEventPublisher>(sp => sp.GetRequiredService<AuthEventPublisher>()));
        return services;
    }
}
