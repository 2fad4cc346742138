using Integrations.Core.Common;
using Integrations.Core.Connections;
using Integrations.Core.Events;
using Integrations.Core.Identity.Users;
using Integrations.Core.Tenancy;
using Microsoft.Extensions.Logging;

namespace Integrations.Core.Identity.Organizations;

/// <summary>A member of an organization as listed: the membership with the person's address and name.</summary>
public sealed record OrganizationMember(Membership Membership, string? Email, string? DisplayName);

/// <summary>
/// An organization's members: list, change a role, remove. The rules that a scope alone cannot say live here: an organization
/// always keeps an Owner; only an Owner grants or takes away Owner, or changes or removes an Owner; the person a personal
/// organization was made for stays in it. Removing a member ends all their sessions (every organization: a token cannot be
/// ended for one organization alone) and writes <see cref="HubEventTypes.MemberRemoved"/> to each of the organization's projects;
/// adding one writes <see cref="HubEventTypes.MemberAdded"/> there.
/// </summary>
public sealed partial class OrganizationMembers(
    IMembershipStore memberships, IUserStore users, UserSessionService sessions, ITenancyStore tenancy, IConnectionStore connections, EventWriter events,
    OwnerChangeLock ownerLock, TimeProvider time, ILogger<OrganizationMembers> logger)
{
    private const int MaxAttempts = 3;
    private const int MaxConnectionPages = 20;

    /// <summary>The organization's members, oldest first.</summary>
    public async Task<IReadOnlyList<OrganizationMember>> ListAsync(string organizationId, CancellationToken cancellationToken = default)
    {
        var all = await memberships.ListByOrganizationAsync(organizationId, cancellationToken).ConfigureAwait(false);
        var people = await Task.WhenAll(all.Select(m => users.GetAsync(m.UserId, cancellationToken))).ConfigureAwait(false);
        return all.Select((m, i) => new OrganizationMember(m, people[i]?.Email, people[i]?.DisplayName)).ToList();
    }

    /// <summary>
    /// Adds an existing user to the organization directly (a platform provisioning its users with an API key): 404 for an
    /// unknown user, 409 <c>already-member</c>; only an owner adds an owner.
    /// </summary>
    public async Task<Result<OrganizationMember>> AddAsync(string organizationId, string? userId, string? roleName, bool actingAsOwner,
        CancellationToken cancellationToken = default)
    {
        if (OrganizationRoles.Parse(roleName) is not { } role)
        {
            return HubError.Invalid(MemberErrors.InvalidRole, "role must be one of owner, admin, member, viewer.", "role");
        }

        if (role == OrganizationRole.Owner && !actingAsOwner)
        {
            return OwnerOnly();
        }

        var user = Ids.IsValid(User.IdPrefix, userId) ? await users.GetAsync(userId!, cancellationToken).ConfigureAwait(false) : null;
        if (user is null)
        {
            return HubError.NotFound("user");
        }

        var membership = new Membership(organizationId, user.Id, role, Personal: false, time.GetUtcNow());
        if (await memberships.AddAsync(membership, cancellationToken).ConfigureAwait(false) != WriteOutcome.Written)
        {
            return HubError.Conflict(Invitations.InvitationErrors.AlreadyMember, "The person is already a member of the organization.");
        }

        Log.MemberAdded(logger, organizationId, user.Id, role);
        await AnnounceAdditionAsync(membership, invitationId: null, cancellationToken).ConfigureAwait(false);
        return new OrganizationMember(membership, user.Email, user.DisplayName);
    }

    /// <summary>Changes <paramref name="userId"/>'s role in the organization under the owner rules.</summary>
    public async Task<Result<Membership>> ChangeRoleAsync(string organizationId, string userId, string? roleName, bool actingAsOwner, CancellationToken cancellationToken = default)
    {
        if (OrganizationRoles.Parse(roleName) is not { } role)
        {
            return HubError.Invalid(MemberErrors.InvalidRole, "role must be one of owner, admin, member, viewer.", "role");
        }

        ILockHandle? owners = null;
        try
        {
            // One more attempt than usual: taking the owner lock costs one, to read again under it.
            for (var attempt = 0; attempt <= MaxAttempts; attempt++)
            {
                var current = await FindAsync(organizationId, userId, cancellationToken).ConfigureAwait(false);
                if (current is null)
                {
                    return HubError.NotFound("member");
                }

                if ((current.Role == OrganizationRole.Owner || role == OrganizationRole.Owner) && !actingAsOwner)
                {
                    return OwnerOnly();
                }

                if (current.Role == role)
                {
                    return current;
                }

                if (current.Role == OrganizationRole.Owner)
                {
                    if (owners is null)
                    {
                        owners = await ownerLock.AcquireAsync(organizationId, cancellationToken).ConfigureAwait(false);
                        if (owners is null)
                        {
                            return OwnersBusy();
                        }

                        continue; // read again under the lock: another owner change may just have finished
                    }

                    if (!await HasAnotherOwnerAsync(organizationId, userId, cancellationToken).ConfigureAwait(false))
                    {
                        return LastOwner("demoted");
                    }
                }

                if (await memberships.ChangeRoleAsync(current, role, cancellationToken).ConfigureAwait(false) == WriteOutcome.Written)
                {
                    Log.RoleChanged(logger, organizationId, userId, role);
                    return current with { Role = role };
                }
            }

            return HubError.Conflict(MemberErrors.MembershipChanged, "The membership changed while it was being changed; try again.");
        }
        finally
        {
            if (owners is not null)
            {
                await owners.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Removes <paramref name="userId"/> from the organization, ends their sessions and tells the projects.</summary>
    public async Task<Result<Membership>> RemoveAsync(string organizationId, string userId, bool actingAsOwner, CancellationToken cancellationToken = default)
    {
        var current = await FindAsync(organizationId, userId, cancellationToken).ConfigureAwait(false);
        if (current is null)
        {
            return HubError.NotFound("member");
        }

        if (current.Role == OrganizationRole.Owner && !actingAsOwner)
        {
            return OwnerOnly();
        }

        if (current.Personal)
        {
            return HubError.Conflict(MemberErrors.PersonalOwner, "The person this personal organization was made for cannot be removed from it.");
        }

        if (current.Role == OrganizationRole.Owner)
        {
            var owners = await ownerLock.AcquireAsync(organizationId, cancellationToken).ConfigureAwait(false);
            if (owners is null)
            {
                return OwnersBusy();
            }

            await using (owners.ConfigureAwait(false))
            {
                // Read again under the lock: another owner change may just have finished.
                if (await FindAsync(organizationId, userId, cancellationToken).ConfigureAwait(false) is not { } now)
                {
                    return HubError.NotFound("member");
                }

                if (now.Role == OrganizationRole.Owner && !await HasAnotherOwnerAsync(organizationId, userId, cancellationToken).ConfigureAwait(false))
                {
                    return LastOwner("removed");
                }

                await memberships.RemoveAsync(userId, organizationId, cancellationToken).ConfigureAwait(false);
            }
        }
        else
        {
            await memberships.RemoveAsync(userId, organizationId, cancellationToken).ConfigureAwait(false);
        }

        // Access tokens carry the organization and role; ending every session of the person is the one way to stop the ones
        // speaking for this organization now rather than at their next refresh.
        var ended = await sessions.LogoutAllAsync(userId, cancellationToken).ConfigureAwait(false);
        Log.MemberRemoved(logger, organizationId, userId, ended.IsSuccess ? ended.Value : -1);
        await AnnounceRemovalAsync(organizationId, userId, cancellationToken).ConfigureAwait(false);
        return current;
    }

    private async Task<Membership?> FindAsync(string organizationId, string userId, CancellationToken cancellationToken) =>
        Ids.IsValid(User.IdPrefix, userId) ? await memberships.FindAsync(userId, organizationId, cancellationToken).ConfigureAwait(false) : null;

    // Counted from the index, each Owner confirmed by its authority row (the index may briefly hold a member being removed).
    private async Task<bool> HasAnotherOwnerAsync(string organizationId, string userId, CancellationToken cancellationToken)
    {
        var all = await memberships.ListByOrganizationAsync(organizationId, cancellationToken).ConfigureAwait(false);
        foreach (var other in all.Where(m => m.Role == OrganizationRole.Owner && !string.Equals(m.UserId, userId, StringComparison.Ordinal)))
        {
            if (await memberships.FindAsync(other.UserId, organizationId, cancellationToken).ConfigureAwait(false) is { Role: OrganizationRole.Owner })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Writes <see cref="HubEventTypes.MemberRemoved"/> to each of the organization's projects, naming the connections the
    /// person created or authorized (they may need a new owner). Called after a membership is gone — a removal here, or the
    /// person's account deleted by an operator.
    /// </summary>
    public async Task AnnounceRemovalAsync(string organizationId, string userId, CancellationToken cancellationToken = default)
    {
        foreach (var project in await tenancy.ListProjectsAsync(organizationId, cancellationToken).ConfigureAwait(false))
        {
            var authorized = new List<string>();
            for (var page = 1; page <= MaxConnectionPages; page++)
            {
                var listed = await connections.ListAsync(organizationId, project.Id, new ConnectionQuery(new PageRequest(page, PageRequest.MaxPerPage)), cancellationToken)
                    .ConfigureAwait(false);
                authorized.AddRange(listed.Items
                    .Where(c => string.Equals(c.CreatedBy, userId, StringComparison.Ordinal) || string.Equals(c.State.AuthorizedBy, userId, StringComparison.Ordinal))
                    .Select(c => c.Id));
                if (page >= listed.TotalPages)
                {
                    break;
                }
            }

            var data = new Dictionary<string, string>(StringComparer.Ordinal) { ["user_id"] = userId, ["connections"] = Joined(authorized) };
            await events.AppendAsync(organizationId, project.Id, HubEventTypes.MemberRemoved, "user/" + userId, data, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Writes <see cref="HubEventTypes.MemberAdded"/> to each of the organization's projects (user id, role, and the invitation
    /// when one was accepted). Called once a membership is written — an add here, or an invitation accepted.
    /// </summary>
    public async Task AnnounceAdditionAsync(Membership membership, string? invitationId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(membership);
        var data = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["user_id"] = membership.UserId,
            ["role"] = OrganizationRoles.Name(membership.Role),
        };
        if (invitationId is not null)
        {
            data["invitation_id"] = invitationId;
        }

        foreach (var project in await tenancy.ListProjectsAsync(membership.OrganizationId, cancellationToken).ConfigureAwait(false))
        {
            await events.AppendAsync(membership.OrganizationId, project.Id, HubEventTypes.MemberAdded, "user/" + membership.UserId, data, cancellationToken)
                .ConfigureAwait(false);
        }
    }

    // Ids are comma-separated within an event value's limit; a longer list is cut and says so.
    private static string Joined(List<string> ids)
    {
        var joined = string.Join(",", ids);
        return joined.Length <= EventWriter.MaxDataValueLength ? joined : joined[..(joined.LastIndexOf(',', EventWriter.MaxDataValueLength - 4) + 1)] + "...";
    }

    private static HubError OwnerOnly() =>
        new(ErrorKind.Forbidden, MemberErrors.OwnerOnly, "Only an owner may grant or take away the owner role, or change or remove an owner.");

    private static HubError OwnersBusy() =>
        HubError.Conflict(MemberErrors.MembershipChanged, "Another change of this organization's owners is under way; try again.");

    private static HubError LastOwner(string what) =>
        HubError.Conflict(MemberErrors.LastOwner, $"The organization's last owner cannot be {what}; make another member an owner first.");

    // Event ids 9760-9789 are members' and invitations'.
    private static partial class Log
    {
        [LoggerMessage(EventId = 9760, Level = LogLevel.Information, Message = "Member {UserId} of organization {OrganizationId} is now {Role}.")]
        public static partial void RoleChanged(ILogger logger, string organizationId, string userId, OrganizationRole role);

        [LoggerMessage(EventId = 9761, Level = LogLevel.Information, Message = "Member {UserId} removed from organization {OrganizationId}; {SessionsEnded} sessions ended.")]
        public static partial void MemberRemoved(ILogger logger, string organizationId, string userId, int sessionsEnded);

        [LoggerMessage(EventId = 9795, Level = LogLevel.Information, Message = "User {UserId} added to organization {OrganizationId} as {Role}.")]
        public static partial void MemberAdded(ILogger logger, string organizationId, string userId, OrganizationRole role);
    }
}
