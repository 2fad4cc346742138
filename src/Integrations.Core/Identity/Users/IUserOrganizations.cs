using Integrations.Core.Identity.Organizations;

namespace Integrations.Core.Identity.Users;

/// <summary>
/// What the user and session service needs from organizations and memberships, implemented by the organizations part
/// (it replaces <see cref="NoUserOrganizations"/>): a personal organization for every new user, and the organization and
/// role an access token speaks for.
/// </summary>
public interface IUserOrganizations
{
    /// <summary>
    /// Called once a new user is stored, before sign-up answers: create the person's personal organization with them as
    /// Owner. Must be idempotent per user (a retried sign-up of a user whose organization exists does nothing).
    /// </summary>
    Task CreatePersonalOrganizationAsync(User user, CancellationToken cancellationToken = default);

    /// <summary>
    /// The organization a token of <paramref name="userId"/> speaks for, and their role there: <paramref name="organizationId"/>
    /// when given and the user is a member (null when not), else the user's default (their personal organization).
    /// </summary>
    Task<UserOrganization?> FindAsync(string userId, string? organizationId, CancellationToken cancellationToken = default);

    /// <summary>
    /// <see cref="FindAsync"/>'s answer from memberships already read (<see cref="IUserStore.GetWithSessionAsync"/> returns them
    /// with the user and the session, so a refresh reads no more): the given organization's, else the default one.
    /// </summary>
    UserOrganization? Choose(IReadOnlyList<Membership> memberships, string? organizationId);
}
