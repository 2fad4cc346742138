using Integrations.Core.Identity.Organizations;

namespace Integrations.Core.Integrity;

// Memberships: the rows that decide which organizations a person's tokens speak for, and with which role.
public sealed partial class AuthorityRows
{
    /// <summary>The MAC domain of a membership row: it decides whether a person may act in an organization, and how.</summary>
    public const string MembershipKind = "membership/v1";

    /// <summary>The MAC of a membership row (<see cref="Fields(Membership)"/>).</summary>
    public async ValueTask<string> SignAsync(Membership membership, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(membership);
        var authority = await keys.GetAuthorityKeyAsync(cancellationToken).ConfigureAwait(false);
        return authority.RowMac(MembershipKind, Fields(membership));
    }

    /// <summary>True when <paramref name="mac"/> covers the membership's fields as they are.</summary>
    public async ValueTask<bool> VerifyAsync(Membership membership, string? mac, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(membership);
        var authority = await keys.GetAuthorityKeyAsync(cancellationToken).ConfigureAwait(false);
        return authority.VerifyRowMac(MembershipKind, Fields(membership), mac);
    }

    /// <summary>
    /// The MAC domain of a membership's index row (keyed by organization): a separate domain, so neither row can stand in
    /// for the other.
    /// </summary>
    public const string MembershipIndexKind = "membership-index/v1";

    /// <summary>The MAC of a membership's index row.</summary>
    public async ValueTask<string> SignIndexAsync(Membership membership, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(membership);
        var authority = await keys.GetAuthorityKeyAsync(cancellationToken).ConfigureAwait(false);
        return authority.RowMac(MembershipIndexKind, Fields(membership));
    }

    /// <summary>True when <paramref name="mac"/> covers the index row's fields as they are.</summary>
    public async ValueTask<bool> VerifyIndexAsync(Membership membership, string? mac, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(membership);
        var authority = await keys.GetAuthorityKeyAsync(cancellationToken).ConfigureAwait(false);
        return authority.VerifyRowMac(MembershipIndexKind, Fields(membership), mac);
    }

    /// <summary>Every field of a membership, in MAC order.</summary>
    public static IReadOnlyList<string?> Fields(Membership membership)
    {
        ArgumentNullException.ThrowIfNull(membership);
        return
        [
            membership.OrganizationId,
            membership.UserId,
            OrganizationRoles.Name(membership.Role),
            membership.Personal ? "1" : "0",
            Time(membership.CreatedAt),
        ];
    }
}
