using Azure;
using Azure.Data.Tables;
using Integrations.Core.Common;
using Integrations.Core.Identity.Organizations;
using Integrations.Core.Integrity;

namespace Integrations.Azure.Tables;

/// <summary>
/// Memberships, two rows each:
/// <list type="bullet">
/// <item>the authority row in the person's partition of the <c>users</c> table (<see cref="MembershipRows"/>: PartitionKey =
/// user id, RowKey <c>m:{organizationId}</c>, MAC'd <c>membership/v1</c> over the ids from the row's own keys): a person's
/// organizations are one range read of their partition, "is this user a member of that organization" one point read, and
/// a refresh gets them in the same query as the user and the session (<see cref="TableUserStore.GetWithSessionAsync"/>);</item>
/// <item>the index row in the <c>memberships</c> table, PartitionKey = organization id, RowKey = user id, with the same fields
/// MAC'd in its own domain (<c>membership-index/v1</c>): an organization's members are one partition read, and a planted or
/// copied index row is refused as absent like an authority row.</item>
/// </list>
/// The index row is written first and removed last, so the index never misses a member the authority rows hold.
/// </summary>
public sealed class TableMembershipStore(HubTables tables, AuthorityRows authority) : IMembershipStore
{
    private const int Forbidden = 403;

    private TableClient Authority => tables.Users;

    private TableClient Index => tables.Memberships;

    public async Task<WriteOutcome> AddAsync(Membership membership, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(membership);
        // A retried add finds its authority row (a conflict); the index row is simply written again.
        await WriteIndexAsync(membership, cancellationToken).ConfigureAwait(false);
        var entity = await MembershipRows.EntityAsync(authority, membership, cancellationToken).ConfigureAwait(false);
        return await TableWrites.TryAsync(() => Authority.AddEntityAsync(entity, cancellationToken)).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<Membership>> ListByOrganizationAsync(string organizationId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(organizationId);
        var found = new List<Membership>();
        await foreach (var entity in Index.QueryAsync<TableEntity>(e => e.PartitionKey == organizationId, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (await VerifiedIndexAsync(entity, cancellationToken).ConfigureAwait(false) is { } membership)
            {
                found.Add(membership);
            }
        }

        return found.OrderBy(m => m.CreatedAt).ThenBy(m => m.UserId, StringComparer.Ordinal).ToList();
    }

    public async Task<WriteOutcome> ChangeRoleAsync(Membership current, OrganizationRole role, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(current);
        var entity = await TableWrites.GetOrDefaultAsync<TableEntity>(Authority, current.UserId, MembershipRows.RowPrefix + current.OrganizationId, null, cancellationToken)
            .ConfigureAwait(false);
        if (entity is null || await MembershipRows.VerifiedAsync(authority, entity, cancellationToken).ConfigureAwait(false) != current)
        {
            return WriteOutcome.Conflict;
        }

        var changed = current with { Role = role };
        await WriteIndexAsync(changed, cancellationToken).ConfigureAwait(false);
        var replacement = await MembershipRows.EntityAsync(authority, changed, cancellationToken).ConfigureAwait(false);
        var outcome = await TableWrites.TryAsync(() => Authority.UpdateEntityAsync(replacement, entity.ETag, TableUpdateMode.Replace, cancellationToken)).ConfigureAwait(false);
        if (outcome != WriteOutcome.Written)
        {
            // Lost the race: put the index back as the authority row still says (best effort; a later change rewrites it).
            await WriteIndexAsync(current, cancellationToken).ConfigureAwait(false);
            return WriteOutcome.Conflict;
        }

        return outcome;
    }

    public async Task<bool> RemoveAsync(string userId, string organizationId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        ArgumentException.ThrowIfNullOrEmpty(organizationId);
        var removed = await TableWrites.TryDeleteAsync(Authority, userId, MembershipRows.RowPrefix + organizationId, ETag.All, cancellationToken)
            .ConfigureAwait(false);
        await TableWrites.TryDeleteAsync(Index, organizationId, userId, ETag.All, cancellationToken).ConfigureAwait(false);
        return removed == WriteOutcome.Written;
    }

    public async Task<Membership?> FindAsync(string userId, string organizationId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        ArgumentException.ThrowIfNullOrEmpty(organizationId);
        var entity = await TableWrites.GetOrDefaultAsync<TableEntity>(Authority, userId, MembershipRows.RowPrefix + organizationId, null, cancellationToken)
            .ConfigureAwait(false);
        return entity is null ? null : await MembershipRows.VerifiedAsync(authority, entity, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<Membership>> ListByUserAsync(string userId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        var found = new List<Membership>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {userId} and RowKey ge {MembershipRows.RowPrefix} and RowKey lt {MembershipRows.RowRangeEnd}");
        await foreach (var entity in Authority.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (await MembershipRows.VerifiedAsync(authority, entity, cancellationToken).ConfigureAwait(false) is { } membership)
            {
                found.Add(membership);
            }
        }

        return found.OrderBy(m => m.CreatedAt).ThenBy(m => m.OrganizationId, StringComparer.Ordinal).ToList();
    }

    private async Task WriteIndexAsync(Membership membership, CancellationToken cancellationToken)
    {
        var entity = MembershipRows.Fields(new TableEntity(membership.OrganizationId, membership.UserId), membership,
            await authority.SignIndexAsync(membership, cancellationToken).ConfigureAwait(false));
        await Index.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    private async Task<Membership?> VerifiedIndexAsync(TableEntity entity, CancellationToken cancellationToken)
    {
        var membership = MembershipRows.Read(entity, organizationId: entity.PartitionKey, userId: entity.RowKey);
        var mac = AuthorityRowColumns.MacOf(entity);
        var reason = membership switch
        {
            null => "unreadable row",
            _ when mac is null => "no MAC",
            _ when !await authority.VerifyIndexAsync(membership, mac, cancellationToken).ConfigureAwait(false) => "MAC mismatch",
            _ => null,
        };
        if (reason is null)
        {
            return membership;
        }

        await authority.ReportAsync(AuthorityRows.MembershipIndexKind, entity.PartitionKey + "/" + entity.RowKey, reason, Forbidden, cancellationToken).ConfigureAwait(false);
        return null;
    }
}
