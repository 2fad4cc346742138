using System.Text.Json;
using System.Text.Json.Serialization;
using Azure;
using Azure.Data.Tables;
using Integrations.Core.Common;
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
/// </summary>
public sealed class TableProviderStore(HubTables tables) : IProviderStore
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };

    private TableClient Table => tables.Providers;

    public Task<WriteOutcome> TryCreateAsync(OAuthProvider provider, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(provider);
        return TableWrites.TryTransactionAsync(Table,
        [
            new(TableTransactionActionType.Add, ToEntity(provider)),
            new(TableTransactionActionType.Add, NameClaim(provider)),
        ], cancellationToken);
    }

    public async Task<OAuthProvider?> GetAsync(string organizationId, string projectId, string providerId, CancellationToken cancellationToken = default)
    {
        var entity = await TableWrites.GetOrDefaultAsync<TableEntity>(Table, Partition(organizationId, projectId), ProviderKey(providerId), null, cancellationToken)
            .ConfigureAwait(false);
        return entity is null ? null : ToProvider(entity);
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
            if (matched >= page.Skip && items.Count < page.PerPage && ToProvider(entity) is { } provider
                && provider.OrganizationId == organizationId && provider.ProjectId == projectId)
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
            // The tenant comes from where the row sits, never from the document alone.
            if (ToProvider(entity) is not { } provider || Partition(provider) != entity.PartitionKey)
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

        List<TableTransactionAction> actions = [new(TableTransactionActionType.UpdateReplace, ToEntity(updated), new ETag(updated.ETag!))];
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

    private static TableEntity ToEntity(OAuthProvider provider) => new(Partition(provider), ProviderKey(provider.Id))
    {
        ["Name"] = provider.Name,
        ["Document"] = JsonSerializer.Serialize(provider with { ETag = null }, Json),
        // Queryable copy for ListClientSecretsExpiringAsync; the document stays the truth.
        ["ClientSecretExpiresAt"] = provider.ClientSecretExpiresAt,
    };

    private static OAuthProvider? ToProvider(TableEntity entity) =>
        entity.GetString("Document") is { } document && JsonSerializer.Deserialize<OAuthProvider>(document, Json) is { } provider
            ? provider with { ETag = entity.ETag.ToString() }
            : null;
}
