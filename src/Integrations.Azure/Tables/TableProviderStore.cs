using System.Text.Json;
using System.Text.Json.Serialization;
using Azure;
using Azure.Data.Tables;
using Integrations.Core.Common;
using Integrations.Core.Integrity;
using Integrations.Core.OAuth;

namespace Integrations.Azure.Tables;

/// <summary>
/// OAuth providers in one table. PartitionKey = <c>{org}_{project}</c>: a project's providers are one partition, so a
/// provider and its name claim are written in one entity-group transaction and no query crosses tenants.
/// RowKey <c>P:{provider id}</c> is the provider (a JSON document of its settings, plus its name; never a secret value,
/// only vault secret names); <c>N:{name}</c> claims the name for the provider whose id it holds, so two providers of a
/// project cannot share a name (the claim's Add fails). A list is one range scan of the partition's <c>P:</c> rows;
/// get is a point read. Every write is conditional: adds fail on an existing row, replaces and deletes carry the
/// provider row's ETag, and a rename moves the claim in the same transaction.
/// <para>
/// A provider row decides where the hub sends client secrets and refresh tokens, so it carries a MAC
/// (<see cref="AuthorityRows.ProviderKind"/>, <c>Format</c> 2) over its organization and project (the partition it was read
/// from, never a column), its id (from the RowKey) and its document byte for byte. A row edited, copied into another
/// project or tenant, or written without a MAC is refused: it reads as absent (404) and is reported. Name claims are not
/// MAC'd: nothing is found through them (gets, lists and the proxy go by id), they only keep names unique, so a forged
/// claim can at worst refuse a name.
/// </para>
/// </summary>
public sealed class TableProviderStore(HubTables tables, AuthorityRows authority) : IProviderStore
{
    private const int NotFound = 404;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };

    private TableClient Table => tables.Providers;

    public async Task<WriteOutcome> TryCreateAsync(OAuthProvider provider, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(provider);
        return await TableWrites.TryTransactionAsync(Table,
        [
            new(TableTransactionActionType.Add, await ToEntityAsync(provider, cancellationToken).ConfigureAwait(false)),
            new(TableTransactionActionType.Add, NameClaim(provider)),
        ], cancellationToken).ConfigureAwait(false);
    }

    public async Task<OAuthProvider?> GetAsync(string organizationId, string projectId, string providerId, CancellationToken cancellationToken = default)
    {
        var entity = await TableWrites.GetOrDefaultAsync<TableEntity>(Table, Partition(organizationId, projectId), ProviderKey(providerId), null, cancellationToken)
            .ConfigureAwait(false);
        return entity is null ? null : await VerifiedAsync(entity, organizationId, projectId, cancellationToken).ConfigureAwait(false);
    }

    public Task<WriteOutcome> TryUpdateAsync(OAuthProvider updated, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(updated);
        ArgumentNullException.ThrowIfNull(updated.ETag);
        // The stored row says what the name was: the caller's record carries only the new one.
        return RenameAwareUpdateAsync(updated, cancellationToken);
    }

    public async Task<WriteOutcome> TryDeleteAsync(OAuthProvider provider, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(provider.ETag);
        var claim = await TableWrites.GetOrDefaultAsync<TableEntity>(Table, Partition(provider), NameKey(provider.Name), null, cancellationToken).ConfigureAwait(false);
        List<TableTransactionAction> actions = [new(TableTransactionActionType.Delete, new TableEntity(Partition(provider), ProviderKey(provider.Id)), new ETag(provider.ETag))];
        if (claim is not null && claim.GetString("ProviderId") == provider.Id)
        {
            actions.Add(new(TableTransactionActionType.Delete, claim, claim.ETag));
        }

        return await TableWrites.TryTransactionAsync(Table, actions, cancellationToken).ConfigureAwait(false);
    }

    public async Task<PagedList<OAuthProvider>> ListAsync(string organizationId, string projectId, PageRequest page, CancellationToken cancellationToken = default)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition(organizationId, projectId)} and RowKey ge {"P:"} and RowKey lt {"P;"}");
        var items = new List<OAuthProvider>(page.PerPage);
        long matched = 0;
        await foreach (var entity in Table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            // Every row is verified, so a refused one neither shows nor counts.
            if (await VerifiedAsync(entity, organizationId, projectId, cancellationToken).ConfigureAwait(false) is not { } provider)
            {
                continue;
            }

            if (matched >= page.Skip && items.Count < page.PerPage)
            {
                items.Add(provider);
            }

            matched++;
        }

        return new PagedList<OAuthProvider>(items, page, matched);
    }

    public async IAsyncEnumerable<OAuthProvider> ListClientSecretsExpiringAsync(
        DateTimeOffset before, int max, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // Across partitions, filtered by the service on the ClientSecretExpiresAt column (a copy of the document's field
        // kept for this query): a daily scan of the providers table, as the retention purge scans the secrets table.
        var filter = TableClient.CreateQueryFilter($"RowKey ge {"P:"} and RowKey lt {"P;"} and ClientSecretExpiresAt lt {before}");
        var found = 0;
        await foreach (var entity in Table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            // The tenant comes from where the row sits, and the MAC binds it.
            if (!ProjectPartition.IsWellFormed(entity.PartitionKey))
            {
                continue;
            }

            var (organizationId, projectId) = ProjectPartition.Split(entity.PartitionKey);
            if (await VerifiedAsync(entity, organizationId, projectId, cancellationToken).ConfigureAwait(false) is not { } provider)
            {
                continue;
            }

            if (found++ >= max)
            {
                yield break;
            }

            yield return provider;
        }
    }

    private async Task<WriteOutcome> RenameAwareUpdateAsync(OAuthProvider updated, CancellationToken cancellationToken)
    {
        var stored = await TableWrites.GetOrDefaultAsync<TableEntity>(Table, Partition(updated), ProviderKey(updated.Id), ["Name"], cancellationToken).ConfigureAwait(false);
        if (stored is null)
        {
            return WriteOutcome.NotFound;
        }

        List<TableTransactionAction> actions =
            [new(TableTransactionActionType.UpdateReplace, await ToEntityAsync(updated, cancellationToken).ConfigureAwait(false), new ETag(updated.ETag!))];
        var oldName = stored.GetString("Name");
        if (!string.Equals(oldName, updated.Name, StringComparison.Ordinal))
        {
            // The old claim goes only if it is still this provider's; the new one is an Add, so a taken name fails the whole write.
            var claim = await TableWrites.GetOrDefaultAsync<TableEntity>(Table, Partition(updated), NameKey(oldName), null, cancellationToken).ConfigureAwait(false);
            if (claim is not null && claim.GetString("ProviderId") == updated.Id)
            {
                actions.Add(new(TableTransactionActionType.Delete, claim, claim.ETag));
            }

            actions.Add(new(TableTransactionActionType.Add, NameClaim(updated)));
        }

        return await TableWrites.TryTransactionAsync(Table, actions, cancellationToken).ConfigureAwait(false);
    }

    private static string Partition(string organizationId, string projectId) => $"{organizationId}_{projectId}";

    private static string Partition(OAuthProvider provider) => Partition(provider.OrganizationId, provider.ProjectId);

    private static string ProviderKey(string providerId) => "P:" + providerId;

    private static string NameKey(string name) => "N:" + name;

    private static TableEntity NameClaim(OAuthProvider provider) => new(Partition(provider), NameKey(provider.Name)) { ["ProviderId"] = provider.Id };

    private async Task<TableEntity> ToEntityAsync(OAuthProvider provider, CancellationToken cancellationToken)
    {
        var document = JsonSerializer.Serialize(provider with { ETag = null }, Json);
        return new(Partition(provider), ProviderKey(provider.Id))
        {
            ["Name"] = provider.Name,
            ["Document"] = document,
            ["Mac"] = await authority.SignProviderAsync(provider.OrganizationId, provider.ProjectId, provider.Id, document, cancellationToken).ConfigureAwait(false),
            ["Format"] = AuthorityRows.RowFormat,
            // Queryable copy for ListClientSecretsExpiringAsync; the (MAC'd) document stays the truth.
            ["ClientSecretExpiresAt"] = provider.ClientSecretExpiresAt,
        };
    }

    /// <summary>
    /// The provider if the row's MAC binds its document to the organization and project it was read under and the id in its
    /// RowKey; otherwise null, after reporting it. Those three are taken from the keys, never from the document.
    /// </summary>
    private async Task<OAuthProvider?> VerifiedAsync(TableEntity entity, string organizationId, string projectId, CancellationToken cancellationToken)
    {
        var providerId = entity.RowKey.StartsWith("P:", StringComparison.Ordinal) ? entity.RowKey[2..] : null;
        string? document, mac;
        int? format;
        try
        {
            (document, mac, format) = (entity.GetString("Document"), entity.GetString("Mac"), entity.GetInt32("Format"));
        }
        catch (InvalidOperationException)
        {
            (document, mac, format) = (null, null, null); // A column of the wrong type.
        }

        string reason;
        if (providerId is null || document is null)
        {
            reason = "unreadable row";
        }
        else if (mac is null || format != AuthorityRows.RowFormat)
        {
            reason = "no MAC";
        }
        else if (!await authority.VerifyProviderAsync(organizationId, projectId, providerId, document, mac, cancellationToken).ConfigureAwait(false))
        {
            reason = "MAC mismatch (altered, or copied from another project)";
        }
        else if (JsonSerializer.Deserialize<OAuthProvider>(document, Json) is { } provider)
        {
            return provider with { Id = providerId, OrganizationId = organizationId, ProjectId = projectId, ETag = entity.ETag.ToString() };
        }
        else
        {
            reason = "unreadable row";
        }

        await authority.ReportAsync(AuthorityRows.ProviderKind, $"{organizationId}/{projectId}/{entity.RowKey}", reason, NotFound, cancellationToken)
            .ConfigureAwait(false);
        return null;
    }
}
