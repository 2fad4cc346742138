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
/// <c>V:{name}:{version:D10}</c> is each version (numbered without gaps, so a page of versions is one range read);
/// <c>I:{secret id}</c> names the secret with that id (the by-id routes: one point read, then the secret's own row,
/// whose id is checked). Names use only [A-Za-z0-9._-], all below '~' and ':' → ';', which gives the prefix-scan
/// bounds. The retention purge finds deleted secrets with one query across partitions (<c>S:</c> rows by DeletedAt).
/// </summary>
public sealed class TableSecretStore(HubTables tables) : ISecretStore, ISealedValueSource
{
    /// <summary>What a metadata read returns: everything but the sealed value.</summary>
    private static readonly string[] MetadataColumns =
        ["RowKey", "SecretId", "CurrentVersion", "Description", "Tags", "AuthType", "Metadata", "CreatedBy", "CreatedAt", "UpdatedBy", "UpdatedAt", "DeletedAt", "Purging", "ExpiresAt", "RotateEverySeconds"];

    /// <summary>What a list returns and filters on: no value, no metadata map (up to 32 KiB a row).</summary>
    private static readonly string[] ListColumns =
        ["RowKey", "SecretId", "CurrentVersion", "Description", "Tags", "AuthType", "CreatedBy", "CreatedAt", "UpdatedBy", "UpdatedAt", "DeletedAt", "Purging", "ExpiresAt", "RotateEverySeconds"];

    private static readonly string[] KeyColumns = ["PartitionKey", "RowKey"];

    private static readonly string[] VersionColumns = ["Version", "CreatedBy", "CreatedAt"];

    /// <summary>
    /// Metadata is stored as one string: key U+001F value, entries separated by U+001E. Keys and values are printable
    /// (<see cref="SecretRules.ValidateMetadata"/>), so neither separator can occur in them; unlike JSON, nothing is
    /// escaped, so 32 entries of 64 + 512 characters always fit one property (64 KiB).
    /// </summary>
    private const char KeyValueSeparator = '\u001F';

    private const char EntrySeparator = '\u001E';


    private TableClient Table => tables.Secrets;

    public Task<WriteOutcome> TryCreateAsync(SecretRecord secret, SecretVersionRecord firstVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return TableWrites.TryTransactionAsync(Table,
        [
            new(TableTransactionActionType.Add, ToEntity(secret)),
            new(TableTransactionActionType.Add, ToEntity(firstVersion, secret.SecretId)),
            new(TableTransactionActionType.Add, IdEntity(secret.Location, secret.SecretId)),
        ], cancellationToken);
    }

    public async Task<SecretLocation?> FindByIdAsync(string organizationId, string projectId, string secretId, CancellationToken cancellationToken = default)
    {
        var partition = Partition(organizationId, projectId);
        var index = await TableWrites.GetOrDefaultAsync<TableEntity>(Table, partition, IdKey(secretId), ["Name"], cancellationToken).ConfigureAwait(false);
        if (index?.GetString("Name") is { } name)
        {
            return new SecretLocation(organizationId, projectId, name);
        }

        // Secrets created before the id rows existed: one filtered scan of the project's secret rows (keys only
        // come back), then the id row is written so the next lookup is a point read.
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {"S:"} and RowKey lt {"S;"} and SecretId eq {secretId}");
        await foreach (var entity in Table.QueryAsync<TableEntity>(filter, maxPerPage: 1, select: KeyColumns, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            var location = new SecretLocation(organizationId, projectId, entity.RowKey[2..]);
            await Table.UpsertEntityAsync(IdEntity(location, secretId), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            return location;
        }

        return null;
    }

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

    public async Task<PagedList<SecretRecord>> ListAsync(string organizationId, string projectId, SecretQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var from = "S:" + (query.NamePrefix ?? "");
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition(organizationId, projectId)} and RowKey ge {from} and RowKey lt {from + "~"}");

        // One pass over the list columns: every match is counted for the total, only the page's are kept.
        var page = new List<SecretRecord>(query.Page.PerPage);
        long matched = 0;
        await foreach (var entity in Table.QueryAsync<TableEntity>(filter, select: ListColumns, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if ((entity.GetDateTimeOffset("DeletedAt") is not null) != query.Deleted
                || (query.Tag is not null && !SplitTags(entity.GetString("Tags")).Contains(query.Tag, StringComparer.Ordinal))
                || (query.AuthType is not null && !string.Equals(AuthTypeOf(entity), query.AuthType, StringComparison.Ordinal)))
            {
                continue;
            }

            if (matched >= query.Page.Skip && page.Count < query.Page.PerPage)
            {
                page.Add(ToSecret(entity, new SecretLocation(organizationId, projectId, entity.RowKey[2..])));
            }

            matched++;
        }

        return new PagedList<SecretRecord>(page, query.Page, matched);
    }

    public async Task<int> CountAsync(string organizationId, string projectId, int atMost, CancellationToken cancellationToken = default)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition(organizationId, projectId)} and RowKey ge {"S:"} and RowKey lt {"S;"}");
        var count = 0;
        await foreach (var unused in Table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, select: KeyColumns, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (++count >= atMost)
            {
                break;
            }
        }

        return count;
    }

