using System.Security.Cryptography;
using System.Text;
using Azure.Data.Tables;
using Integrations.Core.Common;
using Integrations.Core.Tenancy;

namespace Integrations.Azure.Tables;

/// <summary>
/// Organizations at PartitionKey <c>org</c>; an organization's projects in its own partition (<c>p:{id}</c>), each
/// with a name-index row (<c>n:{hash of the lowercased name}</c>) written in the same transaction, so two
/// projects cannot share a name.
/// </summary>
public sealed class TableTenancyStore(HubTables tables) : ITenancyStore
{
    private const string OrganizationPartition = "org";

    // In the organization's partition, beside its projects ("p:…") and name index ("n:…").
    private const string AuditSettingsRow = "s:audit";

    private TableClient Table => tables.Tenancy;

    public Task<WriteOutcome> TryAddOrganizationAsync(Organization organization, CancellationToken cancellationToken = default) =>
        TableWrites.TryAsync(() => Table.AddEntityAsync(
            new TableEntity(OrganizationPartition, organization.Id) { ["Name"] = organization.Name, ["CreatedAt"] = organization.CreatedAt },
            cancellationToken));

    public async Task<Organization?> GetOrganizationAsync(string organizationId, CancellationToken cancellationToken = default)
    {
        var entity = await TableWrites.GetOrDefaultAsync<TableEntity>(Table, OrganizationPartition, organizationId, null, cancellationToken).ConfigureAwait(false);
        return entity is null ? null : new Organization(entity.RowKey, entity.GetString("Name"), entity.GetDateTimeOffset("CreatedAt")!.Value);
    }

    public Task DeleteOrganizationAsync(string organizationId, CancellationToken cancellationToken = default) =>
        Table.DeleteEntityAsync(OrganizationPartition, organizationId, global::Azure.ETag.All, cancellationToken);

    public Task<WriteOutcome> TryAddProjectAsync(Project project, CancellationToken cancellationToken = default) =>
        TableWrites.TryTransactionAsync(Table,
        [
            new(TableTransactionActionType.Add, new TableEntity(project.OrganizationId, "p:" + project.Id)
            {
                ["Name"] = project.Name,
                ["CreatedBy"] = project.CreatedBy,
                ["CreatedAt"] = project.CreatedAt,
            }),
            new(TableTransactionActionType.Add, new TableEntity(project.OrganizationId, NameKey(project.Name)) { ["ProjectId"] = project.Id }),
        ], cancellationToken);

    public async Task<Project?> GetProjectAsync(string organizationId, string projectId, CancellationToken cancellationToken = default)
    {
        var entity = await TableWrites.GetOrDefaultAsync<TableEntity>(Table, organizationId, "p:" + projectId, null, cancellationToken).ConfigureAwait(false);
        return entity is null ? null : ToProject(entity);
    }

    public async Task<int> CountProjectsAsync(string organizationId, CancellationToken cancellationToken = default)
    {
        var count = 0;
        var filter = $"PartitionKey eq '{TableWrites.Quote(organizationId)}' and RowKey ge 'p:' and RowKey lt 'p;'";
        await foreach (var unused in Table.QueryAsync<TableEntity>(filter, select: ["RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            count++;
        }

        return count;
    }

    public async Task<IReadOnlyList<Project>> ListProjectsAsync(string organizationId, CancellationToken cancellationToken = default)
    {
        var projects = new List<Project>();
        var filter = $"PartitionKey eq '{TableWrites.Quote(organizationId)}' and RowKey ge 'p:' and RowKey lt 'p;'";
        await foreach (var entity in Table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            projects.Add(ToProject(entity));
        }

        return projects;
    }

    public async Task<int?> GetAuditRetentionDaysAsync(string organizationId, CancellationToken cancellationToken = default)
    {
        var entity = await TableWrites.GetOrDefaultAsync<TableEntity>(Table, organizationId, AuditSettingsRow, ["RetentionDays"], cancellationToken).ConfigureAwait(false);
        return entity?.GetInt32("RetentionDays");
    }

    public async Task SetAuditRetentionDaysAsync(string organizationId, int? days, CancellationToken cancellationToken = default)
    {
        if (days is null)
        {
            await Table.DeleteEntityAsync(organizationId, AuditSettingsRow, global::Azure.ETag.All, cancellationToken).ConfigureAwait(false);
            return;
        }

        await Table.UpsertEntityAsync(new TableEntity(organizationId, AuditSettingsRow) { ["RetentionDays"] = days.Value }, TableUpdateMode.Replace, cancellationToken)
            .ConfigureAwait(false);
    }

    private static string NameKey(string name) =>
        "n:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name.ToUpperInvariant())));

    private static Project ToProject(TableEntity entity) => new(
        entity.RowKey[2..], entity.PartitionKey, entity.GetString("Name"), entity.GetString("CreatedBy"), entity.GetDateTimeOffset("CreatedAt")!.Value);
}
