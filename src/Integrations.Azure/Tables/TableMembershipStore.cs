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
/// organization" is one point read. Listing an organization's members (the members part) will add index rows keyed by
/// organization.
/// </summary>
public sealed class TableMembershipStore(HubTables tables, AuthorityRows authority) : IMembershipStore
{
    private const int Forbidden = 403;

    private TableClient Table => tables.Memberships;

    public async Task<WriteOutcome> AddAsync(Membership membership, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(membership);
        var entity = new TableEntity(membership.UserId, membership.OrganizationId)
        {
            ["Role"] = OrganizationRoles.Name(membership.Role),
            ["Personal"] = membership.Personal,
            ["CreatedAt"] = membership.CreatedAt,
            ["Mac"] = await authority.SignAsync(membership, cancellationToken).ConfigureAwait(false),
            ["Format"] = AuthorityRows.RowFormat,
        };
        return await TableWrites.TryAsync(() => Table.AddEntityAsync(entity, cancellationToken)).ConfigureAwait(false);
    }

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
        var mac = Mac(entity);
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

    private static string? Mac(TableEntity entity)
    {
        try
        {
            return entity.GetInt32("Format") == AuthorityRows.RowFormat ? entity.GetString("Mac") : null;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }
}
