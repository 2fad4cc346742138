using Integrations.Core.Common;
using Integrations.Core.Identity.Users;
using Integrations.Core.Tenancy;
using Microsoft.Extensions.Logging;

namespace Integrations.Core.Identity.Organizations;

/// <summary>
/// Users' organizations from their memberships (<see cref="IMembershipStore"/>): a personal organization for every new user,
/// and the organization and role an access token speaks for.
/// </summary>
/// <remarks>
/// The personal organization is written through <see cref="ITenancyStore"/> (the same organization row the admin's
/// <c>POST /v1/orgs</c> writes), but without <see cref="TenancyService.CreateOrganizationAsync"/>'s owner API key: the person
/// is the owner, and a full-scope key nobody has seen would be one more credential to leak. Its id is derived from the user
/// id (<c>usr_X</c> → <c>org_X</c>), so a retried sign-up finds the organization it already made instead of making another.
/// </remarks>
public sealed partial class UserOrganizations(IMembershipStore memberships, ITenancyStore tenancy, TimeProvider time, ILogger<UserOrganizations> logger)
    : IUserOrganizations
{
    /// <summary>The id of <paramref name="userId"/>'s personal organization.</summary>
    public static string PersonalOrganizationId(string userId)
    {
        ArgumentNullException.ThrowIfNull(userId);
        return Ids.IsValid(User.IdPrefix, userId)
            ? "org" + userId[User.IdPrefix.Length..]
            : throw new ArgumentException("Not a user id.", nameof(userId));
    }

    public async Task CreatePersonalOrganizationAsync(User user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        var organizationId = PersonalOrganizationId(user.Id);
        var now = time.GetUtcNow();
        // Conflict: a retry; the organization is already there (its id is the user's, so it is theirs).
        await tenancy.TryAddOrganizationAsync(new Organization(organizationId, PersonalName(user), now), cancellationToken).ConfigureAwait(false);
        var added = await memberships.AddAsync(new Membership(organizationId, user.Id, OrganizationRole.Owner, Personal: true, now), cancellationToken)
            .ConfigureAwait(false);
        if (added == WriteOutcome.Written)
        {
            Log.PersonalOrganizationCreated(logger, user.Id, organizationId);
        }
    }

    public async Task<UserOrganization?> FindAsync(string userId, string? organizationId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userId);
        // A made-up id costs no storage read; a well-formed one the user is not a member of is the same null (a 404).
        return organizationId is not null && !Ids.IsValid("org", organizationId)
            ? null
            : Choose(await memberships.ListByUserAsync(userId, cancellationToken).ConfigureAwait(false), organizationId);
    }

    public UserOrganization? Choose(IReadOnlyList<Membership> memberships, string? organizationId)
    {
        ArgumentNullException.ThrowIfNull(memberships);
        // The default is the personal organization, else the oldest membership: ordered here, whoever read the list.
        var chosen = organizationId is not null
            ? memberships.FirstOrDefault(m => string.Equals(m.OrganizationId, organizationId, StringComparison.Ordinal))
            : memberships.OrderBy(m => !m.Personal).ThenBy(m => m.CreatedAt).ThenBy(m => m.OrganizationId, StringComparer.Ordinal).FirstOrDefault();
        return chosen is null ? null : new UserOrganization(chosen.OrganizationId, OrganizationRoles.Name(chosen.Role));
    }

    /// <summary>Every organization the user belongs to, with their role (for <c>GET /v1/me</c>).</summary>
    public Task<IReadOnlyList<Membership>> ListAsync(string userId, CancellationToken cancellationToken = default) =>
        memberships.ListByUserAsync(userId, cancellationToken);

    // Named after the person; an organization name is at most 100 characters (DisplayName), and an empty display name
    // falls back to a neutral one rather than the email address (which the organization row would then spread).
    private static string PersonalName(User user)
    {
        const string Fallback = "Personal organization";
        var name = string.IsNullOrWhiteSpace(user.DisplayName) ? Fallback : user.DisplayName.Trim() + "'s organization";
        name = name.Length <= DisplayName.MaxLength ? name : name[..DisplayName.MaxLength].TrimEnd();
        return DisplayName.Validate(name, "name") is null ? name : Fallback;
    }

    // Event ids 9700-9729 are the auth routes', the JWT authenticator's and memberships'.
    private static partial class Log
    {
        [LoggerMessage(EventId = 9710, Level = LogLevel.Information, Message = "Personal organization {OrganizationId} created for user {UserId}.")]
        public static partial void PersonalOrganizationCreated(ILogger logger, string userId, string organizationId);
    }
}
