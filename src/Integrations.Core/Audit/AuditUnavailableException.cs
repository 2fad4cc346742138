namespace Integrations.Core.Audit;

/// <summary>The audit record could not be written, so the request must fail (fail closed, as Vault does).</summary>
public sealed class AuditUnavailableException(Exception innerException)
    : Exception("The audit log could not be written.", innerException);
