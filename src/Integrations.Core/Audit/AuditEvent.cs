namespace Integrations.Core.Audit;

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
