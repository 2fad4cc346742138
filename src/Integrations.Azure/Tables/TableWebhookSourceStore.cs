using System.Text.Json;
using System.Text.Json.Serialization;
using Azure;
using Azure.Data.Tables;
using Integrations.Core.Common;
using Integrations.Core.Integrity;
using Integrations.Core.Webhooks;

namespace Integrations.Azure.Tables;

/// <summary>
/// Webhook sources in one table, with two kinds of index row for the public ingress routes, which know no tenant.
/// <list type="bullet">
/// <item>PartitionKey <c>{org}_{project}</c> (<see cref="ProjectPartition"/>): RowKey <c>S:{source id}</c> is the source (a
/// JSON document of every field but the ETag — never a secret value, only vault secret names); <c>N:{name}</c> claims the
/// name for the source whose id it holds (written in the same entity-group transaction, moved with it on a rename). Get
/// is a point read, list one range scan of the partition's <c>S:</c> rows.</item>
/// <item>PartitionKey <c>I:{source id}</c>, RowKey <c>I</c>: where the source lives (organization, project), for
/// <see cref="FindAsync"/> — a point read of the index, then of the source row.</item>
/// <item>PartitionKey <c>P:{project id}</c>, RowKey <c>{org id}</c>: the project's organization, for
/// <see cref="ListByProjectAsync"/> (the project-level route's sniffing) — one partition read, then the range scan.</item>
/// </list>
/// Index rows are written before the source row and removed after it, so a source is always findable; an orphan index
/// row finds nothing.
/// <para>
/// A source row decides which deliveries verify (scheme, settings, which vault secrets and until when, enabled), so it
/// carries a MAC (<see cref="AuthorityRows.WebhookSourceKind"/>, <c>Format</c> 2) over its organization and project — the
/// partition it was read from, never a column — its id (from the RowKey) and its document byte for byte. A row edited,
/// copied into another project or tenant, or written without a MAC reads as absent (404; the ingress answers as for an
/// unknown source) and is reported. Index rows are not MAC'd: they only say where to look, and what is found there must
/// verify as the source of that id in that partition, so a forged index row pointing at another tenant finds nothing
/// (or that tenant's genuine source of the same id, which is the source the id names anyway). Name claims are not MAC'd
/// either: nothing is found through them.
/// </para>
/// </summary>
public sealed class TableWebhookSourceStore(HubTables tables, AuthorityRows authority) : IWebhookSourceStore
{
    private const int NotFound = 404;

    /// <summary>How many organizations one project index may name before the rest are ignored (only forged rows add more).</summary>
    private const int MaxProjectOrganizations = 4;

    private const string IndexRowKey = "I";

    private static readonly string[] NameColumn = ["Name"];

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private TableClient Table => tables.WebhookSources;