    public async IAsyncEnumerable<SecretLocation> ListDeletedAsync(DateTimeOffset deletedBefore, int max, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // Across partitions: a scan of the table's secret rows, filtered by the service, keys only.
        var filter = TableClient.CreateQueryFilter($"RowKey ge {"S:"} and RowKey lt {"S;"} and DeletedAt lt {deletedBefore}");
        var found = 0;
        await foreach (var entity in Table.QueryAsync<TableEntity>(filter, select: KeyColumns, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (found++ >= max)
            {
                yield break;
            }

            yield return PlaceOfKeys(entity.PartitionKey, entity.RowKey);
        }
    }

    public async IAsyncEnumerable<SecretRecord> ListWithExpiryAsync(int max, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // Across partitions, a daily scan of the secret rows filtered by the service: those with an expiry or a rotation period.
        var filter = TableClient.CreateQueryFilter($"RowKey ge {"S:"} and RowKey lt {"S;"} and (ExpiresAt ge {DateTimeOffset.MinValue} or RotateEverySeconds gt {0L})");
        var found = 0;
        await foreach (var entity in Table.QueryAsync<TableEntity>(filter, select: [.. ListColumns, "PartitionKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (entity.GetDateTimeOffset("DeletedAt") is not null)
            {
                continue;
            }

            if (found++ >= max)
            {
                yield break;
            }

            yield return ToSecret(entity, PlaceOfKeys(entity.PartitionKey, entity.RowKey));
        }
    }

    public async Task<IReadOnlyList<SecretVersionInfo>> ListVersionsAsync(SecretLocation location, int from, int to, CancellationToken cancellationToken = default)
    {
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {Partition(location)} and RowKey ge {VersionKey(location.Name, from)} and RowKey le {VersionKey(location.Name, to)}");
        var results = new List<SecretVersionInfo>(Math.Max(0, to - from + 1));
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
        // The id row, if there is one (secrets older than id rows have none): a 404 is as good as a delete.
        await TableWrites.TryDeleteAsync(Table, Partition(location), IdKey(purging.SecretId), ETag.All, cancellationToken).ConfigureAwait(false);
        return await TableWrites.TryDeleteAsync(Table, Partition(location), SecretKey(location.Name), new ETag(purging.ETag!), cancellationToken)
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

    /// <summary>Where a secret row sits, from its keys alone.</summary>
    private static SecretLocation PlaceOfKeys(string partitionKey, string rowKey)
    {
        var (organizationId, projectId) = ProjectPartition.Split(partitionKey);
        return new(organizationId, projectId, rowKey[2..]);
    }

    /// <summary>Where a row sits: tenant and project from its PartitionKey, name and version from its RowKey (never from its columns).</summary>
    private static (SecretLocation Location, int Version) Place(TableEntity entity)
    {
        var (organizationId, projectId) = ProjectPartition.Split(entity.PartitionKey);
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

    private static string IdKey(string secretId) => "I:" + secretId;

    private static TableEntity IdEntity(SecretLocation location, string secretId) => new(Partition(location), IdKey(secretId)) { ["Name"] = location.Name };

    private static string[] SplitTags(string? tags) => string.IsNullOrEmpty(tags) ? [] : tags.Split(' ');

    private static string AuthTypeOf(TableEntity entity) => entity.GetString("AuthType") ?? SecretAuthTypes.Other;

    private static string? EncodeMetadata(IReadOnlyDictionary<string, string> metadata) =>
        metadata.Count == 0 ? null : string.Join(EntrySeparator, metadata.Select(e => e.Key + KeyValueSeparator + e.Value));

    private static Dictionary<string, string> DecodeMetadata(string? stored)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in string.IsNullOrEmpty(stored) ? [] : stored.Split(EntrySeparator))
        {
            var separator = entry.IndexOf(KeyValueSeparator, StringComparison.Ordinal);
            if (separator > 0)
            {
                metadata[entry[..separator]] = entry[(separator + 1)..];
            }
        }

        return metadata;
    }

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
            ["AuthType"] = secret.AuthType,
            ["Metadata"] = EncodeMetadata(secret.Metadata),
            ["CreatedBy"] = secret.CreatedBy,
            ["CreatedAt"] = secret.CreatedAt,
            ["UpdatedBy"] = secret.UpdatedBy,
            ["UpdatedAt"] = secret.UpdatedAt,
            ["DeletedAt"] = secret.DeletedAt,
            ["Purging"] = secret.Purging,
            ["ExpiresAt"] = secret.ExpiresAt,
            ["RotateEverySeconds"] = secret.RotateEvery is { } every ? (long)every.TotalSeconds : null,
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
        return new SecretRecord(
            location,
            entity.GetString("SecretId"),
            entity.GetInt32("CurrentVersion")!.Value,
            entity.GetString("Description"),
            SplitTags(entity.GetString("Tags")),
            entity.GetString("CreatedBy"),
            entity.GetDateTimeOffset("CreatedAt")!.Value,
            entity.GetString("UpdatedBy"),
            entity.GetDateTimeOffset("UpdatedAt")!.Value,
            entity.GetDateTimeOffset("DeletedAt"),
            value is null ? null : SealedSecret.Parse(value),
            entity.ETag.ToString(),
            entity.GetBoolean("Purging") ?? false)
        {
            AuthType = AuthTypeOf(entity),
            Metadata = DecodeMetadata(entity.GetString("Metadata")),
            ExpiresAt = entity.GetDateTimeOffset("ExpiresAt"),
            RotateEvery = entity.GetInt64("RotateEverySeconds") is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
        };
    }
}
