using Integrations.Core.Identity.Recovery;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Integrations.Core.Identity.Invitations;

public static class InvitationsServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="InvitationService"/> and <see cref="InvitationDelivery"/> with <c>Auth:InvitationLifetime</c> and
    /// the invitation mail templates (validated at start), and recovery (whose delivery settings invitations share). Needs
    /// <see cref="IInvitationStore"/> and the membership, user and tenancy stores (<c>AddIntegrationsAzure</c>). Idempotent.
    /// </summary>
    public static IServiceCollection AddIntegrationsInvitations(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(d => d.ServiceType == typeof(InvitationService)))
        {
            return services;
        }

        services.AddOptionsWithValidateOnStart<InvitationOptions>().BindConfiguration(InvitationOptions.SectionName).ValidateDataAnnotations();
        services.AddIntegrationsRecovery();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<InvitationDelivery>();
        services.TryAddSingleton<InvitationService>();
        return services;
    }
}