    public async Task<WriteOutcome> TryCreateAsync(WebhookSource source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        var partition = Partition(source.OrganizationId, source.ProjectId);
        await Table.UpsertEntityAsync(new TableEntity(ProjectIndexPartition(source.ProjectId), source.OrganizationId), TableUpdateMode.Merge, cancellationToken)
            .ConfigureAwait(false);
        await Table.UpsertEntityAsync(new TableEntity(IdIndexPartition(source.Id), IndexRowKey)
        {
            ["OrganizationId"] = source.OrganizationId,
            ["ProjectId"] = source.ProjectId,
        }, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        var outcome = await TableWrites.TryTransactionAsync(Table,
        [
            new(TableTransactionActionType.Add, await ToEntityAsync(source, cancellationToken).ConfigureAwait(false)),
            new(TableTransactionActionType.Add, NameClaim(partition, source.Name, source.Id)),
        ], cancellationToken).ConfigureAwait(false);
        if (outcome != WriteOutcome.Written)
        {
            await DeleteIndexAsync(source.Id, cancellationToken).ConfigureAwait(false);
        }

        return outcome;
    }

    public async Task<WebhookSource?> GetAsync(string organizationId, string projectId, string sourceId, CancellationToken cancellationToken = default)
    {
        var entity = await TableWrites.GetOrDefaultAsync<TableEntity>(Table, Partition(organizationId, projectId), SourceKey(sourceId), null, cancellationToken)
            .ConfigureAwait(false);
        return entity is null ? null : await VerifiedAsync(entity, organizationId, projectId, cancellationToken).ConfigureAwait(false);
    }

    public async Task<WebhookSource?> FindAsync(string sourceId, CancellationToken cancellationToken = default)
    {
        var index = await TableWrites.GetOrDefaultAsync<TableEntity>(Table, IdIndexPartition(sourceId), IndexRowKey, null, cancellationToken).ConfigureAwait(false);
        if (index?.GetString("OrganizationId") is not { } organizationId || index.GetString("ProjectId") is not { } projectId
            || !Ids.IsValid("org", organizationId) || !Ids.IsValid("prj", projectId))
        {
            return null;
        }

        // The source row at the place the index names must verify as this id's source there: its MAC binds organization,
        // project and id, so the index cannot send a delivery to a row it was not written for.
        return await GetAsync(organizationId, projectId, sourceId, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<WebhookSource>> ListByProjectAsync(string projectId, CancellationToken cancellationToken = default)
    {
        var organizations = new List<string>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {ProjectIndexPartition(projectId)}");
        await foreach (var row in Table.QueryAsync<TableEntity>(filter, select: ["RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (Ids.IsValid("org", row.RowKey) && organizations.Count < MaxProjectOrganizations)
            {
                organizations.Add(row.RowKey);
            }
        }

        var sources = new List<WebhookSource>();
        foreach (var organizationId in organizations)
        {
            await foreach (var source in QueryAsync(organizationId, projectId, cancellationToken).ConfigureAwait(false))
            {
                sources.Add(source);
            }
        }

        return sources;
    }

    public async Task<WriteOutcome> TryUpdateAsync(WebhookSource updated, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(updated);
        ArgumentNullException.ThrowIfNull(updated.ETag);
        var partition = Partition(updated.OrganizationId, updated.ProjectId);
        // The stored name, to move the claim on a rename. The write below is conditional on the ETag the caller read, so a
        // source changed in between (a rename included) makes it fail, never misplace a claim.
        var stored = await TableWrites.GetOrDefaultAsync<TableEntity>(Table, partition, SourceKey(updated.Id), NameColumn, cancellationToken).ConfigureAwait(false);
        if (stored is null)
        {
            return WriteOutcome.NotFound;
        }

        var storedName = stored.GetString("Name");
        var entity = await ToEntityAsync(updated, cancellationToken).ConfigureAwait(false);
        if (string.Equals(storedName, updated.Name, StringComparison.Ordinal))
        {
            return await TableWrites.TryAsync(() => Table.UpdateEntityAsync(entity, new ETag(updated.ETag), TableUpdateMode.Replace, cancellationToken))
                .ConfigureAwait(false);
        }

        List<TableTransactionAction> actions =
        [
            new(TableTransactionActionType.UpdateReplace, entity, new ETag(updated.ETag)),
            new(TableTransactionActionType.Add, NameClaim(partition, updated.Name, updated.Id)),
        ];
        var claim = await TableWrites.GetOrDefaultAsync<TableEntity>(Table, partition, NameKey(storedName), null, cancellationToken).ConfigureAwait(false);
        if (claim is not null && claim.GetString("SourceId") == updated.Id)
        {
            actions.Add(new(TableTransactionActionType.Delete, claim, claim.ETag));
        }

        return await TableWrites.TryTransactionAsync(Table, actions, cancellationToken).ConfigureAwait(false);
    }

    public async Task<WriteOutcome> TryDeleteAsync(WebhookSource source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(source.ETag);
        var partition = Partition(source.OrganizationId, source.ProjectId);
        List<TableTransactionAction> actions = [new(TableTransactionActionType.Delete, new TableEntity(partition, SourceKey(source.Id)), new ETag(source.ETag))];
        var claim = await TableWrites.GetOrDefaultAsync<TableEntity>(Table, partition, NameKey(source.Name), null, cancellationToken).ConfigureAwait(false);
        if (claim is not null && claim.GetString("SourceId") == source.Id)
        {
            actions.Add(new(TableTransactionActionType.Delete, claim, claim.ETag));
        }

        var outcome = await TableWrites.TryTransactionAsync(Table, actions, cancellationToken).ConfigureAwait(false);
        if (outcome == WriteOutcome.Written)
        {
            await DeleteIndexAsync(source.Id, cancellationToken).ConfigureAwait(false);
        }

        return outcome;
    }

    public async Task<PagedList<WebhookSource>> ListAsync(string organizationId, string projectId, PageRequest page, CancellationToken cancellationToken = default)
    {
        var items = new List<WebhookSource>(page.PerPage);
        long matched = 0;
        await foreach (var source in QueryAsync(organizationId, projectId, cancellationToken).ConfigureAwait(false))
        {
            if (matched >= page.Skip && items.Count < page.PerPage)
            {
                items.Add(source);
            }

            matched++;
        }

        return new PagedList<WebhookSource>(items, page, matched);
    }

    /// <summary>Every verified source row of the project, in id order; a refused row (reported) neither shows nor counts.</summary>
    private async IAsyncEnumerable<WebhookSource> QueryAsync(
        string organizationId, string projectId, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition(organizationId, projectId)} and RowKey ge {"S:"} and RowKey lt {"S;"}");
        await foreach (var entity in Table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (await VerifiedAsync(entity, organizationId, projectId, cancellationToken).ConfigureAwait(false) is { } source)
            {
                yield return source;
            }
        }
    }

    private async Task DeleteIndexAsync(string sourceId, CancellationToken cancellationToken)
    {
        // The project's index row stays: other sources of the project use it, and it names only the project's own organization.
        await TableWrites.TryDeleteAsync(Table, IdIndexPartition(sourceId), IndexRowKey, ETag.All, cancellationToken).ConfigureAwait(false);
    }

    private static string Partition(string organizationId, string projectId) => $"{organizationId}_{projectId}";

    private static string IdIndexPartition(string sourceId) => "I:" + sourceId;

    private static string ProjectIndexPartition(string projectId) => "P:" + projectId;

    private static string SourceKey(string sourceId) => "S:" + sourceId;

    private static string NameKey(string name) => "N:" + name;

    private static TableEntity NameClaim(string partition, string name, string sourceId) => new(partition, NameKey(name)) { ["SourceId"] = sourceId };

    private async Task<TableEntity> ToEntityAsync(WebhookSource source, CancellationToken cancellationToken)
    {
        var document = JsonSerializer.Serialize(new StoredSource(
            source.Name, source.Scheme, source.Description, source.Settings, source.Keys, source.Enabled, source.CreatedAt, source.UpdatedAt), Json);
        return new TableEntity(Partition(source.OrganizationId, source.ProjectId), SourceKey(source.Id))
        {
            ["Name"] = source.Name,
            ["Document"] = document,
            ["Mac"] = await authority.SignWebhookSourceAsync(source.OrganizationId, source.ProjectId, source.Id, document, cancellationToken).ConfigureAwait(false),
            ["Format"] = AuthorityRows.RowFormat,
        };
    }

    /// <summary>
    /// The source if the row's MAC binds its document to where it was read — organization and project from the partition
    /// the caller read, id from its RowKey; otherwise null, after reporting it.
    /// </summary>
    private async Task<WebhookSource?> VerifiedAsync(TableEntity entity, string organizationId, string projectId, CancellationToken cancellationToken)
    {
        var sourceId = entity.RowKey.StartsWith("S:", StringComparison.Ordinal) ? entity.RowKey[2..] : null;
        string? document = null;
        string? mac = null;
        int? format = null;
        try
        {
            (document, mac, format) = (entity.GetString("Document"), entity.GetString("Mac"), entity.GetInt32("Format"));
        }
        catch (InvalidOperationException)
        {
            // A column of the wrong type: refused below.
        }

        var reason = sourceId is null || document is null ? "unreadable row"
            : mac is null || format != AuthorityRows.RowFormat ? "no MAC"
            : !await authority.VerifyWebhookSourceAsync(organizationId, projectId, sourceId, document, mac, cancellationToken).ConfigureAwait(false)
                ? "MAC mismatch (altered, or copied from another project)"
            : null;
        if (reason is null && ToSource(document!, organizationId, projectId, sourceId!, entity.ETag) is { } source)
        {
            return source;
        }

        await authority.ReportAsync(AuthorityRows.WebhookSourceKind, $"{organizationId}/{projectId}/{entity.RowKey}", reason ?? "unreadable document", NotFound, cancellationToken)
            .ConfigureAwait(false);
        return null;
    }

    private static WebhookSource? ToSource(string document, string organizationId, string projectId, string sourceId, ETag etag)
    {
        try
        {
            return JsonSerializer.Deserialize<StoredSource>(document, Json) is { } s
                ? new WebhookSource(sourceId, organizationId, projectId, s.Name, s.Scheme, s.Description, s.Settings, s.Keys, s.Enabled, s.CreatedAt, s.UpdatedAt,
                    etag.ToString())
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The stored document: every field of a source but its tenant, project and id (the row's keys) and its ETag.</summary>
    private sealed record StoredSource(
        string Name, string Scheme, string? Description, WebhookSourceSettings Settings, IReadOnlyList<WebhookSourceKey> Keys, bool Enabled,
        DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);
}
