namespace Integrations.Api.Jobs;

/// <summary>The timer jobs; a test keeps both shells in step with this list.</summary>
public static class ScheduledJobs
{
    public static ScheduledJob AuditSeal { get; } = new("SealAuditLog", "Audit:SealSchedule");

    public static ScheduledJob AuditCleanup { get; } = new("CleanupAuditLog", "Audit:CleanupSchedule");

    /// <summary>Checks whether <c>KeyWrapping:RotationSchedule</c> makes a KEK rotation due, and starts it.</summary>
    public static ScheduledJob KeyRotationSchedule { get; } = new("RotateKeysOnSchedule", "KeyWrapping:RotationCheckSchedule");

    public static ScheduledJob ApiKeyCleanup { get; } = new("CleanupApiKeys", "Hub:ApiKeyCleanupSchedule");

    public static ScheduledJob SecretRetentionPurge { get; } = new("PurgeDeletedSecrets", "Vault:PurgeSchedule");

    /// <summary>Deletes OAuth states (and start links) past their expiry: tables have no TTL.</summary>
    public static ScheduledJob OAuthStateCleanup { get; } = new("CleanupOAuthStates", "OAuth:StateCleanupSchedule");

    /// <summary>Renews OAuth tokens that fall due before the next run, oldest first, bounded per run.</summary>
    public static ScheduledJob RefreshTokensAhead { get; } = new("RefreshTokensAhead", "OAuth:RefreshAheadSchedule");

    /// <summary>Warns 30, 7 and 1 days before a provider's client secret expires; after, its connections move to client_secret_expired.</summary>
    public static ScheduledJob ClientSecretExpiryCheck { get; } = new("CheckClientSecretExpiry", "OAuth:ClientSecretExpiryCheckSchedule");

    /// <summary>secret.expiring 30, 7 and 1 days before a secret's expires_at or rotation date, secret.expired after.</summary>
    public static ScheduledJob SecretExpiryCheck { get; } = new("CheckSecretExpiry", "Vault:ExpiryCheckSchedule");

    /// <summary>Deletes durable counter rows older than <c>Counters:Retention</c>: tables have no TTL.</summary>
    public static ScheduledJob CounterCleanup { get; } = new("CleanupCounters", "Counters:CleanupSchedule");

    /// <summary>Runs every enabled connection's test request (seed: "synthetic tests for critical integrations daily").</summary>
    public static ScheduledJob ConnectionHealthCheck { get; } = new("CheckConnectionHealth", "Connections:HealthCheckSchedule");

    /// <summary>Deletes webhook events (each also its delivery's idempotency key) past Webhooks:EventRetention: tables have no TTL.</summary>
    public static ScheduledJob WebhookIdempotencyCleanup { get; } = new("CleanupWebhookIdempotency", "Webhooks:CleanupSchedule");

    /// <summary>Turns webhook delivery tickets in the poison queue into failed deliveries with a reason.</summary>
    public static ScheduledJob WebhookDeliveryPoisonDrain { get; } = new("DrainWebhookDeliveryPoison", "Webhooks:PoisonDrainSchedule");
    /// <summary>Queues the delivery tickets of messages whose accepting process died before queueing them.</summary>
    public static ScheduledJob WebhookFanOutRecovery { get; } = new("RecoverWebhookFanOut", "Webhooks:FanOutRecoverySchedule");

    /// <summary>Deletes direct sends past Webhooks:SendRetention, on the webhook cleanup's schedule.</summary>
    public static ScheduledJob OutboundSendCleanup { get; } = new("CleanupOutboundSends", "Webhooks:CleanupSchedule");

    /// <summary>Deletes ended sessions: tables have no TTL.</summary>
    public static ScheduledJob UserSessionCleanup { get; } = new("CleanupUserSessions", "Auth:SessionCleanupSchedule");

    public static IReadOnlyList<ScheduledJob> All { get; } =
    [
        AuditSeal, AuditCleanup, KeyRotationSchedule, ApiKeyCleanup, SecretRetentionPurge, OAuthStateCleanup, RefreshTokensAhead, ClientSecretExpiryCheck, SecretExpiryCheck,
        CounterCleanup, ConnectionHealthCheck, WebhookIdempotencyCleanup, WebhookDeliveryPoisonDrain, WebhookFanOutRecovery, OutboundSendCleanup,
        UserSessionCleanup,
    ];
}
