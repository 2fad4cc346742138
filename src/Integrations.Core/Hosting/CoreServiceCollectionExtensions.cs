using Integrations.Core.Audit;
using Integrations.Core.Common;
using Integrations.Core.Connections;
using Integrations.Core.Connections.Proxy;
using Integrations.Core.Connections.Usage;
using Integrations.Core.Counters;
using Integrations.Core.Crypto;
using Integrations.Core.Events;
using Integrations.Core.Identity;
using Integrations.Core.Identity.Lockout;
using Integrations.Core.Identity.Passwords;
using Integrations.Core.Integrity;
using Integrations.Core.OAuth.Flows;
using Integrations.Core.OutboundWebhooks;
using Integrations.Core.Rotation;
using Integrations.Core.Tenancy;
using Integrations.Core.Vault;
using Integrations.Core.Webhooks;
using Integrations.Core.Webhooks.Consent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Integrations.Core.Hosting;

public static class CoreServiceCollectionExtensions
{
    /// <summary>
    /// Registers the domain services and binds their options (validated at start). The stores, the lock and
    /// the job dispatcher are ports: add an implementation such as <c>AddIntegrationsAzure</c>.
    /// </summary>
    public static IServiceCollection AddIntegrationsCore(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IRandomSource>(SystemRandomSource.Instance);

        services.AddOptionsWithValidateOnStart<KeyWrappingOptions>().BindConfiguration(KeyWrappingOptions.SectionName).ValidateDataAnnotations();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<KeyWrappingOptions>, KeyWrappingOptionsValidator>());
        services.AddOptionsWithValidateOnStart<HubOptions>().BindConfiguration(HubOptions.SectionName).ValidateDataAnnotations();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<HubOptions>, HubOptionsValidator>());
        services.AddOptionsWithValidateOnStart<OAuthStateOptions>().BindConfiguration(OAuthStateOptions.SectionName).ValidateDataAnnotations()
            .Validate(o => o.StartLinkLifetime < o.StateLifetime, "OAuth:StartLinkLifetime must be shorter than OAuth:StateLifetime.");
        services.AddOptionsWithValidateOnStart<VaultOptions>().BindConfiguration(VaultOptions.SectionName).ValidateDataAnnotations();
        services.AddOptionsWithValidateOnStart<AuditOptions>().BindConfiguration(AuditOptions.SectionName).ValidateDataAnnotations()
            .Validate(o => o.DefaultQueryRange <= o.MaxQueryRange, "Audit:DefaultQueryRange must not exceed Audit:MaxQueryRange.")
            .Validate(o => o.MinimumRetention <= o.Retention && o.Retention <= o.MaximumRetention,
                "Audit:Retention must lie between Audit:MinimumRetention and Audit:MaximumRetention.");

        // The local wrapper is the default root; AddIntegrationsAzure replaces it when KeyWrapping:Provider is KeyVault.
        services.TryAddSingleton<LocalRootKeyWrapper>();
        services.TryAddSingleton<IRootKeyWrapper>(sp => sp.GetRequiredService<LocalRootKeyWrapper>());
        services.TryAddSingleton<KeyRing>();
        services.TryAddSingleton<KekLifecycle>();
        services.TryAddSingleton<AuditKeyLifecycle>();
        services.TryAddSingleton<EnvelopeCipher>();

        services.TryAddSingleton<AuthorityRows>();
        services.TryAddSingleton<CallerAuthenticator>();
        services.TryAddSingleton<ApiKeyService>();
        services.AddIntegrationsPasswords();
        services.AddIntegrationsLoginThrottle();
        services.TryAddSingleton<TenancyService>();
        services.TryAddSingleton<VaultService>();
        services.TryAddSingleton<SecretRetentionPurge>();
        services.TryAddSingleton<SecretExpiryCheck>();
        services.TryAddSingleton<AuditLog>();
        services.TryAddSingleton<AuditChain>();
        services.TryAddSingleton<AuditRetention>();
        services.TryAddSingleton<KeyRotationService>();
        services.TryAddSingleton<OAuthStateService>();
        services.TryAddSingleton<RedirectAfterPolicy>();


        services.AddOptionsWithValidateOnStart<CounterOptions>().BindConfiguration(CounterOptions.SectionName).ValidateDataAnnotations();
        services.TryAddSingleton<HubCounters>();
        services.TryAddSingleton<IHubCounters>(sp => sp.GetRequiredService<HubCounters>());
        services.TryAddSingleton<CounterCleanup>();

        services.TryAddSingleton<EventWriter>();
        services.TryAddSingleton<ConnectionStateChanges>();
        services.TryAddSingleton<ConnectionService>();
        services.TryAddSingleton<CredentialResolver>();
        services.AddOptionsWithValidateOnStart<ConnectionUsageOptions>().BindConfiguration(ConnectionUsageOptions.SectionName).ValidateDataAnnotations();
        services.TryAddSingleton<ConnectionUsage>();
        services.AddOptionsWithValidateOnStart<ConnectionCacheOptions>().BindConfiguration(ConnectionCacheOptions.SectionName).ValidateDataAnnotations();
        services.TryAddSingleton<SecretChanges>();
        services.TryAddSingleton<ConnectionCache>();
        // Replaced by the outbound HTTP layer, which owns the circuit breakers; hosts without it see every circuit closed.
        services.TryAddSingleton<ICircuitStateReader>(new ClosedCircuitStateReader());
        // Replaced (services.Replace) by the token lifecycle once connections hold tokens.
        services.TryAddSingleton<IConnectionTokenRevoker, NoTokenRevoker>();
        services.AddIntegrationsWebhookSchemes();
        services.AddIntegrationsConsentRevocation();

        services.AddIntegrationsWebhookOptions();
        services.AddIntegrationsWebhookSources();
        services.AddIntegrationsWebhookEndpoints();
        return services;
    }
}
