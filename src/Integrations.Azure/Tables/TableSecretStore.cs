using System.Runtime.CompilerServices;
using Azure;
using Azure.Data.Tables;
using Integrations.Core.Common;
using Integrations.Core.Crypto;
using Integrations.Core.Rotation;
using Integrations.Core.Vault;

namespace Integrations.Azure.Tables;

/// <summary>
/// Secrets in one table. PartitionKey = <c>{org}_{project}</c>: a project's secrets are one partition, so a
/// version and its secret are written in one entity-group transaction, and no query crosses tenants.
/// RowKey <c>S:{name}</c> is the secret (metadata plus the latest sealed value: a reveal is one point read);
/// <c>V:{name}:{version:D10}</c> is each version. Names use only [A-Za-z0-9._-], all below '~' and ':' → ';',
/// which gives the prefix-scan bounds.
/// </summary>
public sealed class TableSecretStore(HubTables tables) : ISecretStore, ISealedValueSource
{
    private static readonly string[] MetadataColumns =
        ["RowKey", "SecretId", "CurrentVersion", "Description", "Tags", "CreatedBy", "CreatedAt", "UpdatedBy", "UpdatedAt", "DeletedAt", "Purging"];

    private static readonly string[] VersionColumns = ["Version", "CreatedBy", "CreatedAt"];

    private static readonly int OrganizationIdLength = Ids.New("org").Length;

    private TableClient Table => tables.Secrets;

    public Task<WriteOutcome> TryCreateAsync(SecretRecord secret, SecretVersionRecord firstVersion, CancellationToken cancellationToken = default) =>
        TableWrites.TryTransactionAsync(Table,
        [
            new(TableTransactionActionType.Add, ToEntity(secret)),
            new(TableTransactionActionType.Add, ToEntity(firstVersion, secret.SecretId)),
        ], cancellationToken);

    public async Task<SecretRecord?> GetAsync(SecretLocation location, bool includeValue, CancellationToken cancellationToken = default)
    {
        var entity = await TableWrites.GetOrDefaultAsync<TableEntity>(Table, Partition(location), SecretKey(location.Name),
            includeValue ? null : MetadataColumns, cancellationToken).ConfigureAwait(false);
        return entity is null ? null : ToSecret(entity, location);
    }

    public async Task<SecretVersionRecord?> GetVersionAsync(SecretLocation location, int version, CancellationToken cancellationToken = default)
    {
        var entity = await TableWrites.GetOrDefaultAsync<TableEntity>(Table, Partition(location), VersionKey(location.Name, version), null, cancellationToken)
            .ConfigureAwait(false);
        return entity is null
            ? null
            : new SecretVersionRecord(location, version, SealedSecret.Parse(entity.GetBinary("Value")), entity.GetString("CreatedBy"), entity.GetDateTimeOffset("CreatedAt")!.Value);
    }

    public Task<WriteOutcome> TryAddVersionAsync(SecretRecord updated, SecretVersionRecord version, CancellationToken cancellationToken = default) =>
        TableWrites.TryTransactionAsync(Table,
        [
            new(TableTransactionActionType.UpdateReplace, ToEntity(updated), new ETag(updated.ETag!)),
            new(TableTransactionActionType.Add, ToEntity(version, updated.SecretId)),
        ], cancellationToken);

    public Task<WriteOutcome> TryUpdateAsync(SecretRecord updated, CancellationToken cancellationToken = default)
    {
        // Replace, not merge: merge cannot remove a property (DeletedAt on restore). The record carries its value.
        ArgumentNullException.ThrowIfNull(updated.CurrentValue);
        return TableWrites.TryAsync(() => Table.UpdateEntityAsync(ToEntity(updated), new ETag(updated.ETag!), TableUpdateMode.Replace, cancellationToken));
    }

