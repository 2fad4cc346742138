namespace Integrations.Core.Audit;

/// <summary>Names of audit partitions. Requests outside any organization (bad credentials, platform admin) go to <see cref="Platform"/>.</summary>
public static class AuditPartition
{
    public const string Platform = "platform";

    public static string For(string organizationId, string? projectId) =>
        organizationId == Platform ? Platform : $"{organizationId}_{projectId ?? "org"}";

    /// <summary>The organization a partition belongs to, or null for the platform's (ids contain no <c>_</c> after their prefix).</summary>
    public static string? OrganizationOf(string partition)
    {
        ArgumentNullException.ThrowIfNull(partition);
        var end = partition.IndexOf('_', "org_".Length);
        return partition == Platform || !partition.StartsWith("org_", StringComparison.Ordinal) || end < 0 ? null : partition[..end];
    }
}
