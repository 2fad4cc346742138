namespace Integrations.Core.Crypto;

/// <summary>Which KEK wraps new data keys, and which key signs the audit log.</summary>
public sealed record KeyRingState(string ActiveKekId, string AuditKeyId, DateTimeOffset ActivatedAt, string? ETag = null);
