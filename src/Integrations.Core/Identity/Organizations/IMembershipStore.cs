using Integrations.Core.Common;

namespace Integrations.Core.Identity.Organizations;

/// <summary>
/// Storage of memberships (authority rows: the store signs what it writes and refuses, as absent, a row whose MAC fails).
/// Each membership is two rows: the authority row keyed by user (what login and refresh read; the Azure store keeps it in the
/// user's partition, so <see cref="Users.IUserStore.GetWithSessionAsync"/> returns it with the user and the session) and an
/// index row keyed by organization (an organization's member list in one read), each MAC'd in its own domain. The index row is written
/// before and removed after the authority row, so the index is never missing a member the authority rows hold.
/// </summary>
public interface IMembershipStore
{
    /// <summary>Adds a membership; <see cref="WriteOutcome.Conflict"/> when the user is already a member of the organization.</summary>
    Task<WriteOutcome> AddAsync(Membership membership, CancellationToken cancellationToken = default);

    /// <summary>The user's membership of the organization, or null.</summary>
    Task<Membership?> FindAsync(string userId, string organizationId, CancellationToken cancellationToken = default);

    /// <summary>Every membership of the user, oldest first (rows that fail their MAC left out).</summary>
    Task<IReadOnlyList<Membership>> ListByUserAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>Every member of the organization from its index rows, oldest first (rows that fail their MAC left out).</summary>
    Task<IReadOnlyList<Membership>> ListByOrganizationAsync(string organizationId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces the role of an existing membership; <see cref="WriteOutcome.Conflict"/> when it changed since
    /// <paramref name="current"/> was read (or is gone).
    /// </summary>
    Task<WriteOutcome> ChangeRoleAsync(Membership current, OrganizationRole role, CancellationToken cancellationToken = default);

    /// <summary>Removes the membership (both rows); false when there was none.</summary>
    Task<bool> RemoveAsync(string userId, string organizationId, CancellationToken cancellationToken = default);
}
