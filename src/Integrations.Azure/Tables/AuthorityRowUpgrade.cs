using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Specialized;
using Integrations.Core.Crypto;
using Integrations.Core.Identity;
using Integrations.Core.Integrity;

namespace Integrations.Azure.Tables;

/// <summary>
/// <c>ihub upgrade</c>: brings the authority rows the foundation wrote (no MAC, API keys under their plain SHA-256) over to
/// the MAC'd format. Run once by an operator right after deploying this version; the hub itself never MACs an old-format
/// row, because a storage writer can write a row "in the old format" as easily as in the new one — blessing old rows on
/// read, or on every start, would let it mint access. Rows already MAC'd are left alone.
/// It runs to completion once: it then leaves a marker blob in the audit checkpoint container (immutable in Azure, so a
/// storage writer can neither delete nor roll it back), and every later run upgrades nothing. Otherwise an old-format
/// row written by someone else after the upgrade would be blessed by the next operator who runs the command again.
/// </summary>
/// <remarks>
/// An API key whose two rows (by hash, by organization) disagree on an authority field was altered before the upgrade:
/// it is not brought over, and is reported instead, for the operator to revoke or re-create.
/// </remarks>
public sealed class AuthorityRowUpgrade(HubTables tables, AuthorityRows authority, KeyRing keyRing, BlobContainerClient markers, TimeProvider time)
{
    /// <summary>The marker blob, in the checkpoint container beside (not among) the checkpoint logs.</summary>
    public const string MarkerBlob = "authority/upgraded.log";

    /// <summary>Upgrades every old-format API key and project row; returns what was done and what was refused.</summary>
    public async Task<AuthorityUpgradeReport> UpgradeAsync(CancellationToken cancellationToken = default)
    {
        // A ring written by the foundation is upgraded (bound wraps, authority key added) before anything is MAC'd.
        await keyRing.InitializeAsync(cancellationToken).ConfigureAwait(false);
        var marker = markers.GetAppendBlobClient(MarkerBlob);
        if (await marker.ExistsAsync(cancellationToken).ConfigureAwait(false))
        {
            var properties = await marker.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            return new AuthorityUpgradeReport([], 0, [], properties.Value.CreatedOn);
        }

        var keys = new List<string>();
        var refused = new List<string>();
        await UpgradeApiKeysAsync(keys, refused, cancellationToken).ConfigureAwait(false);
        var projects = await UpgradeProjectsAsync(cancellationToken).ConfigureAwait(false);

        // Only after every row is done: an interrupted run can be run again.
        await markers.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        await marker.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var line = $"upgraded {time.GetUtcNow():O}: {keys.Count} API keys, {projects} projects, {refused.Count} refused\n";
        using var content = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(line));
        await marker.AppendBlockAsync(content, cancellationToken: cancellationToken).ConfigureAwait(false);
        return new AuthorityUpgradeReport(keys, projects, refused);
    }

    private async Task UpgradeApiKeysAsync(List<string> upgraded, List<string> refused, CancellationToken cancellationToken)
    {
        var table = tables.ApiKeys;
        var oldRows = new List<TableEntity>();
        await foreach (var entity in table.QueryAsync<TableEntity>($"RowKey ne '{TableApiKeyStore.HashRow}'", cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (entity.GetString("Mac") is null)
            {
                oldRows.Add(entity);
            }
        }

        foreach (var listed in oldRows)
        {
            var key = TableApiKeyStore.TryToKey(listed);
            var name = $"{listed.PartitionKey}/{listed.RowKey}";
            if (key is null || key.Hash.Length != 64 || !IsHex(key.Hash))
            {
                refused.Add($"{name}: unreadable row");
                continue;
            }

            // The foundation's hash row: PartitionKey = the key's SHA-256 hex.
            var hashEntity = await TableWrites.GetOrDefaultAsync<TableEntity>(table, key.Hash, TableApiKeyStore.HashRow, null, cancellationToken).ConfigureAwait(false);
            var byHash = hashEntity is null ? null : TableApiKeyStore.TryToKey(hashEntity);
            if (byHash is null)
            {
                refused.Add($"{name}: no row by hash (the key cannot authenticate); left as it is");
                continue;
            }

            if (!AuthorityRows.Fields(byHash).SequenceEqual(AuthorityRows.Fields(key), StringComparer.Ordinal)
                || !string.Equals(listed.PartitionKey, key.OrganizationId, StringComparison.Ordinal) || !string.Equals(listed.RowKey, key.Id, StringComparison.Ordinal))
            {
                refused.Add($"{name}: its two rows disagree on organization, scopes, expiry or revocation (altered); revoke or re-create it");
                continue;
            }

            var lookup = await authority.LookupHashAsync(Convert.FromHexString(key.Hash), cancellationToken).ConfigureAwait(false);
            var signed = await authority.SignAsync(key with { Hash = lookup }, cancellationToken).ConfigureAwait(false);
            // New hash row first, then the listed row, then the old hash row goes: a crash leaves a key that works or is re-run.
            await table.UpsertEntityAsync(TableApiKeyStore.ToEntity(signed, lookup, TableApiKeyStore.HashRow), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            await table.UpsertEntityAsync(TableApiKeyStore.ToEntity(signed, signed.OrganizationId, signed.Id), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            await TableWrites.TryDeleteAsync(table, key.Hash, TableApiKeyStore.HashRow, ETag.All, cancellationToken).ConfigureAwait(false);
            upgraded.Add(name);
        }
    }

    private async Task<int> UpgradeProjectsAsync(CancellationToken cancellationToken)
    {
        var table = tables.Tenancy;
        var count = 0;
        var filter = $"RowKey ge '{TableTenancyStore.ProjectRowPrefix}' and RowKey lt 'p;'";
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (entity.GetString("Mac") is not null || TableTenancyStore.TryToProject(entity) is not { } project)
            {
                continue;
            }

            var signed = await authority.SignAsync(project, cancellationToken).ConfigureAwait(false);
            var update = new TableEntity(entity.PartitionKey, entity.RowKey) { ["Mac"] = signed.Mac, ["Format"] = AuthorityRows.RowFormat };
            // Conditional on the row as read: a row changed meanwhile is left for the next run.
            if (await TableWrites.TryAsync(() => table.UpdateEntityAsync(update, entity.ETag, TableUpdateMode.Merge, cancellationToken)).ConfigureAwait(false)
                == Core.Common.WriteOutcome.Written)
            {
                count++;
            }
        }

        return count;
    }

    private static bool IsHex(string value) => value.All(char.IsAsciiHexDigitLower);
}
