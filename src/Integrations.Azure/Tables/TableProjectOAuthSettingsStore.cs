using Azure.Data.Tables;
using Integrations.Core.Integrity;
using Integrations.Core.OAuth.Flows;

namespace Integrations.Azure.Tables;

/// <summary>
/// A project's OAuth settings in the tenancy table, in its organization's partition beside its projects (<c>p:…</c>), name
/// index (<c>n:…</c>) and audit settings (<c>s:audit</c>): RowKey <c>s:oauth:{projectId}</c>, one point read per
/// <c>authorize</c>. The row carries a MAC over the organization, project and origins
/// (<see cref="AuthorityRows.OAuthSettingsKind"/>, <c>Format</c> 2), so an origin a storage writer adds, or a row copied from
/// another project, is refused (reported) and the project reads as having none — no <c>redirect_after</c> allowed.
/// </summary>
public sealed class TableProjectOAuthSettingsStore(HubTables tables, AuthorityRows authority) : IProjectOAuthSettingsStore
{
    internal const string RowPrefix = "s:oauth:";
    private const int NotFound = 404;

    private TableClient Table => tables.Tenancy;

    public async Task<ProjectOAuthSettings?> GetAsync(string organizationId, string projectId, CancellationToken cancellationToken = default)
    {
        var entity = await TableWrites.GetOrDefaultAsync<TableEntity>(Table, organizationId, RowPrefix + projectId, null, cancellationToken).ConfigureAwait(false);
        if (entity is null)
        {
            return null;
        }

        ProjectOAuthSettings? settings = null;
        string? mac = null;
        int? format = null;
        try
        {
            var origins = entity.GetString("AllowedRedirectOrigins");
            settings = new ProjectOAuthSettings
            {
                OrganizationId = organizationId,
                ProjectId = projectId,
                AllowedRedirectOrigins = string.IsNullOrEmpty(origins) ? [] : origins.Split(' '),
                UpdatedBy = entity.GetString("UpdatedBy"),
                UpdatedAt = entity.GetDateTimeOffset("UpdatedAt"),
            };
            (mac, format) = (entity.GetString("Mac"), entity.GetInt32("Format"));
        }
        catch (InvalidOperationException)
        {
            settings = null; // A column of the wrong type.
        }

        // The organization and project come from the keys, not the row: a row moved to another project fails its MAC.
        if (settings is not null && format == AuthorityRows.RowFormat && await authority.VerifyAsync(settings, mac, cancellationToken).ConfigureAwait(false))
        {
            return settings;
        }

        await authority.ReportAsync(AuthorityRows.OAuthSettingsKind, $"{organizationId}/{projectId}", settings is null ? "unreadable row" : "MAC mismatch", NotFound, cancellationToken)
            .ConfigureAwait(false);
        return null;
    }

    public async Task SetAsync(ProjectOAuthSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var mac = await authority.SignAsync(settings, cancellationToken).ConfigureAwait(false);
        await Table.UpsertEntityAsync(
            new TableEntity(settings.OrganizationId, RowPrefix + settings.ProjectId)
            {
                ["AllowedRedirectOrigins"] = string.Join(' ', settings.AllowedRedirectOrigins),
                ["UpdatedBy"] = settings.UpdatedBy,
                ["UpdatedAt"] = settings.UpdatedAt,
                ["Mac"] = mac,
                ["Format"] = AuthorityRows.RowFormat,
            },
            TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }
}
