using Azure;
using Azure.Data.Tables;
using Integrations.Core.Common;
using Integrations.Core.Identity.Social;
using Integrations.Core.Integrity;

namespace Integrations.Azure.Tables;

/// <summary>
/// Social links in the <c>users</c> table, two authority rows per link:
/// <list type="bullet">
/// <item>PartitionKey <c>s:{lookup hash}</c>, RowKey <c>social</c>: the claim (→ user id, provider, linked at; MAC'd
/// <c>social-claim/v1</c> over the hash taken from the partition key) — a social login's point read. The hash is a MAC of
/// (provider, provider user id) under the authority key, so no key or column shows the provider's user id.</item>
/// <item>PartitionKey = user id, RowKey <c>l:{provider}</c>: the person's link (lookup hash, email, linked at; MAC'd
/// <c>social-link/v1</c> over the user id and provider taken from the keys) — a person's links are one range read, and a
/// removal shares an entity-group transaction with the user row.</item>
/// </list>
/// A link counts only when both rows verify and agree (the claim names the user, the user's row names the hash): a claim
/// left by a removal or an add that died midway grants nothing, and is taken over after a minute.
/// </summary>
public sealed class TableSocialLinkStore(HubTables tables, AuthorityRows authority, TimeProvider time) : ISocialLinkStore
{
    internal const string ClaimPartitionPrefix = "s:";
    internal const string ClaimRow = "social";
    internal const string LinkRowPrefix = "l:";
    private const int Unauthorized = 401;

    // An add writes the claim, then the link row, within milliseconds; a claim without its link row younger than this may be
    // an add in flight.
    private static readonly TimeSpan OrphanClaimAge = TimeSpan.FromMinutes(1);

    private TableClient Table => tables.Users;

    public ValueTask<string> LookupHashAsync(string provider, string providerUserId, CancellationToken cancellationToken = default) =>
        authority.SocialLookupHashAsync(provider, providerUserId, cancellationToken);

    public async Task<string?> FindUserAsync(string lookupHash, string provider, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(lookupHash);
        var claim = await TableWrites.GetOrDefaultAsync<TableEntity>(Table, ClaimPartitionPrefix + lookupHash, ClaimRow, null, cancellationToken).ConfigureAwait(false);
        if (claim is null || await VerifiedClaimAsync(claim, cancellationToken).ConfigureAwait(false) is not { } verified || verified.Provider != provider)
        {
            return null;
        }

        var link = await GetLinkAsync(verified.UserId, provider, cancellationToken).ConfigureAwait(false);
        return link is not null && string.Equals(link.LookupHash, lookupHash, StringComparison.Ordinal) ? verified.UserId : null;
    }

    public async Task<IReadOnlyList<SocialLink>> ListAsync(string userId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        var found = new List<SocialLink>();
        // "l:" ≤ RowKey < "l;" (';' follows ':'): the link rows only.
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {userId} and RowKey ge {LinkRowPrefix} and RowKey lt {"l;"}");
        await foreach (var entity in Table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (await VerifiedLinkAsync(entity, cancellationToken).ConfigureAwait(false) is { } link)
            {
                found.Add(link);
            }
        }

        return [.. found.OrderBy(l => l.Provider, StringComparer.Ordinal)];
    }

    public async Task<WriteOutcome> AddAsync(SocialLink link, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(link);
        var claim = await ClaimEntityAsync(link, cancellationToken).ConfigureAwait(false);
        var claimed = await TableWrites.TryAsync(() => Table.AddEntityAsync(claim, cancellationToken)).ConfigureAwait(false);
        if (claimed != WriteOutcome.Written)
        {
            var existing = await TableWrites.GetOrDefaultAsync<TableEntity>(Table, claim.PartitionKey, ClaimRow, null, cancellationToken).ConfigureAwait(false);
            var holder = existing is null ? null : await VerifiedClaimAsync(existing, cancellationToken).ConfigureAwait(false);
            if (holder is not null)
            {
                var holderLink = await GetLinkAsync(holder.Value.UserId, holder.Value.Provider, cancellationToken).ConfigureAwait(false);
                if (holderLink is not null && holderLink.LookupHash == link.LookupHash)
                {
                    // Linked already: to this person (a concurrent login of theirs made it) or to someone else.
                    return holder.Value.UserId == link.UserId ? WriteOutcome.Written : WriteOutcome.Conflict;
                }

                if (time.GetUtcNow() - holder.Value.LinkedAt < OrphanClaimAge)
                {
                    return WriteOutcome.Conflict; // Possibly an add still in flight.
                }
            }

            // No claim any more, an orphan, or a row that fails its MAC (grants nothing): take it over, once.
            claimed = existing is null
                ? await TableWrites.TryAsync(() => Table.AddEntityAsync(claim, cancellationToken)).ConfigureAwait(false)
                : await TableWrites.TryAsync(() => Table.UpdateEntityAsync(claim, existing.ETag, TableUpdateMode.Replace, cancellationToken)).ConfigureAwait(false);
            if (claimed != WriteOutcome.Written)
            {
                return WriteOutcome.Conflict;
            }
        }

        var row = await LinkEntityAsync(link, cancellationToken).ConfigureAwait(false);
        var linked = await TableWrites.TryAsync(() => Table.AddEntityAsync(row, CancellationToken.None)).ConfigureAwait(false);
        if (linked != WriteOutcome.Written)
        {
            // The person has a link for this provider already (another account there): give the claim back.
            await TableWrites.TryDeleteAsync(Table, claim.PartitionKey, ClaimRow, ETag.All, CancellationToken.None).ConfigureAwait(false);
            return WriteOutcome.Conflict;
        }

        return WriteOutcome.Written;
    }

