namespace Integrations.Core.Audit;

/// <summary>Names of audit partitions. Requests outside any organization (bad credentials, platform admin) go to <see cref="Platform"/>.</summary>
public static class AuditPartition
{
    public const string Platform = "platform";

    public static string For(string organizationId, string? projectId) =>
        organizationId == Platform ? Platform : $"{organizationId}_{projectId ?? "org"}";
}
