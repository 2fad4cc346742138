using Integrations.Api.Routing;
using Integrations.Core.Audit;
using Integrations.Core.Common;
using Integrations.Core.Identity;
using Integrations.Core.Identity.Invitations;

namespace Integrations.Api.Organizations;

/// <summary>
/// Invitations: entries of the route table (<see cref="ApiRoutes"/>). Inviting, listing and revoking need
/// <see cref="Scopes.MembersInvite"/> (Owner, Admin; only an owner invites an owner); accepting needs the invited person's
/// own access token. Creating and accepting are limited under <see cref="RateLimitPolicies.Invitations"/> (each creation may
/// send a mail; each accept is a token guess).
/// </summary>
public static class InvitationRoutes
{
    private const string Collection = "v1/orgs/{orgId}/invitations";

    public static ApiRoute Create { get; } = new("CreateInvitation", "POST", Collection,
        "Invite a person {email, role}: 201 with the invitation and — this once — its single-use token and link; also delivered as an auth.invitation_created event (sealed) and by mail when configured. A new invitation for the same address replaces the earlier one. Only an owner invites an owner.",
        RouteAccess.Organization(Scopes.MembersInvite), AuditActions.InvitationCreate, true, RateLimitPolicies.Invitations,
        RouteHandlers.Of<InvitationEndpoints>((e, r, ct) => e.CreateAsync(r, ct)));

    public static ApiRoute List { get; } = new("ListInvitations", "GET", Collection,
        "List the organization's pending invitations: id, email, role, invited_by, created_at, expires_at — never a token.",
        RouteAccess.Organization(Scopes.MembersInvite), AuditActions.InvitationList, false, RateLimitPolicies.Standard,
        RouteHandlers.Of<InvitationEndpoints>((e, r, ct) => e.ListAsync(r, ct)));

    public static ApiRoute Revoke { get; } = new("RevokeInvitation", "DELETE", Collection + "/{invitationId}",
        "Revoke a pending invitation: its token stops working. Only an owner revokes an invitation to be owner.",
        RouteAccess.Organization(Scopes.MembersInvite), AuditActions.InvitationRevoke, true, RateLimitPolicies.Standard,
        RouteHandlers.Of<InvitationEndpoints>((e, r, ct) => e.RevokeAsync(r, ct)))
    {
        AuditTarget = static values => Ids.IsValid(Invitation.IdPrefix, values["invitationId"]) ? $"invitation/{values["invitationId"]}" : "invitation/(invalid id)",
    };

    public static ApiRoute Accept { get; } = new("AcceptInvitation", "POST", "v1/invitations/accept",
        "Accept an invitation {token} as the signed-in person: their account's address must be the invited one, verified. 200 {organization_id, role}, and each project of the organization gets a member.added event; log in or refresh with organization_id to act there.",
        RouteAccess.User, AuditActions.InvitationAccept, true, RateLimitPolicies.Invitations,
        RouteHandlers.Of<InvitationEndpoints>((e, r, ct) => e.AcceptAsync(r, ct)));

    public static IReadOnlyList<ApiRoute> All { get; } = [Create, List, Revoke, Accept];
}
