using Integrations.Core.Common;

namespace Integrations.Core.Identity.Invitations;

/// <summary>
/// Storage of invitations (authority rows: signed on write, verified on read; a row that fails is absent). Each invitation is
/// two rows: the authority row keyed by the token's lookup hash (what accepting reads) and an index row keyed by organization
/// and invitation id (listing and revoking), MAC'd in its own domain. The index row is written first and removed last.
/// </summary>
public interface IInvitationStore
{
    Task AddAsync(Invitation invitation, CancellationToken cancellationToken = default);

    /// <summary>The invitation whose token hashes to <paramref name="lookupHash"/>, if its row exists and verifies (with its ETag), else null.</summary>
    Task<Invitation?> FindByTokenAsync(string lookupHash, CancellationToken cancellationToken = default);

    /// <summary>The organization's invitation <paramref name="invitationId"/> from its index row, or null.</summary>
    Task<Invitation?> FindAsync(string organizationId, string invitationId, CancellationToken cancellationToken = default);

    /// <summary>Every invitation of the organization (expired ones too), oldest first; rows that fail their MAC left out.</summary>
    Task<IReadOnlyList<Invitation>> ListAsync(string organizationId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Uses the invitation: deletes its authority row conditional on <see cref="Invitation.ETag"/> (of two uses exactly one is
    /// <see cref="WriteOutcome.Written"/>), then its index row.
    /// </summary>
    Task<WriteOutcome> ConsumeAsync(Invitation invitation, CancellationToken cancellationToken = default);

    /// <summary>Deletes the invitation (both rows, whatever their state); false when its authority row was already gone.</summary>
    Task<bool> DeleteAsync(Invitation invitation, CancellationToken cancellationToken = default);

    /// <summary>Removes every invitation that expired before <paramref name="expiredBefore"/> (the cleanup job). The number removed.</summary>
    Task<int> DeleteExpiredAsync(DateTimeOffset expiredBefore, CancellationToken cancellationToken = default);
}
