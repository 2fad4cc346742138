using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Integrations.Azure.Blobs;
using Integrations.Azure.Leases;
using Integrations.Azure.Queues;
using Integrations.Azure.Tables;
using Integrations.Core.Audit;
using Integrations.Core.Common;
using Integrations.Core.Connections;
using Integrations.Core.Crypto;
using Integrations.Core.Events;
using Integrations.Core.Identity;
using Integrations.Core.Jobs;
using Integrations.Core.OAuth;
using Integrations.Core.OAuth.Flows;
using Integrations.Core.OutboundWebhooks;
using Integrations.Core.Rotation;
using Integrations.Core.Tenancy;
using Integrations.Core.Vault;
using Integrations.Core.Webhooks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Integrations.Azure.Hosting;

public static class AzureServiceCollectionExtensions
{
    /// <summary>
    /// Implements Core's ports with Azure Storage (Tables, Queues, Blob leases) and, when
    /// <c>KeyWrapping:Provider</c> is <c>KeyVault</c>, the Key Vault root wrapper. Call after <c>AddIntegrationsCore</c>.
    /// </summary>
    public static IServiceCollection AddIntegrationsAzure(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptionsWithValidateOnStart<StorageOptions>()
            .Configure<IConfiguration>((options, configuration) =>
            {
                var section = configuration.GetSection(StorageOptions.SectionName);
                section.Bind(options);
                // `Storage` may itself be the connection string, as Functions' connection settings are.
                if (!string.IsNullOrWhiteSpace(section.Value))
                {
                    options.ConnectionString = section.Value;
                }
            });
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>());

