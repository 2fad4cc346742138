using Azure.Data.Tables;
using Integrations.Core.Identity.Organizations;
using Integrations.Core.Integrity;

namespace Integrations.Azure.Tables;

/// <summary>
/// A membership's authority row in its user's partition of the <c>users</c> table: PartitionKey = user id, RowKey
/// <c>m:{organizationId}</c> → role, personal flag and creation time, MAC'd <c>membership/v1</c> over the ids taken from the
/// row's own keys (a row copied under another user or organization does not verify). Written by
/// <see cref="TableMembershipStore"/>; read by it and by <see cref="TableUserStore.GetWithSessionAsync"/>, whose one query of
/// the partition returns the user, the session and the memberships a refresh chooses its organization from.
/// </summary>
internal static class MembershipRows
{
    internal const string RowPrefix = "m:";

    // "m:" ≤ RowKey < "m;" (';' follows ':'): the membership rows of a user's partition only.
    internal const string RowRangeEnd = "m;";

    private const int Forbidden = 403;

    public static async Task<TableEntity> EntityAsync(AuthorityRows authority, Membership membership, CancellationToken cancellationToken) =>
        Fields(new TableEntity(membership.UserId, RowPrefix + membership.OrganizationId), membership,
            await authority.SignAsync(membership, cancellationToken).ConfigureAwait(false));

    /// <summary>The membership an authority row holds, or null (reported) when it is not one or its MAC fails.</summary>
    public static async Task<Membership?> VerifiedAsync(AuthorityRows authority, TableEntity entity, CancellationToken cancellationToken)
    {
        var membership = entity.RowKey.StartsWith(RowPrefix, StringComparison.Ordinal)
            ? Read(entity, organizationId: entity.RowKey[RowPrefix.Length..], userId: entity.PartitionKey)
            : null;
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

    /// <summary>The columns both of a membership's rows carry (the authority row here, the index row in <c>memberships</c>).</summary>
    public static TableEntity Fields(TableEntity entity, Membership membership, string mac)
    {
        entity["Role"] = OrganizationRoles.Name(membership.Role);
        entity["Personal"] = membership.Personal;
        entity["CreatedAt"] = membership.CreatedAt;
        entity["Mac"] = mac;
        entity["Format"] = AuthorityRows.RowFormat;
        return entity;
    }

    /// <summary>The membership a row's columns describe, with the ids its keys give; null when a column is missing or mistyped.</summary>
    public static Membership? Read(TableEntity entity, string organizationId, string userId)
    {
        try
        {
            return OrganizationRoles.Parse(entity.GetString("Role")) is { } role && entity.GetBoolean("Personal") is { } personal
                && entity.GetDateTimeOffset("CreatedAt") is { } createdAt && organizationId.Length > 0
                ? new Membership(organizationId, userId, role, personal, createdAt)
                : null;
        }
        catch (InvalidOperationException)
        {
            return null; // A column of the wrong type: the SDK refuses to convert it.
        }
    }
}
