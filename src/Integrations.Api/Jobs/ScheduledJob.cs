namespace Integrations.Api.Jobs;

/// <summary>A timer job both shells run: the Server on a cron schedule, Functions as a TimerTrigger reading the same setting.</summary>
/// <param name="Name">The job's name, and the Functions function name.</param>
/// <param name="ScheduleSetting">The configuration key holding its NCRONTAB schedule (six fields).</param>
public sealed record ScheduledJob(string Name, string ScheduleSetting);
