namespace Integrations.Core.Audit;

/// <summary>
/// One audited request: who did what to which object, when, from where and how it ended. Never a secret value;
/// a presented credential appears only as a keyed HMAC (<see cref="CredentialHmac"/>), like Vault's audit devices.
/// </summary>
public sealed record AuditRecord(
    string Id,
    DateTimeOffset Time,
    string OrganizationId,
    string? ProjectId,
    string Action,
    string Outcome,
    int Status,
    string ActorType,
    string ActorId,
    string? Target,
    string? SourceIp,
    string? UserAgent,
    string? RequestId,
    string? CredentialHmac,
    string? ChainHash = null,
    int Count = 1)
{
    /// <summary>The log partition the record belongs to: one per project, one per organization, one for the platform.</summary>
    public string Partition => AuditPartition.For(OrganizationId, ProjectId);
}

/// <summary>What is being audited, before the log gives it an id, a time and a place in the chain.</summary>
/// <remarks><see cref="Count"/> is above 1 for a summary of repeated refusals (one record for a flood from one source).</remarks>
public sealed record AuditEvent(
    string OrganizationId,
    string? ProjectId,
    string Action,
    string Outcome,
    int Status,
    string ActorType,
    string ActorId,
    string? Target = null,
    string? SourceIp = null,
    string? UserAgent = null,
    string? RequestId = null,
    string? CredentialHmac = null,
    int Count = 1);

/// <summary>Names of audit partitions. Requests outside any organization (bad credentials, platform admin) go to <see cref="Platform"/>.</summary>
public static class AuditPartition
{
    public const string Platform = "platform";

    public static string For(string organizationId, string? projectId) =>
        organizationId == Platform ? Platform : $"{organizationId}_{projectId ?? "org"}";
}

/// <summary>Stable action names.</summary>
public static class AuditActions
{
    public const string OrganizationCreate = "org.create";
    public const string ProjectCreate = "project.create";
    public const string ProjectList = "project.list";
    public const string SecretCreate = "secret.create";
    public const string SecretRead = "secret.read";
    public const string SecretList = "secret.list";
    public const string SecretVersions = "secret.versions";
    public const string SecretReveal = "secret.reveal";
    public const string SecretUpdate = "secret.update";
    public const string SecretDelete = "secret.delete";
    public const string SecretRestore = "secret.restore";
    public const string SecretPurge = "secret.purge";
    public const string ApiKeyCreate = "apikey.create";
    public const string ApiKeyList = "apikey.list";
    public const string ApiKeyRevoke = "apikey.revoke";
    public const string KeyRotationStart = "keys.rotate";
    public const string KeyRotationRead = "keys.rotation.read";
    public const string AuditRead = "audit.read";

    /// <summary>A summary of failed authentications from one address within a minute, with their count.</summary>
    public const string AuthenticationFailures = "auth.failures";

    /// <summary>A summary of one credential's requests refused by its rate limit within a minute, with their count.</summary>
    public const string RateLimited = "ratelimit.exceeded";
}

/// <summary>Stable outcome names.</summary>
public static class AuditOutcomes
{
    /// <summary>A change is about to run; its outcome follows in a second record with the same request id.</summary>
    public const string Attempt = "attempt";
    public const string Success = "success";
    public const string Denied = "denied";
    public const string Unauthenticated = "unauthenticated";
    public const string NotFound = "not_found";
    public const string Invalid = "invalid";
    public const string Conflict = "conflict";
    public const string RateLimited = "rate_limited";
    public const string Error = "error";
}
