using Integrations.Core.Audit;
using Integrations.Core.Common;
using Integrations.Core.Rotation;
using Microsoft.Extensions.Logging;

namespace Integrations.Api.Jobs;

/// <summary>A timer job both shells run: the Server on a cron schedule, Functions as a TimerTrigger reading the same setting.</summary>
/// <param name="Name">The job's name, and the Functions function name.</param>
/// <param name="ScheduleSetting">The configuration key holding its NCRONTAB schedule (six fields).</param>
public sealed record ScheduledJob(string Name, string ScheduleSetting);

/// <summary>The timer jobs; a test keeps both shells in step with this list.</summary>
public static class ScheduledJobs
{
    public static ScheduledJob AuditSeal { get; } = new("SealAuditLog", "Audit:SealSchedule");

    public static ScheduledJob AuditCleanup { get; } = new("CleanupAuditLog", "Audit:CleanupSchedule");

    public static IReadOnlyList<ScheduledJob> All { get; } = [AuditSeal, AuditCleanup];
}

/// <summary>Seals new audit records into the hash chain.</summary>
public sealed class SealAuditLogJob(AuditChain chain)
{
    public Task RunAsync(CancellationToken cancellationToken = default) => chain.SealAsync(cancellationToken);
}

/// <summary>Deletes audit records past retention. Seals first, so nothing old is left unsealed and undeletable.</summary>
public sealed class CleanupAuditLogJob(AuditChain chain)
{
    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        await chain.SealAsync(cancellationToken).ConfigureAwait(false);
        await chain.CleanupAsync(cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>Runs the key rotation named by a message on the key-rotation queue.</summary>
public sealed partial class KeyRotationJob(KeyRotationService rotations, ILogger<KeyRotationJob> logger)
{
    public static string QueueName => JobQueues.KeyRotation;

    public async Task RunAsync(string message, CancellationToken cancellationToken = default)
    {
        var rotationId = message.Trim();
        var rotation = await rotations.GetAsync(rotationId, cancellationToken).ConfigureAwait(false);
        if (rotation is null)
        {
            // Retrying cannot help; dropping the message keeps it from becoming poison.
            Log.UnknownRotation(logger);
            return;
        }

        await rotations.RunAsync(rotation.Id, progress: null, cancellationToken).ConfigureAwait(false);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 5201, Level = LogLevel.Warning, Message = "A key-rotation message named no known rotation; it was dropped.")]
        public static partial void UnknownRotation(ILogger logger);
    }
}
