using Azure;
using Azure.Data.Tables;
using Integrations.Core.Common;
using Integrations.Core.Identity.Invitations;
using Integrations.Core.Identity.Organizations;
using Integrations.Core.Integrity;

namespace Integrations.Azure.Tables;

/// <summary>
/// Invitations in the <c>invitations</c> table:
/// <list type="bullet">
/// <item>PartitionKey = the token's lookup hash (<see cref="InvitationToken.LookupHash"/>, an HMAC under the authority key),
/// RowKey <c>inv</c>: id, organization, address, role, inviter and lifetime, MAC'd (<c>invitation/v1</c>, over the hash taken
/// from the partition key, so a row copied under another token's hash does not verify) — accepting is this point read and a
/// delete conditional on its ETag;</item>
/// <item>PartitionKey = organization id (<c>org_…</c>; a lookup hash is 64 hex characters, so the two never meet), RowKey =
/// invitation id: the same fields (the hash as a column) MAC'd in their own domain (<c>invitation-index/v1</c>, the organization
/// and id taken from the keys) — an organization's invitations are one partition read, and revoking by id is a point read.</item>
/// </list>
/// The index row is written first and removed last, so the index never misses a live invitation.
/// </summary>
public sealed class TableInvitationStore(HubTables tables, AuthorityRows authority) : IInvitationStore
{
    internal const string TokenRow = "inv";
    private const int Forbidden = 403;

    private TableClient Table => tables.Invitations;

