using Azure.Storage.Queues;
using Integrations.Api.Jobs;
using Integrations.Azure.Queues;
using Integrations.Server.Jobs;
using Microsoft.Extensions.Options;

namespace Integrations.Server;

public static class ServerJobsServiceCollectionExtensions
{
    /// <summary>
    /// Runs, as hosted services, what the Functions app runs as triggers: every <see cref="ScheduledJobs"/> entry on
    /// its cron schedule and every job queue. Schedules are checked at start.
    /// </summary>
    public static IServiceCollection AddIntegrationsServerJobs(this IServiceCollection services)
    {
        services.AddOptionsWithValidateOnStart<ServerJobOptions>().BindConfiguration(ServerJobOptions.SectionName).ValidateDataAnnotations();
        services.AddOptionsWithValidateOnStart<ScheduleCheck>()
            .Validate<IConfiguration>((_, configuration) => ScheduledJobs.All.All(job => CronJobService.Parse(job, configuration) is not null));

        AddCron<SealAuditLogJob>(services, ScheduledJobs.AuditSeal, (job, ct) => job.RunAsync(ct));
        AddCron<CleanupAuditLogJob>(services, ScheduledJobs.AuditCleanup, (job, ct) => job.RunAsync(ct));
        services.AddSingleton<IHostedService>(sp => new QueueJobService(KeyRotationJob.QueueName,
            (message, ct) => sp.GetRequiredService<KeyRotationJob>().RunAsync(message, ct),
            sp.GetRequiredService<QueueServiceClient>(), sp.GetRequiredService<HubQueueNames>(), sp.GetRequiredService<IOptions<ServerJobOptions>>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<QueueJobService>>()));
        return services;
    }

    private static void AddCron<TJob>(IServiceCollection services, ScheduledJob job, Func<TJob, CancellationToken, Task> run)
        where TJob : notnull =>
        services.AddSingleton<IHostedService>(sp => new CronJobService(job, ct => run(sp.GetRequiredService<TJob>(), ct),
            sp.GetRequiredService<IConfiguration>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<CronJobService>>()));

    /// <summary>A marker so the schedules are validated with the other options, at start.</summary>
    private sealed class ScheduleCheck;
}
