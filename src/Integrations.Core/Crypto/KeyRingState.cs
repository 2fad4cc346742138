namespace Integrations.Core.Crypto;

/// <summary>Which KEK wraps new data keys, which key signs the audit log, and which key MACs the rows that grant authority.</summary>
public sealed record KeyRingState(string ActiveKekId, string AuditKeyId, DateTimeOffset ActivatedAt, string? ETag = null)
{
    /// <summary>
    /// The authority key (<see cref="KeyPurpose.AuthorityMac"/>). Null only in a ring written by the foundation that no
    /// instance of this version has opened yet; while it is null, legacy (unbound) wrapped keys are accepted and upgraded.
    /// </summary>
    public string? AuthorityKeyId { get; init; }
}
