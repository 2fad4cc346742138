using Integrations.Core.Common;

namespace Integrations.Core.Identity.Organizations;

/// <summary>
/// Storage of memberships (authority rows: the store signs what it writes and refuses, as absent, a row whose MAC fails).
/// Small on purpose: members and invitations (a later part) add list-by-organization, role changes and removal.
/// </summary>
public interface IMembershipStore
{
    /// <summary>Adds a membership; <see cref="WriteOutcome.Conflict"/> when the user is already a member of the organization.</summary>
    Task<WriteOutcome> AddAsync(Membership membership, CancellationToken cancellationToken = default);

    /// <summary>The user's membership of the organization, or null.</summary>
    Task<Membership?> FindAsync(string userId, string organizationId, CancellationToken cancellationToken = default);

    /// <summary>Every membership of the user, oldest first (rows that fail their MAC left out).</summary>
    Task<IReadOnlyList<Membership>> ListByUserAsync(string userId, CancellationToken cancellationToken = default);
}
