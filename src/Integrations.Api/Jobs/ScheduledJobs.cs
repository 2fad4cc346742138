namespace Integrations.Api.Jobs;

/// <summary>The timer jobs; a test keeps both shells in step with this list.</summary>
public static class ScheduledJobs
{
    public static ScheduledJob AuditSeal { get; } = new("SealAuditLog", "Audit:SealSchedule");

    public static ScheduledJob AuditCleanup { get; } = new("CleanupAuditLog", "Audit:CleanupSchedule");

    public static ScheduledJob SecretRetentionPurge { get; } = new("PurgeDeletedSecrets", "Vault:PurgeSchedule");

    public static IReadOnlyList<ScheduledJob> All { get; } = [AuditSeal, AuditCleanup, SecretRetentionPurge];
}
