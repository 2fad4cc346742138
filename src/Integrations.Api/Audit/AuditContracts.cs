using Integrations.Core.Audit;

namespace Integrations.Api.Audit;

/// <summary>An audit record as the API shows it. <see cref="Count"/> is above 1 only for a summary of repeated refusals.</summary>
public sealed record AuditRecordResponse(
    string Id, DateTimeOffset Time, string Action, string Outcome, int Status, string ActorType, string ActorId, string? ProjectId, string? Target,
    string? SourceIp, string? UserAgent, string? RequestId, string? CredentialHmac, bool Sealed, int Count)
{
    public static AuditRecordResponse From(AuditRecord r) => new(
        r.Id, r.Time, r.Action, r.Outcome, r.Status, r.ActorType, r.ActorId, r.ProjectId, r.Target, r.SourceIp, r.UserAgent, r.RequestId, r.CredentialHmac,
        r.ChainHash is not null, r.Count);
}

/// <summary>An organization's audit retention: its own setting, or the platform's default, and the bounds it may choose within.</summary>
public sealed record AuditRetentionResponse(int Days, bool IsDefault, int DefaultDays, int MinimumDays, int MaximumDays);

/// <summary>Sets the organization's audit retention in days; null returns to the platform's default.</summary>
public sealed record SetAuditRetentionRequest(int? Days);