    public async Task AddAsync(Invitation invitation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(invitation);
        await Table.UpsertEntityAsync(await EntityAsync(invitation, index: true, cancellationToken).ConfigureAwait(false), TableUpdateMode.Replace, cancellationToken)
            .ConfigureAwait(false);
        await Table.AddEntityAsync(await EntityAsync(invitation, index: false, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
    }

    public async Task<Invitation?> FindByTokenAsync(string lookupHash, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(lookupHash);
        var entity = await TableWrites.GetOrDefaultAsync<TableEntity>(Table, lookupHash, TokenRow, null, cancellationToken).ConfigureAwait(false);
        return entity is null ? null : await VerifiedAsync(entity, index: false, cancellationToken).ConfigureAwait(false);
    }

    public async Task<Invitation?> FindAsync(string organizationId, string invitationId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(organizationId);
        ArgumentException.ThrowIfNullOrEmpty(invitationId);
        var entity = await TableWrites.GetOrDefaultAsync<TableEntity>(Table, organizationId, invitationId, null, cancellationToken).ConfigureAwait(false);
        return entity is null ? null : await VerifiedAsync(entity, index: true, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<Invitation>> ListAsync(string organizationId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(organizationId);
        var found = new List<Invitation>();
        await foreach (var entity in Table.QueryAsync<TableEntity>(e => e.PartitionKey == organizationId, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (await VerifiedAsync(entity, index: true, cancellationToken).ConfigureAwait(false) is { } invitation)
            {
                found.Add(invitation);
            }
        }

        return found.OrderBy(i => i.CreatedAt).ThenBy(i => i.Id, StringComparer.Ordinal).ToList();
    }

    public async Task<WriteOutcome> ConsumeAsync(Invitation invitation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(invitation);
        if (string.IsNullOrEmpty(invitation.ETag))
        {
            throw new ArgumentException("ConsumeAsync needs the invitation as read by FindByTokenAsync (with its ETag).", nameof(invitation));
        }

        var outcome = await TableWrites.TryDeleteAsync(Table, invitation.LookupHash, TokenRow, new ETag(invitation.ETag), cancellationToken)
            .ConfigureAwait(false);
        if (outcome == WriteOutcome.Written)
        {
            await TableWrites.TryDeleteAsync(Table, invitation.OrganizationId, invitation.Id, ETag.All, cancellationToken).ConfigureAwait(false);
        }

        return outcome;
    }

    public async Task<bool> DeleteAsync(Invitation invitation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(invitation);
        var removed = await TableWrites.TryDeleteAsync(Table, invitation.LookupHash, TokenRow, ETag.All, cancellationToken).ConfigureAwait(false);
        await TableWrites.TryDeleteAsync(Table, invitation.OrganizationId, invitation.Id, ETag.All, cancellationToken).ConfigureAwait(false);
        return removed == WriteOutcome.Written;
    }

    public async Task<int> DeleteExpiredAsync(DateTimeOffset expiredBefore, CancellationToken cancellationToken = default)
    {
        // A cross-partition scan filtered server-side, once a day: both rows of an invitation carry its expiry. Each delete is
        // conditional on the ETag read, so an invitation re-issued meanwhile (same index key, new expiry) stays.
        var removed = 0;
        var filter = TableClient.CreateQueryFilter($"ExpiresAt lt {expiredBefore}");
        await foreach (var row in Table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (await TableWrites.TryDeleteAsync(Table, row.PartitionKey, row.RowKey, row.ETag, cancellationToken).ConfigureAwait(false) == WriteOutcome.Written
                && row.RowKey == TokenRow)
            {
                removed++;
            }
        }

        return removed;
    }

    private async Task<TableEntity> EntityAsync(Invitation invitation, bool index, CancellationToken cancellationToken)
    {
        var entity = index ? new TableEntity(invitation.OrganizationId, invitation.Id) : new TableEntity(invitation.LookupHash, TokenRow);
        if (index)
        {
            entity["LookupHash"] = invitation.LookupHash;
        }
        else
        {
            entity["InvitationId"] = invitation.Id;
            entity["OrganizationId"] = invitation.OrganizationId;
        }

        entity["Email"] = invitation.Email;
        entity["EmailLookupKey"] = invitation.EmailLookupKey;
        entity["Role"] = OrganizationRoles.Name(invitation.Role);
        entity["InvitedBy"] = invitation.InvitedBy;
        entity["CreatedAt"] = invitation.CreatedAt;
        entity["ExpiresAt"] = invitation.ExpiresAt;
        entity["Mac"] = await authority.SignAsync(invitation, index, cancellationToken).ConfigureAwait(false);
        entity["Format"] = AuthorityRows.RowFormat;
        return entity;
    }

    private async Task<Invitation?> VerifiedAsync(TableEntity entity, bool index, CancellationToken cancellationToken)
    {
        var invitation = ToInvitation(entity, index);
        var mac = AuthorityRowColumns.MacOf(entity);
        var reason = invitation switch
        {
            null => "unreadable row",
            _ when mac is null => "no MAC",
            _ when !await authority.VerifyAsync(invitation, index, mac, cancellationToken).ConfigureAwait(false) => "MAC mismatch",
            _ => null,
        };
        if (reason is null)
        {
            return invitation;
        }

        await authority.ReportAsync(index ? AuthorityRows.InvitationIndexKind : AuthorityRows.InvitationKind, entity.PartitionKey + "/" + entity.RowKey, reason, Forbidden,
            cancellationToken).ConfigureAwait(false);
        return null;
    }

    // The keys are part of what the MAC covers: the hash (authority row) or the organization and id (index row) come from them.
    private static Invitation? ToInvitation(TableEntity entity, bool index)
    {
        try
        {
            var hash = index ? entity.GetString("LookupHash") : entity.PartitionKey;
            var id = index ? entity.RowKey : entity.GetString("InvitationId");
            var organizationId = index ? entity.PartitionKey : entity.GetString("OrganizationId");
            return hash is not null && id is not null && organizationId is not null && entity.GetString("Email") is { } email
                && entity.GetString("EmailLookupKey") is { } emailKey && OrganizationRoles.Parse(entity.GetString("Role")) is { } role
                && entity.GetString("InvitedBy") is { } invitedBy && entity.GetDateTimeOffset("CreatedAt") is { } createdAt
                && entity.GetDateTimeOffset("ExpiresAt") is { } expiresAt
                ? new Invitation(hash, id, organizationId, email, emailKey, role, invitedBy, createdAt, expiresAt) { ETag = entity.ETag.ToString() }
                : null;
        }
        catch (InvalidOperationException)
        {
            return null; // A column of the wrong type: the SDK refuses to convert it.
        }
    }
}