    public async Task<WriteOutcome> RemoveAsync(SocialLink link, string userETag, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(link);
        ArgumentException.ThrowIfNullOrEmpty(userETag);
        if (string.IsNullOrEmpty(link.ETag))
        {
            throw new ArgumentException("A removal needs the ETag the link was read with.", nameof(link));
        }

        // The link row goes first (conditional on its ETag), then the user row is written back as read (its MAC'd columns
        // unchanged, one column outside the MAC touched) under the ETag the caller decided on; if that fails, someone changed
        // the account meanwhile — perhaps another removal that counted this link as the remaining way in — and the link row is
        // put back. Of two removals decided on the same reading of the user row exactly one passes its If-Match; and a removal
        // that read the user row after another's write reads the links after that removal's delete. Single-entity writes, not
        // one transaction: Azurite ignores If-Match inside a batch (Azure/Azurite#1233), and the guarantee must hold there too.
        var deleted = await TableWrites.TryDeleteAsync(Table, link.UserId, LinkRowPrefix + link.Provider, new ETag(link.ETag), cancellationToken)
            .ConfigureAwait(false);
        if (deleted != WriteOutcome.Written)
        {
            return WriteOutcome.Conflict;
        }

        var user = await TableWrites.GetOrDefaultAsync<TableEntity>(Table, link.UserId, TableUserStore.UserRow, null, CancellationToken.None).ConfigureAwait(false);
        var touched = WriteOutcome.Conflict;
        if (user is not null && user.ETag == new ETag(userETag))
        {
            user["LinksChangedAt"] = time.GetUtcNow();
            touched = await TableWrites.TryAsync(() => Table.UpdateEntityAsync(user, new ETag(userETag), TableUpdateMode.Replace, CancellationToken.None)).ConfigureAwait(false);
        }

        if (touched != WriteOutcome.Written)
        {
            var row = await LinkEntityAsync(link, CancellationToken.None).ConfigureAwait(false);
            await TableWrites.TryAsync(() => Table.AddEntityAsync(row, CancellationToken.None)).ConfigureAwait(false);
            return WriteOutcome.Conflict;
        }

        await DeleteClaimAsync(link.LookupHash, link.UserId, CancellationToken.None).ConfigureAwait(false);
        return WriteOutcome.Written;
    }

    public async Task<int> DeleteForUserAsync(string userId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        var removed = 0;
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {userId} and RowKey ge {LinkRowPrefix} and RowKey lt {"l;"}");
        await foreach (var entity in Table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            // Even a row that fails its MAC names a claim to check: the claim is removed only if it names this user.
            if (Read(() => entity.GetString("LookupHash")) is { } lookupHash)
            {
                await DeleteClaimAsync(lookupHash, userId, cancellationToken).ConfigureAwait(false);
            }

            await TableWrites.TryDeleteAsync(Table, userId, entity.RowKey, ETag.All, cancellationToken).ConfigureAwait(false);
            removed++;
        }

        return removed;
    }

