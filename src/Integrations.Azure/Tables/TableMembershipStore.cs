using Azure;
using Azure.Data.Tables;
using Integrations.Core.Common;
using Integrations.Core.Identity.Organizations;
using Integrations.Core.Integrity;

namespace Integrations.Azure.Tables;

/// <summary>
/// Memberships in the <c>memberships</c> table: PartitionKey = user id, RowKey = organization id → role, personal flag and
/// creation time, MAC'd (<c>membership/v1</c>, over the ids taken from the row's own keys, so a row copied under another
/// user or organization does not verify). A person's organizations are one partition read; "is this user a member of that
/// organization" is one point read. Each membership also has an index row in the same table, PartitionKey = organization id
/// (<c>org_…</c>, never a user id's <c>usr_…</c>), RowKey = user id, with the same fields MAC'd in its own domain
/// (<c>membership-index/v1</c>): an organization's members are one partition read, and a planted or copied index row is
/// refused as absent like an authority row. The index row is written first and removed last.
/// </summary>
public sealed class TableMembershipStore(HubTables tables, AuthorityRows authority) : IMembershipStore
{
    private const int Forbidden = 403;

    private TableClient Table => tables.Memberships;

    public async Task<WriteOutcome> AddAsync(Membership membership, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(membership);
        // A retried add finds its authority row (a conflict); the index row is simply written again.
        await Table.UpsertEntityAsync(await IndexEntityAsync(membership, cancellationToken).ConfigureAwait(false), TableUpdateMode.Replace, cancellationToken)
            .ConfigureAwait(false);
        var entity = await EntityAsync(membership, cancellationToken).ConfigureAwait(false);
        return await TableWrites.TryAsync(() => Table.AddEntityAsync(entity, cancellationToken)).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<Membership>> ListByOrganizationAsync(string organizationId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(organizationId);
        var found = new List<Membership>();
        await foreach (var entity in Table.QueryAsync<TableEntity>(e => e.PartitionKey == organizationId, cancellationToken: cancellationToken).ConfigureAwait(false))
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
        var entity = await TableWrites.GetOrDefaultAsync<TableEntity>(Table, current.UserId, current.OrganizationId, null, cancellationToken).ConfigureAwait(false);
        if (entity is null || await VerifiedAsync(entity, cancellationToken).ConfigureAwait(false) != current)
        {
            return WriteOutcome.Conflict;
        }

        var changed = current with { Role = role };
        await Table.UpsertEntityAsync(await IndexEntityAsync(changed, cancellationToken).ConfigureAwait(false), TableUpdateMode.Replace, cancellationToken)
            .ConfigureAwait(false);
        var replacement = await EntityAsync(changed, cancellationToken).ConfigureAwait(false);
        var outcome = await TableWrites.TryAsync(() => Table.UpdateEntityAsync(replacement, entity.ETag, TableUpdateMode.Replace, cancellationToken)).ConfigureAwait(false);
        if (outcome != WriteOutcome.Written)
        {
            // Lost the race: put the index back as the authority row still says (best effort; a later change rewrites it).
            await Table.UpsertEntityAsync(await IndexEntityAsync(current, cancellationToken).ConfigureAwait(false), TableUpdateMode.Replace, cancellationToken)
                .ConfigureAwait(false);
            return WriteOutcome.Conflict;
        }

        return outcome;
    }

    public async Task<bool> RemoveAsync(string userId, string organizationId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        ArgumentException.ThrowIfNullOrEmpty(organizationId);
        var removed = await TableWrites.TryAsync(() => Table.DeleteEntityAsync(userId, organizationId, ETag.All, cancellationToken)).ConfigureAwait(false);
        await TableWrites.TryAsync(() => Table.DeleteEntityAsync(organizationId, userId, ETag.All, cancellationToken)).ConfigureAwait(false);
        return removed == WriteOutcome.Written;
    }

    private async Task<TableEntity> EntityAsync(Membership membership, CancellationToken cancellationToken) =>
        new(membership.UserId, membership.OrganizationId)
        {
            ["Role"] = OrganizationRoles.Name(membership.Role),
            ["Personal"] = membership.Personal,
            ["CreatedAt"] = membership.CreatedAt,
            ["Mac"] = await authority.SignAsync(membership, cancellationToken).ConfigureAwait(false),
            ["Format"] = AuthorityRows.RowFormat,
        };

    private async Task<TableEntity> IndexEntityAsync(Membership membership, CancellationToken cancellationToken) =>
        new(membership.OrganizationId, membership.UserId)
        {
            ["Role"] = OrganizationRoles.Name(membership.Role),
            ["Personal"] = membership.Personal,
            ["CreatedAt"] = membership.CreatedAt,
            ["Mac"] = await authority.SignIndexAsync(membership, cancellationToken).ConfigureAwait(false),
            ["Format"] = AuthorityRows.RowFormat,
        };

    public async Task<Membership?> FindAsync(string userId, string organizationId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        ArgumentException.ThrowIfNullOrEmpty(organizationId);
        var entity = await TableWrites.GetOrDefaultAsync<TableEntity>(Table, userId, organizationId, null, cancellationToken).ConfigureAwait(false);
        return entity is null ? null : await VerifiedAsync(entity, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<Membership>> ListByUserAsync(string userId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        var found = new List<Membership>();
        await foreach (var entity in Table.QueryAsync<TableEntity>(e => e.PartitionKey == userId, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (await VerifiedAsync(entity, cancellationToken).ConfigureAwait(false) is { } membership)
            {
                found.Add(membership);
            }
        }

        return found.OrderBy(m => m.CreatedAt).ThenBy(m => m.OrganizationId, StringComparer.Ordinal).ToList();
    }

    private async Task<Membership?> VerifiedAsync(TableEntity entity, CancellationToken cancellationToken)
    {
        var membership = ToMembership(entity);
        var mac = AuthorityRowColumns.MacOf(entity);
        var reason = membership switch
        {
            null => "unreadable row",
            _ when mac is null => "no MAC",
            _ when !await authority.VerifyAsync(membership, mac, cancellationToken).ConfigureAwait(false) => "MAC mismatch",
            _ => null,
        };
        if (reason is null)
        {
            return membership;
        }

        await authority.ReportAsync(AuthorityRows.MembershipKind, entity.PartitionKey + "/" + entity.RowKey, reason, Forbidden, cancellationToken).ConfigureAwait(false);
        return null;
    }

    private async Task<Membership?> VerifiedIndexAsync(TableEntity entity, CancellationToken cancellationToken)
    {
        var membership = ToMembership(entity) is { } m ? new Membership(m.UserId, m.OrganizationId, m.Role, m.Personal, m.CreatedAt) : null;
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

    private static Membership? ToMembership(TableEntity entity)
    {
        try
        {
            return OrganizationRoles.Parse(entity.GetString("Role")) is { } role && entity.GetBoolean("Personal") is { } personal
                && entity.GetDateTimeOffset("CreatedAt") is { } createdAt
                ? new Membership(entity.RowKey, entity.PartitionKey, role, personal, createdAt)
                : null;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }
}