    public async Task<IReadOnlyList<SecretRecord>> ListAsync(string organizationId, string projectId, string? namePrefix, CancellationToken cancellationToken = default)
    {
        var partition = Partition(organizationId, projectId);
        var from = "S:" + (namePrefix ?? "");
        var filter = $"PartitionKey eq '{TableWrites.Quote(partition)}' and RowKey ge '{TableWrites.Quote(from)}' and RowKey lt '{TableWrites.Quote(from)}~'";
        var results = new List<SecretRecord>();
        await foreach (var entity in Table.QueryAsync<TableEntity>(filter, select: MetadataColumns, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            results.Add(ToSecret(entity, new SecretLocation(organizationId, projectId, entity.RowKey[2..])));
        }

        return results;
    }

    public async Task<IReadOnlyList<SecretVersionInfo>> ListVersionsAsync(SecretLocation location, CancellationToken cancellationToken = default)
    {
        var filter = $"PartitionKey eq '{TableWrites.Quote(Partition(location))}' and RowKey gt 'V:{TableWrites.Quote(location.Name)}:' and RowKey lt 'V:{TableWrites.Quote(location.Name)};'";
        var results = new List<SecretVersionInfo>();
        await foreach (var entity in Table.QueryAsync<TableEntity>(filter, select: VersionColumns, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            results.Add(new SecretVersionInfo(entity.GetInt32("Version")!.Value, entity.GetString("CreatedBy"), entity.GetDateTimeOffset("CreatedAt")!.Value));
        }

        return results;
    }

    public async Task<WriteOutcome> PurgeAsync(SecretRecord purging, CancellationToken cancellationToken = default)
    {
        var location = purging.Location;
        var filter = $"PartitionKey eq '{TableWrites.Quote(Partition(location))}' and RowKey gt 'V:{TableWrites.Quote(location.Name)}:' and RowKey lt 'V:{TableWrites.Quote(location.Name)};'";
        var versions = new List<ITableEntity>();
        await foreach (var entity in Table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            versions.Add(entity);
        }

        // Versions first, the secret last and only if still the purging one: an interrupted purge leaves a secret
        // marked purging (nothing can restore or update it), and running the purge again finishes the job.
        await TableWrites.DeleteAllAsync(Table, versions, cancellationToken).ConfigureAwait(false);
        return await TableWrites.TryAsync(() => Table.DeleteEntityAsync(Partition(location), SecretKey(location.Name), new ETag(purging.ETag!), cancellationToken))
            .ConfigureAwait(false);
    }

    public async Task<long> CountAsync(IReadOnlyCollection<string> kekIds, CancellationToken cancellationToken = default)
    {
        long count = 0;
        foreach (var filter in KekFilters(kekIds))
        {
            await foreach (var unused in Table.QueryAsync<TableEntity>(filter, select: ["PartitionKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                count++;
            }
        }

        return count;
    }

    public async IAsyncEnumerable<SealedValueRow> ListAsync(IReadOnlyCollection<string> kekIds, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // Whole rows, not a $select: Azurite answers a query with $select with ETags that conditional writes reject,
        // and the re-wrap needs the value column (the bulk of the row) anyway.
        foreach (var filter in KekFilters(kekIds))
        {
            await foreach (var entity in Table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                var (location, version) = Place(entity);
                var context = SecretRecord.ContextFor(location, entity.GetString("SecretId"), version);
                yield return new SealedValueRow(entity.PartitionKey + "\n" + entity.RowKey, context, SealedSecret.Parse(entity.GetBinary("Value")), entity.ETag.ToString());
            }
        }
    }

    public Task<WriteOutcome> TryReplaceAsync(SealedValueRow row, SealedSecret rewrapped, CancellationToken cancellationToken = default)
    {
        var separator = row.Address.IndexOf('\n', StringComparison.Ordinal);
        var entity = new TableEntity(row.Address[..separator], row.Address[(separator + 1)..])
        {
            ["Value"] = rewrapped.Bytes,
            ["KekId"] = rewrapped.KekId,
        };
        return TableWrites.TryAsync(() => Table.UpdateEntityAsync(entity, new ETag(row.ETag), TableUpdateMode.Merge, cancellationToken));
    }

    /// <summary>Where a row sits: tenant and project from its PartitionKey, name and version from its RowKey (never from its columns).</summary>
    private static (SecretLocation Location, int Version) Place(TableEntity entity)
    {
        // PartitionKey is "{org id}_{project id}"; both ids have a fixed length (see Ids).
        var organizationId = entity.PartitionKey[..OrganizationIdLength];
        var projectId = entity.PartitionKey[(OrganizationIdLength + 1)..];
        if (entity.RowKey.StartsWith("S:", StringComparison.Ordinal))
        {
            return (new SecretLocation(organizationId, projectId, entity.RowKey[2..]), entity.GetInt32("CurrentVersion")!.Value);
        }

        var separator = entity.RowKey.LastIndexOf(':');
        return (new SecretLocation(organizationId, projectId, entity.RowKey[2..separator]),
            int.Parse(entity.RowKey.AsSpan(separator + 1), System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Table Storage accepts at most 15 comparisons in one filter: one query per 15 KEK ids.</summary>
    private static IEnumerable<string> KekFilters(IReadOnlyCollection<string> kekIds) =>
        kekIds.Chunk(15).Select(chunk => string.Join(" or ", chunk.Select(k => $"KekId eq '{TableWrites.Quote(k)}'")));

    private static string Partition(SecretLocation location) => Partition(location.OrganizationId, location.ProjectId);

    private static string Partition(string organizationId, string projectId) => $"{organizationId}_{projectId}";

    private static string SecretKey(string name) => "S:" + name;

    private static string VersionKey(string name, int version) => $"V:{name}:{version:D10}";

    private static TableEntity ToEntity(SecretRecord secret)
    {
        var entity = new TableEntity(Partition(secret.Location), SecretKey(secret.Location.Name))
        {
            ["SecretId"] = secret.SecretId,
            ["Org"] = secret.Location.OrganizationId,
            ["Project"] = secret.Location.ProjectId,
            ["Name"] = secret.Location.Name,
            ["CurrentVersion"] = secret.CurrentVersion,
            ["Description"] = secret.Description,
            ["Tags"] = string.Join(' ', secret.Tags),
            ["CreatedBy"] = secret.CreatedBy,
            ["CreatedAt"] = secret.CreatedAt,
            ["UpdatedBy"] = secret.UpdatedBy,
            ["UpdatedAt"] = secret.UpdatedAt,
            ["DeletedAt"] = secret.DeletedAt,
            ["Purging"] = secret.Purging,
        };
        if (secret.CurrentValue is not null)
        {
            entity["Value"] = secret.CurrentValue.Bytes;
            entity["KekId"] = secret.CurrentValue.KekId;
        }

        return entity;
    }

    private static TableEntity ToEntity(SecretVersionRecord version, string secretId) =>
        new(Partition(version.Location), VersionKey(version.Location.Name, version.Version))
        {
            ["SecretId"] = secretId,
            ["Org"] = version.Location.OrganizationId,
            ["Project"] = version.Location.ProjectId,
            ["Version"] = version.Version,
            ["Value"] = version.Value.Bytes,
            ["KekId"] = version.Value.KekId,
            ["CreatedBy"] = version.CreatedBy,
            ["CreatedAt"] = version.CreatedAt,
        };

    private static SecretRecord ToSecret(TableEntity entity, SecretLocation location)
    {
        var value = entity.GetBinary("Value");
        var tags = entity.GetString("Tags");
        return new SecretRecord(
            location,
            entity.GetString("SecretId"),
            entity.GetInt32("CurrentVersion")!.Value,
            entity.GetString("Description"),
            string.IsNullOrEmpty(tags) ? [] : tags.Split(' '),
            entity.GetString("CreatedBy"),
            entity.GetDateTimeOffset("CreatedAt")!.Value,
            entity.GetString("UpdatedBy"),
            entity.GetDateTimeOffset("UpdatedAt")!.Value,
            entity.GetDateTimeOffset("DeletedAt"),
            value is null ? null : SealedSecret.Parse(value),
            entity.ETag.ToString(),
            entity.GetBoolean("Purging") ?? false);
    }
}
