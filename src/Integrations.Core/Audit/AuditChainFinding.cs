namespace Integrations.Core.Audit;

/// <summary>A place where the audit log does not match its chain.</summary>
public sealed record AuditChainFinding(string Partition, string? RecordId, string Problem);
