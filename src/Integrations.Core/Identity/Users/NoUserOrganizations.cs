using Integrations.Core.Identity.Organizations;

namespace Integrations.Core.Identity.Users;

/// <summary>
/// The <see cref="IUserOrganizations"/> in place until organizations and memberships are registered: sign-up creates no
/// organization, and a user belongs to none, so login and refresh answer <see cref="UserErrors.NoOrganization"/>.
/// </summary>
public sealed class NoUserOrganizations : IUserOrganizations
{
    public Task CreatePersonalOrganizationAsync(User user, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task<UserOrganization?> FindAsync(string userId, string? organizationId, CancellationToken cancellationToken = default) =>
        Task.FromResult<UserOrganization?>(null);

    public UserOrganization? Choose(IReadOnlyList<Membership> memberships, string? organizationId) => null;
}
