using Integrations.Core.Common;

namespace Integrations.Azure.Tables;

/// <summary>
/// The PartitionKey of a project's rows, <c>{org id}_{project id}</c>, read back into its two ids (both have a fixed
/// length, see <see cref="Ids"/>). Stores take tenant and project from where a row sits, never from its columns.
/// </summary>
internal static class ProjectPartition
{
    private static readonly int OrganizationIdLength = Ids.New("org").Length;

    /// <summary>Whether <paramref name="partitionKey"/> has the shape of a project's key (a scan across partitions may meet any row).</summary>
    public static bool IsWellFormed(string partitionKey) =>
        partitionKey.Length > OrganizationIdLength + 1 && partitionKey[OrganizationIdLength] == '_';

    public static (string OrganizationId, string ProjectId) Split(string partitionKey) =>
        (partitionKey[..OrganizationIdLength], partitionKey[(OrganizationIdLength + 1)..]);
}