    private async Task DeleteClaimAsync(string lookupHash, string userId, CancellationToken cancellationToken)
    {
        var claim = await TableWrites.GetOrDefaultAsync<TableEntity>(Table, ClaimPartitionPrefix + lookupHash, ClaimRow, null, cancellationToken).ConfigureAwait(false);
        // Only this person's claim: one another person has taken over meanwhile stays theirs.
        if (claim is not null && string.Equals(Read(() => claim.GetString("UserId")), userId, StringComparison.Ordinal))
        {
            await TableWrites.TryDeleteAsync(Table, claim.PartitionKey, ClaimRow, claim.ETag, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<SocialLink?> GetLinkAsync(string userId, string provider, CancellationToken cancellationToken)
    {
        var entity = await TableWrites.GetOrDefaultAsync<TableEntity>(Table, userId, LinkRowPrefix + provider, null, cancellationToken).ConfigureAwait(false);
        return entity is null ? null : await VerifiedLinkAsync(entity, cancellationToken).ConfigureAwait(false);
    }

    private async Task<TableEntity> ClaimEntityAsync(SocialLink link, CancellationToken cancellationToken) => new(ClaimPartitionPrefix + link.LookupHash, ClaimRow)
    {
        ["UserId"] = link.UserId,
        ["Provider"] = link.Provider,
        ["LinkedAt"] = link.LinkedAt,
        ["Mac"] = await authority.SignSocialClaimAsync(link.LookupHash, link.UserId, link.Provider, link.LinkedAt, cancellationToken).ConfigureAwait(false),
        ["Format"] = AuthorityRows.RowFormat,
    };

    private async Task<TableEntity> LinkEntityAsync(SocialLink link, CancellationToken cancellationToken) => new(link.UserId, LinkRowPrefix + link.Provider)
    {
        ["LookupHash"] = link.LookupHash,
        ["Email"] = link.Email,
        ["LinkedAt"] = link.LinkedAt,
        ["Mac"] = await authority.SignAsync(link, cancellationToken).ConfigureAwait(false),
        ["Format"] = AuthorityRows.RowFormat,
    };

    private async Task<(string UserId, string Provider, DateTimeOffset LinkedAt)?> VerifiedClaimAsync(TableEntity entity, CancellationToken cancellationToken)
    {
        var userId = Read(() => entity.GetString("UserId"));
        var provider = Read(() => entity.GetString("Provider"));
        var linkedAt = Read(() => entity.GetDateTimeOffset("LinkedAt"));
        var lookupHash = entity.PartitionKey.StartsWith(ClaimPartitionPrefix, StringComparison.Ordinal) ? entity.PartitionKey[ClaimPartitionPrefix.Length..] : null;
        var mac = AuthorityRowColumns.MacOf(entity);
        var reason = (userId, provider, linkedAt, lookupHash) switch
        {
            (null, _, _, _) or (_, null, _, _) or (_, _, null, _) or (_, _, _, null) => "unreadable row",
            _ when mac is null => "no MAC",
            _ when !await authority.VerifySocialClaimAsync(lookupHash!, userId!, provider!, linkedAt!.Value, mac, cancellationToken).ConfigureAwait(false) => "MAC mismatch",
            _ => null,
        };
        if (reason is null)
        {
            return (userId!, provider!, linkedAt!.Value);
        }

        await authority.ReportAsync(AuthorityRows.SocialClaimKind, userId, reason, Unauthorized, cancellationToken).ConfigureAwait(false);
        return null;
    }

    // The user id and provider come from the keys: a link row copied into another person's partition carries them into the MAC.
    private async Task<SocialLink?> VerifiedLinkAsync(TableEntity entity, CancellationToken cancellationToken)
    {
        var link = entity.RowKey.StartsWith(LinkRowPrefix, StringComparison.Ordinal) ? Read(() => ToLink(entity)) : null;
        var mac = AuthorityRowColumns.MacOf(entity);
        var reason = link switch
        {
            null => "unreadable row",
            _ when mac is null => "no MAC",
            _ when !await authority.VerifyAsync(link, mac, cancellationToken).ConfigureAwait(false) => "MAC mismatch",
            _ => null,
        };
        if (reason is null)
        {
            return link;
        }

        await authority.ReportAsync(AuthorityRows.SocialLinkKind, entity.PartitionKey, reason, Unauthorized, cancellationToken).ConfigureAwait(false);
        return null;
    }

    private static SocialLink? ToLink(TableEntity entity) =>
        entity.GetString("LookupHash") is { } lookupHash && entity.GetString("Email") is { } email && entity.GetDateTimeOffset("LinkedAt") is { } linkedAt
            ? new SocialLink(entity.PartitionKey, entity.RowKey[LinkRowPrefix.Length..], lookupHash, email, linkedAt) { ETag = entity.ETag.ToString() }
            : null;

    private static T? Read<T>(Func<T?> read)
    {
        try
        {
            return read();
        }
        catch (InvalidOperationException)
        {
            return default; // A column of the wrong type: the SDK refuses to convert it.
        }
    }
}
