using System.Security.Cryptography;
using System.Text;
using Azure.Data.Tables;
using Integrations.Core.Common;
using Integrations.Core.Integrity;
using Integrations.Core.Tenancy;

namespace Integrations.Azure.Tables;

/// <summary>
/// Organizations at PartitionKey <c>org</c>; an organization's projects in its own partition (<c>p:{id}</c>), each
/// with a name-index row (<c>n:{hash of the lowercased name}</c>) written in the same transaction, so two
/// projects cannot share a name. A project row carries a MAC (<see cref="AuthorityRows"/>, <c>Format</c> 2) that binds the
/// project id to the organization whose partition holds it: a row moved or inserted into another organization is refused
/// (404, as for an unknown project) and reported. Organization rows grant nothing (an API key's MAC'd organization does)
/// and carry no MAC; name-index rows only keep names unique.
/// </summary>
public sealed class TableTenancyStore(HubTables tables, AuthorityRows authority) : ITenancyStore
{
    internal const string ProjectRowPrefix = "p:";
    private const string OrganizationPartition = "org";
    private const int NotFound = 404;

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

    public async Task<WriteOutcome> TryAddProjectAsync(Project project, CancellationToken cancellationToken = default)
    {
        var signed = await authority.SignAsync(project, cancellationToken).ConfigureAwait(false);
        return await TableWrites.TryTransactionAsync(Table,
        [
            new(TableTransactionActionType.Add, new TableEntity(signed.OrganizationId, ProjectRowPrefix + signed.Id)
            {
                ["Name"] = signed.Name,
                ["CreatedBy"] = signed.CreatedBy,
                ["CreatedAt"] = signed.CreatedAt,
                ["Mac"] = signed.Mac,
                ["Format"] = AuthorityRows.RowFormat,
            }),
            new(TableTransactionActionType.Add, new TableEntity(signed.OrganizationId, NameKey(signed.Name)) { ["ProjectId"] = signed.Id }),
        ], cancellationToken).ConfigureAwait(false);
    }

    public async Task<Project?> GetProjectAsync(string organizationId, string projectId, CancellationToken cancellationToken = default)
    {
        var entity = await TableWrites.GetOrDefaultAsync<TableEntity>(Table, organizationId, ProjectRowPrefix + projectId, null, cancellationToken).ConfigureAwait(false);
        return entity is null ? null : await VerifiedAsync(entity, cancellationToken).ConfigureAwait(false);
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
            if (await VerifiedAsync(entity, cancellationToken).ConfigureAwait(false) is { } project)
            {
                projects.Add(project);
            }
        }

        return projects;
    }

    public async Task<int?> GetAuditRetentionDaysAsync(string organizationId, CancellationToken cancellationToken = default)
    {
        var entity = await TableWrites.GetOrDefaultAsync<TableEntity>(Table, organizationId, AuditSettingsRow, ["RetentionDays", "Mac", "Format"], cancellationToken)
            .ConfigureAwait(false);
        if (entity is null)
        {
            return null;
        }

        // A shorter retention lets the cleanup delete sealed history and verification accept a younger anchor: a row the hub
        // did not sign is refused (reported) and the platform's default applies, as if the organization had set none.
        int? days, format;
        string? mac;
        try
        {
            (days, format, mac) = (entity.GetInt32("RetentionDays"), entity.GetInt32("Format"), entity.GetString("Mac"));
        }
        catch (InvalidOperationException)
        {
            (days, format, mac) = (null, null, null); // A column of the wrong type.
        }

        if (days is { } d && format == AuthorityRows.RowFormat
            && await authority.VerifyAuditRetentionAsync(organizationId, d, mac, cancellationToken).ConfigureAwait(false))
        {
            return d;
        }

        await authority.ReportAsync(AuthorityRows.AuditRetentionKind, organizationId, days is null ? "unreadable row" : "MAC mismatch", NotFound, cancellationToken)
            .ConfigureAwait(false);
        return null;
    }

    public async Task SetAuditRetentionDaysAsync(string organizationId, int? days, CancellationToken cancellationToken = default)
    {
        if (days is null)
        {
            await Table.DeleteEntityAsync(organizationId, AuditSettingsRow, global::Azure.ETag.All, cancellationToken).ConfigureAwait(false);
            return;
        }

        var mac = await authority.SignAuditRetentionAsync(organizationId, days.Value, cancellationToken).ConfigureAwait(false);
        await Table.UpsertEntityAsync(
            new TableEntity(organizationId, AuditSettingsRow) { ["RetentionDays"] = days.Value, ["Mac"] = mac, ["Format"] = AuthorityRows.RowFormat },
            TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    private static string NameKey(string name) =>
        "n:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name.ToUpperInvariant())));

    /// <summary>The project if its MAC binds it to the partition it was read from; otherwise null, after reporting the violation.</summary>
    private async Task<Project?> VerifiedAsync(TableEntity entity, CancellationToken cancellationToken)
    {
        var project = TryToProject(entity);
        var reason = project switch
        {
            null => "unreadable row",
            { Mac: null } => "no MAC: a row in the foundation's format (run `ihub upgrade` once after deploying)",
            _ when !await authority.VerifyAsync(project, cancellationToken).ConfigureAwait(false) => "MAC mismatch (moved to another organization, or altered)",
            _ => null,
        };
        if (reason is null)
        {
            return project;
        }

        await authority.ReportAsync(AuthorityRows.ProjectKind, entity.PartitionKey + "/" + entity.RowKey, reason, NotFound, cancellationToken).ConfigureAwait(false);
        return null;
    }

    /// <summary>
    /// The project as its row states it, unverified. Its organization is the partition the row was read from, never a column:
    /// so the MAC (over id and organization) fails for a row that was moved.
    /// </summary>
    internal static Project? TryToProject(TableEntity entity)
    {
        try
        {
            return entity.GetDateTimeOffset("CreatedAt") is { } createdAt && entity.RowKey.StartsWith(ProjectRowPrefix, StringComparison.Ordinal)
                ? new Project(entity.RowKey[ProjectRowPrefix.Length..], entity.PartitionKey, entity.GetString("Name") ?? string.Empty,
                    entity.GetString("CreatedBy") ?? string.Empty, createdAt)
                {
                    Mac = entity.GetInt32("Format") == AuthorityRows.RowFormat ? entity.GetString("Mac") : null,
                }
                : null;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }
}
