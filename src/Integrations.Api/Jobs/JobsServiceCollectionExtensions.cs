using Integrations.Core.Counters;
using Integrations.Core.Crypto;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Integrations.Api.Jobs;

public static class JobsServiceCollectionExtensions
{
    /// <summary>
    /// Registers what both shells' job triggers call: the scheduled jobs, every <see cref="QueueJobs"/> handler and the
    /// <see cref="QueueJobRunner"/>, plus the start-up initializer. Checks at start that every queue job's handler resolves.
    /// </summary>
    public static IServiceCollection AddIntegrationsJobs(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<SealAuditLogJob>();
        services.TryAddSingleton<CleanupAuditLogJob>();
        services.TryAddSingleton<CleanupApiKeysJob>();
        services.TryAddSingleton<PurgeDeletedSecretsJob>();
        services.TryAddSingleton<CleanupOAuthStatesJob>();
        services.TryAddSingleton<CleanupWebhookIdempotencyJob>();
        services.TryAddSingleton<RefreshTokensAheadJob>();
        services.TryAddSingleton<CheckClientSecretExpiryJob>();
        services.TryAddSingleton<CheckSecretExpiryJob>();
        services.TryAddSingleton<CleanupCountersJob>();
        services.TryAddSingleton<CheckConnectionHealthJob>();
        services.TryAddSingleton<KeyRotationJob>();
        services.TryAddSingleton<DevicePollingJob>();
        services.TryAddSingleton<WebhookDeliveryJob>();
        services.TryAddSingleton<DrainWebhookDeliveryPoisonJob>();
        services.TryAddSingleton<RecoverWebhookFanOutJob>();
        services.TryAddSingleton<OutboundSendJob>();
        services.TryAddSingleton<CleanupOutboundSendsJob>();
        services.TryAddSingleton<CleanupUserSessionsJob>();
        services.TryAddSingleton<ScheduledKeyRotationJob>();
        services.AddOptionsWithValidateOnStart<KeyWrappingOptions>()
            .Validate(o => ScheduledKeyRotationJob.IsValidSchedule(o.RotationSchedule),
                "KeyWrapping:RotationSchedule must be empty (no scheduled rotation) or an NCRONTAB expression with six fields, e.g. \"0 0 3 1 1,4,7,10 *\".");
        services.TryAddSingleton<QueueJobRunner>();
        services.AddOptionsWithValidateOnStart<QueueJobHandlerCheck>()
            .Validate<IServiceProvider>((_, provider) => QueueJobs.All.All(job => provider.GetService(job.Handler) is IQueueJobHandler),
                "Every QueueJobs entry's handler must be registered (AddIntegrationsJobs registers the hub's own).");
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, HubInitializer>());
        // Both shells: the Functions isolated worker is a generic host and runs hosted services too.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, CounterFlusher>());
        return services;
    }

    /// <summary>A marker so the handlers are checked with the options, at start.</summary>
    private sealed class QueueJobHandlerCheck;
}
