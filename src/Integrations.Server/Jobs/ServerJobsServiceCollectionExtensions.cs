using Integrations.Api.Jobs;
using Integrations.Server.Jobs;

namespace Integrations.Server;

public static class ServerJobsServiceCollectionExtensions
{
    /// <summary>
    /// Runs, as hosted services, what the Functions app runs as triggers: every <see cref="ScheduledJobs"/> entry on
    /// its cron schedule and a worker for every <see cref="QueueJobs"/> entry. Schedules are checked at start.
    /// </summary>
    public static IServiceCollection AddIntegrationsServerJobs(this IServiceCollection services)
    {
        services.AddOptionsWithValidateOnStart<ServerJobOptions>().BindConfiguration(ServerJobOptions.SectionName).ValidateDataAnnotations();
        services.AddOptionsWithValidateOnStart<ScheduleCheck>()
            .Validate<IConfiguration>((_, configuration) => ScheduledJobs.All.All(job => CronJobService.Parse(job, configuration) is not null));

        AddCron<SealAuditLogJob>(services, ScheduledJobs.AuditSeal, (job, ct) => job.RunAsync(ct));
        AddCron<CleanupAuditLogJob>(services, ScheduledJobs.AuditCleanup, (job, ct) => job.RunAsync(ct));
        AddCron<ScheduledKeyRotationJob>(services, ScheduledJobs.KeyRotationSchedule, (job, ct) => job.RunAsync(ct));
        AddCron<CleanupApiKeysJob>(services, ScheduledJobs.ApiKeyCleanup, (job, ct) => job.RunAsync(ct));
        AddCron<PurgeDeletedSecretsJob>(services, ScheduledJobs.SecretRetentionPurge, (job, ct) => job.RunAsync(ct));
        AddCron<CleanupOAuthStatesJob>(services, ScheduledJobs.OAuthStateCleanup, (job, ct) => job.RunAsync(ct));
        AddCron<CleanupWebhookIdempotencyJob>(services, ScheduledJobs.WebhookIdempotencyCleanup, (job, ct) => job.RunAsync(ct));
        AddCron<RefreshTokensAheadJob>(services, ScheduledJobs.RefreshTokensAhead, (job, ct) => job.RunAsync(ct));
        AddCron<CheckClientSecretExpiryJob>(services, ScheduledJobs.ClientSecretExpiryCheck, (job, ct) => job.RunAsync(ct));
        AddCron<CheckSecretExpiryJob>(services, ScheduledJobs.SecretExpiryCheck, (job, ct) => job.RunAsync(ct));
        AddCron<CleanupCountersJob>(services, ScheduledJobs.CounterCleanup, (job, ct) => job.RunAsync(ct));
        AddCron<CheckConnectionHealthJob>(services, ScheduledJobs.ConnectionHealthCheck, (job, ct) => job.RunAsync(ct));
        AddCron<DrainWebhookDeliveryPoisonJob>(services, ScheduledJobs.WebhookDeliveryPoisonDrain, (job, ct) => job.RunAsync(ct));
        AddCron<RecoverWebhookFanOutJob>(services, ScheduledJobs.WebhookFanOutRecovery, (job, ct) => job.RunAsync(ct));
        AddCron<CleanupOutboundSendsJob>(services, ScheduledJobs.OutboundSendCleanup, (job, ct) => job.RunAsync(ct));
        AddCron<CleanupUserSessionsJob>(services, ScheduledJobs.UserSessionCleanup, (job, ct) => job.RunAsync(ct));
        foreach (var job in QueueJobs.All)
        {
            services.AddSingleton<IHostedService>(sp => ActivatorUtilities.CreateInstance<QueueJobService>(sp, job));
        }

        return services;
    }

    private static void AddCron<TJob>(IServiceCollection services, ScheduledJob job, Func<TJob, CancellationToken, Task> run)
        where TJob : notnull =>
        services.AddSingleton<IHostedService>(sp => new CronJobService(job, ct => run(sp.GetRequiredService<TJob>(), ct),
            sp.GetRequiredService<IConfiguration>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<CronJobService>>()));

    /// <summary>A marker so the schedules are validated with the other options, at start.</summary>
    private sealed class ScheduleCheck;
}