        services.TryAddSingleton(sp => CreateClient(sp,
            o => new TableServiceClient(o.ConnectionString, TableOptions()), (o, c) => new TableServiceClient(o.TableServiceUri, c, TableOptions())));
        services.TryAddSingleton(sp => CreateClient(sp,
            o => new QueueServiceClient(o.ConnectionString, QueueOptions()), (o, c) => new QueueServiceClient(o.QueueServiceUri, c, QueueOptions())));
        services.TryAddSingleton(sp => CreateClient(sp, o => new BlobServiceClient(o.ConnectionString), (o, c) => new BlobServiceClient(o.BlobServiceUri, c)));
        services.TryAddSingleton(sp => new HubTables(sp.GetRequiredService<TableServiceClient>(), Prefix(sp)));
        services.TryAddSingleton(sp => new HubQueueNames(sp.GetRequiredService<IConfiguration>(), Prefix(sp)));
        services.TryAddSingleton<IJobQueueNames>(sp => sp.GetRequiredService<HubQueueNames>());
        services.AddOptionsWithValidateOnStart<JobQueueOptions>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<JobQueueOptions>, JobQueueOptionsValidator>());

        services.TryAddSingleton<TableSecretStore>();
        services.TryAddSingleton<ISecretStore>(sp => sp.GetRequiredService<TableSecretStore>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ISealedValueSource, TableSecretStore>(sp => sp.GetRequiredService<TableSecretStore>()));
        services.TryAddSingleton<IKeyRecordStore, TableKeyRecordStore>();
        services.TryAddSingleton<ITenancyStore, TableTenancyStore>();
        services.TryAddSingleton<IApiKeyStore, TableApiKeyStore>();
        services.TryAddSingleton<Core.Identity.Users.IUserStore, TableUserStore>();
        services.TryAddSingleton<Core.Identity.Organizations.IMembershipStore, TableMembershipStore>();
        services.TryAddSingleton<Core.Identity.Recovery.IRecoveryTokenStore, TableRecoveryTokenStore>();
        services.TryAddSingleton<Core.Identity.Invitations.IInvitationStore, TableInvitationStore>();
        services.TryAddSingleton<Core.Identity.Social.ISocialLinkStore, TableSocialLinkStore>();
        services.TryAddSingleton<IOAuthStateStore, TableOAuthStateStore>();
        services.TryAddSingleton<IProjectOAuthSettingsStore, TableProjectOAuthSettingsStore>();
        services.TryAddSingleton<IProviderStore, TableProviderStore>();
        services.TryAddSingleton(sp => ActivatorUtilities.CreateInstance<AuthorityRowUpgrade>(sp, CheckpointContainer(sp)));
        services.TryAddSingleton<IAuditStore, TableAuditStore>();
        services.TryAddSingleton<IKeyRotationStore, TableKeyRotationStore>();
        services.TryAddSingleton<IConnectionStore, TableConnectionStore>();
        services.TryAddSingleton<IConnectionAccountLookup, TableConnectionAccountLookup>();

        services.TryAddSingleton<Core.Webhooks.IWebhookSourceStore, TableWebhookSourceStore>();
        services.TryAddSingleton<Core.Sends.IOutboundSendStore, TableOutboundSendStore>();
        services.TryAddSingleton<Core.OutboundWebhooks.IWebhookEndpointStore, TableWebhookEndpointStore>();
        services.TryAddSingleton<IConnectionScan, TableConnectionStore>();
        services.TryAddSingleton<TableEventOutbox>();
        services.TryAddSingleton<IEventOutbox>(sp => sp.GetRequiredService<TableEventOutbox>());
        services.TryAddSingleton<IEventHandOffStore>(sp => sp.GetRequiredService<TableEventOutbox>());
        services.TryAddSingleton<Core.OAuth.Tokens.IRefreshDueIndex, TableRefreshDueIndex>();
        services.TryAddSingleton<Core.Counters.ICounterStore, TableCounterStore>();
        services.TryAddSingleton<Core.Counters.IWindowLimiter, TableWindowLimiter>();
        services.TryAddSingleton<Core.Identity.Lockout.ILoginFailureStore, TableLoginFailureStore>();
        services.TryAddSingleton<IJobDispatcher, StorageQueueDispatcher>();
        services.TryAddSingleton<IPoisonMessages, StoragePoisonMessages>();
        services.TryAddSingleton<IJobFailureLog, TableJobFailureLog>();
        services.TryAddSingleton<IDistributedLock>(sp => new BlobLeaseLock(LockContainer(sp), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<BlobLeaseLock>>()));
        services.TryAddSingleton<IHubStorage>(sp => new AzureHubStorage(sp.GetRequiredService<HubTables>(), sp.GetRequiredService<QueueServiceClient>(),
            sp.GetRequiredService<IJobQueueNames>(), LockContainer(sp), CheckpointContainer(sp)));
        services.TryAddSingleton<IAuditCheckpointStore>(sp => new BlobAuditCheckpointStore(CheckpointContainer(sp)));
        services.TryAddSingleton<IWebhookEventStore>(sp => new TableWebhookEventStore(sp.GetRequiredService<HubTables>(),
            sp.GetRequiredService<BlobServiceClient>().GetBlobContainerClient(TableWebhookEventStore.ContainerName(Prefix(sp)))));
        services.TryAddSingleton<IWebhookEventPublisher, StorageWebhookEventPublisher>();
        services.TryAddSingleton(sp => new TableOutboundStore(sp.GetRequiredService<HubTables>(),
            sp.GetRequiredService<BlobServiceClient>().GetBlobContainerClient(TableOutboundStore.ContainerName(Prefix(sp))),
            sp.GetRequiredService<TimeProvider>(), () => sp.GetRequiredService<IOptions<WebhookOptions>>().Value.MessageIdempotencyRetention));
        services.TryAddSingleton<IOutboundMessageStore>(sp => sp.GetRequiredService<TableOutboundStore>());
        services.TryAddSingleton<IWebhookDeliveryStore>(sp => sp.GetRequiredService<TableOutboundStore>());

        services.Replace(ServiceDescriptor.Singleton<IRootKeyWrapper>(sp =>
            sp.GetRequiredService<IOptions<KeyWrappingOptions>>().Value.Provider == KeyWrappingProvider.KeyVault
                ? KeyVault.KeyVaultServiceFactory.Create(sp)
                : sp.GetRequiredService<LocalRootKeyWrapper>()));
        return services;
    }

    private static T CreateClient<T>(IServiceProvider services, Func<StorageOptions, T> fromConnectionString, Func<StorageOptions, TokenCredential, T> fromIdentity)
    {
        var options = services.GetRequiredService<IOptions<StorageOptions>>().Value;
        return options.UsesConnectionString
            ? fromConnectionString(options)
            : fromIdentity(options, new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = options.ClientId }));
    }

    private static QueueClientOptions QueueOptions() => new() { MessageEncoding = QueueMessageEncoding.Base64 };

    /// <summary>
    /// Bounded retries: a storage call gives up within about 45 s (4 tries of at most 10 s, short backoff) instead of
    /// the SDK's default of minutes, so a request fails visibly and an audit record never lands after its chain is sealed.
    /// </summary>
    private static TableClientOptions TableOptions()
    {
        var options = new TableClientOptions();
        // Every request path makes two or more table calls; per-call activity creation shows up in its CPU cost.
        options.Diagnostics.IsDistributedTracingEnabled = false;
        options.Retry.MaxRetries = 3;
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(10);
        options.Retry.Delay = TimeSpan.FromMilliseconds(200);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(2);
        return options;
    }

    private static string Prefix(IServiceProvider services) => services.GetRequiredService<IOptions<StorageOptions>>().Value.Prefix;

    private static BlobContainerClient LockContainer(IServiceProvider services) =>
        services.GetRequiredService<BlobServiceClient>().GetBlobContainerClient(Prefix(services) + "-locks");

    private static BlobContainerClient CheckpointContainer(IServiceProvider services) =>
        services.GetRequiredService<BlobServiceClient>().GetBlobContainerClient(BlobAuditCheckpointStore.ContainerName(Prefix(services)));
}
