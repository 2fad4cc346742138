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
