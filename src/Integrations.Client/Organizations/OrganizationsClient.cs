using Integrations.Client.Auth;

namespace Integrations.Client.Organizations;

/// <summary>
/// An organization's people (<c>/v1/orgs/{orgId}/members</c>, <c>…/invitations</c>): list, add, change and remove members;
/// invite, list and revoke invitations (<c>members:read</c>, <c>members:write</c>, <c>members:invite</c>, or a member whose role
/// grants them); and accepting an invitation, as the invited person (<see cref="AcceptInvitationAsync"/>).
/// </summary>
public sealed class OrganizationsClient
{
    private const string Members = "v1/orgs/{0}/members";
    private const string Member = Members + "/{1}";
    private const string Invitations = "v1/orgs/{0}/invitations";
    private const string Invitation = Invitations + "/{1}";
    private const string AcceptPath = "v1/invitations/accept";

    private readonly HubTransport _transport;

    internal OrganizationsClient(HubTransport transport) => _transport = transport;

    /// <summary>A page of the organization's members.</summary>
    /// <exception cref="HubNotFoundException">Not an organization this credential may know of.</exception>
    public Task<Page<Member>> ListMembersAsync(string organizationId, int page = 1, int perPage = 20, CancellationToken cancellationToken = default) =>
        _transport.SendAsync<Page<Member>>(HttpMethod.Get,
            HubQuery.Page(HubTransport.Path(Members, HubQuery.Required(organizationId)), page, perPage).ToString(), null, cancellationToken);

    /// <summary>Adds an existing person directly (a platform provisioning its users). Only an owner adds an owner.</summary>
    /// <exception cref="HubNotFoundException">No such user.</exception>
    /// <exception cref="HubConflictException">Already a member.</exception>
    public Task<Member> AddMemberAsync(string organizationId, string userId, string role, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(role);
        return _transport.SendAsync<Member>(HttpMethod.Post, HubTransport.Path(Members, HubQuery.Required(organizationId)),
            new AddMemberBody(HubQuery.Required(userId), role), cancellationToken);
    }

    /// <summary>Changes a member's role. Only an owner grants or takes away owner; the last owner cannot be demoted.</summary>
    /// <exception cref="HubConflictException">That would leave the organization without an owner.</exception>
    public Task<Member> ChangeMemberRoleAsync(string organizationId, string userId, string role, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(role);
        return _transport.SendAsync<Member>(HttpMethod.Patch, HubTransport.Path(Member, HubQuery.Required(organizationId), HubQuery.Required(userId)),
            new RoleBody(role), cancellationToken);
    }

    /// <summary>Removes a member; every session of theirs ends. Not the last owner, nor a personal organization's owner.</summary>
    public Task RemoveMemberAsync(string organizationId, string userId, CancellationToken cancellationToken = default) =>
        _transport.SendAsync(HttpMethod.Delete, HubTransport.Path(Member, HubQuery.Required(organizationId), HubQuery.Required(userId)), null, cancellationToken);

    /// <summary>
    /// Invites a person: the answer holds the single-use token and link this once; the hub also publishes it (sealed) and mails
    /// it when configured. A new invitation for the same address replaces the earlier one.
    /// </summary>
    public Task<CreatedInvitation> CreateInvitationAsync(string organizationId, string email, string role, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(email);
        ArgumentException.ThrowIfNullOrEmpty(role);
        return _transport.SendAsync<CreatedInvitation>(HttpMethod.Post, HubTransport.Path(Invitations, HubQuery.Required(organizationId)),
            new InviteBody(email, role), cancellationToken);
    }

    /// <summary>A page of the organization's pending invitations (never a token).</summary>
    public Task<Page<Invitation>> ListInvitationsAsync(string organizationId, int page = 1, int perPage = 20, CancellationToken cancellationToken = default) =>
        _transport.SendAsync<Page<Invitation>>(HttpMethod.Get,
            HubQuery.Page(HubTransport.Path(Invitations, HubQuery.Required(organizationId)), page, perPage).ToString(), null, cancellationToken);

    /// <summary>Revokes a pending invitation: its token stops working.</summary>
    public Task RevokeInvitationAsync(string organizationId, string invitationId, CancellationToken cancellationToken = default) =>
        _transport.SendAsync(HttpMethod.Delete, HubTransport.Path(Invitation, HubQuery.Required(organizationId), HubQuery.Required(invitationId)), null, cancellationToken);

    /// <summary>
    /// Accepts an invitation as the invited person (their <paramref name="accessToken"/>, sent instead of the API key): their
    /// address must be the invited one, and verified.
    /// </summary>
    /// <exception cref="HubValidationException">The token is invalid, used, revoked or expired.</exception>
    /// <exception cref="HubForbiddenException">The person's address is not the invited one, or is not verified.</exception>
    public Task<AcceptedInvitation> AcceptInvitationAsync(string accessToken, string invitationToken, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(invitationToken);
        return _transport.SendAsync<AcceptedInvitation>(HttpMethod.Post, AcceptPath, new AcceptBody(invitationToken), cancellationToken, AuthClient.AsPerson(accessToken));
    }

    private sealed record AddMemberBody(string UserId, string Role);

    private sealed record RoleBody(string Role);

    private sealed record InviteBody(string Email, string Role);

    private sealed record AcceptBody(string Token)
    {
        public override string ToString() => "AcceptBody { }";
    }
}
