using Integrations.Core.Identity.Invitations;
using Integrations.Core.Identity.Organizations;

namespace Integrations.Core.Integrity;

// Invitations: the rows that decide who may join which organization, and with which role.
public sealed partial class AuthorityRows
{
    /// <summary>The MAC domain of an invitation row (keyed by the token's lookup hash): organization, address, role, inviter, lifetime.</summary>
    public const string InvitationKind = "invitation/v1";

    /// <summary>The MAC domain of an invitation's index row (keyed by organization and invitation id): neither row stands in for the other.</summary>
    public const string InvitationIndexKind = "invitation-index/v1";

    /// <summary>The MAC of an invitation's authority row, or of its index row when <paramref name="index"/>.</summary>
    public async ValueTask<string> SignAsync(Invitation invitation, bool index, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(invitation);
        var authority = await keys.GetAuthorityKeyAsync(cancellationToken).ConfigureAwait(false);
        return authority.RowMac(index ? InvitationIndexKind : InvitationKind, Fields(invitation));
    }

    /// <summary>True when <paramref name="mac"/> covers the invitation's fields as they are (in the index row's domain when <paramref name="index"/>).</summary>
    public async ValueTask<bool> VerifyAsync(Invitation invitation, bool index, string? mac, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(invitation);
        var authority = await keys.GetAuthorityKeyAsync(cancellationToken).ConfigureAwait(false);
        return authority.VerifyRowMac(index ? InvitationIndexKind : InvitationKind, Fields(invitation), mac);
    }

    /// <summary>Every field of an invitation, in MAC order.</summary>
    public static IReadOnlyList<string?> Fields(Invitation invitation)
    {
        ArgumentNullException.ThrowIfNull(invitation);
        return
        [
            invitation.LookupHash,
            invitation.Id,
            invitation.OrganizationId,
            invitation.Email,
            invitation.EmailLookupKey,
            OrganizationRoles.Name(invitation.Role),
            invitation.InvitedBy,
            Time(invitation.CreatedAt),
            Time(invitation.ExpiresAt),
        ];
    }
}
