using Cronos;
using Integrations.Api.Jobs;

namespace Integrations.Server.Jobs;

/// <summary>
/// Runs a <see cref="ScheduledJob"/> on the NCRONTAB schedule in its setting (six fields, UTC), the same
/// setting the Functions TimerTrigger reads. A failed run is logged and the next occurrence runs as usual.
/// </summary>
public sealed partial class CronJobService(
    ScheduledJob job, Func<CancellationToken, Task> run, IConfiguration configuration, TimeProvider time, ILogger<CronJobService> logger)
    : BackgroundService
{
    /// <summary>The job this service runs; tests check the Server runs every <see cref="ScheduledJobs"/> entry.</summary>
    public ScheduledJob Job => job;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var schedule = Parse(job, configuration);
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = time.GetUtcNow();
            var next = schedule.GetNextOccurrence(now.UtcDateTime, TimeZoneInfo.Utc);
            if (next is null)
            {
                return;
            }

            await Task.Delay(new DateTimeOffset(next.Value, TimeSpan.Zero) - now, time, stoppingToken).ConfigureAwait(false);
            try
            {
                await run(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                Log.RunFailed(logger, ex, job.Name);
            }
        }
    }

    /// <summary>Parses the job's schedule; a missing or malformed one stops the start with a message naming the setting.</summary>
    public static CronExpression Parse(ScheduledJob job, IConfiguration configuration)
    {
        var expression = configuration[job.ScheduleSetting];
        if (string.IsNullOrWhiteSpace(expression) || !CronExpression.TryParse(expression, CronFormat.IncludeSeconds, out var schedule))
        {
            throw new InvalidOperationException($"{job.ScheduleSetting} must be an NCRONTAB expression with six fields (seconds first), e.g. \"0 30 3 * * *\".");
        }

        return schedule;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 6001, Level = LogLevel.Error, Message = "Scheduled job {Job} failed; it runs again at its next occurrence.")]
        public static partial void RunFailed(ILogger logger, Exception exception, string job);
    }
}
