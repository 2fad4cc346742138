namespace Integrations.Core.Audit;

/// <summary>Stable codes of the audit log's expected failures (each has an entry in docs/problems.md).</summary>
public static class AuditErrors
{
    public const string RetentionOutOfBounds = "retention-out-of-bounds";
}
