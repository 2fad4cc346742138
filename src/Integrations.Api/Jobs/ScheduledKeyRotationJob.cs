using Cronos;
using Integrations.Core.Audit;
using Integrations.Core.Common;
using Integrations.Core.Crypto;
using Integrations.Core.Rotation;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Integrations.Api.Jobs;

/// <summary>
/// Starts a KEK rotation when <see cref="KeyWrappingOptions.RotationSchedule"/> says one is due: when an occurrence of the
/// schedule has passed since the active KEK became active. It runs often (its own check schedule) and is idempotent, so
/// a missed occurrence (every instance down) is caught up at the next check rather than skipped, and an occurrence
/// already served by a rotation is not served twice. It starts the same online rotation as the admin endpoint — one
/// at a time, under a lock, and not while another rotation is in progress — and audits it in the platform log.
/// </summary>
public sealed partial class ScheduledKeyRotationJob(
    KeyRing keys, KeyRotationService rotations, IKeyRotationStore rotationStore, IJobDispatcher jobs, IDistributedLock locks, AuditLog audit,
    IOptions<KeyWrappingOptions> options, TimeProvider time, ILogger<ScheduledKeyRotationJob> logger)
{
    /// <summary>Who the audit log names as starting a scheduled rotation.</summary>
    public const string Actor = "schedule:KeyWrapping:RotationSchedule";

    private const string LockName = "key-rotation-schedule";

    /// <summary>The rotation it started, or null when none was due (or scheduling is off).</summary>
    public async Task<KeyRotation?> RunAsync(CancellationToken cancellationToken = default)
    {
        if (Schedule(options.Value) is not { } schedule)
        {
            return null;
        }

        await using var held = await locks.TryAcquireAsync(LockName, cancellationToken).ConfigureAwait(false);
        if (held is null || await rotationStore.GetInProgressAsync(cancellationToken).ConfigureAwait(false) is not null)
        {
            return null;
        }

        var state = await keys.GetStateAsync(cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        if (schedule.GetNextOccurrence(state.ActivatedAt.UtcDateTime, TimeZoneInfo.Utc) is not { } due || due > now.UtcDateTime)
        {
            return null;
        }

        const string target = "rotation/data_keys";
        await audit.WriteAsync(Event(AuditOutcomes.Attempt, 0, target), cancellationToken).ConfigureAwait(false);
        var rotation = await rotations.StartAsync(RotationKind.DataKeys, cancellationToken: cancellationToken).ConfigureAwait(false);
        await jobs.EnqueueAsync(JobQueues.KeyRotation, rotation.Id, cancellationToken).ConfigureAwait(false);
        await audit.WriteAsync(Event(AuditOutcomes.Success, 202, $"rotation/{rotation.Id}"), CancellationToken.None).ConfigureAwait(false);
        Log.Started(logger, rotation.Id, state.ActiveKekId, new DateTimeOffset(due, TimeSpan.Zero));
        return rotation;
    }

    /// <summary>The parsed schedule, or null when scheduled rotation is off (the default).</summary>
    public static CronExpression? Schedule(KeyWrappingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return string.IsNullOrWhiteSpace(options.RotationSchedule) ? null : CronExpression.Parse(options.RotationSchedule, CronFormat.IncludeSeconds);
    }

    /// <summary>True when the setting is empty (off) or a six-field NCRONTAB expression.</summary>
    public static bool IsValidSchedule(string? expression) =>
        string.IsNullOrWhiteSpace(expression) || CronExpression.TryParse(expression, CronFormat.IncludeSeconds, out _);

    private static AuditEvent Event(string outcome, int status, string target) =>
        new(AuditPartition.Platform, null, AuditActions.KeyRotationStart, outcome, status, "System", Actor, target);

    private static partial class Log
    {
        [LoggerMessage(EventId = 6101, Level = LogLevel.Information,
            Message = "Scheduled KEK rotation {RotationId} started: KEK {KekId} has been active past the occurrence at {Due}.")]
        public static partial void Started(ILogger logger, string rotationId, string kekId, DateTimeOffset due);
    }
}
