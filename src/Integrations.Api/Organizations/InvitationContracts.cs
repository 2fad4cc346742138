using Integrations.Core.Identity.Invitations;
using Integrations.Core.Identity.Organizations;

namespace Integrations.Api.Organizations;

/// <summary><c>POST /v1/orgs/{orgId}/invitations</c>.</summary>
public sealed record CreateInvitationRequest(string? Email, string? Role);

/// <summary><c>POST /v1/invitations/accept</c>. Holds a token: <see cref="ToString"/> leaves it out.</summary>
public sealed record AcceptInvitationRequest(string? Token)
{
    public override string ToString() => "AcceptInvitationRequest { }";
}

/// <summary><c>POST /v1/orgs/{orgId}/members</c>: add an existing user directly.</summary>
public sealed record AddMemberRequest(string? UserId, string? Role);

/// <summary>A pending invitation as listed: never its token.</summary>
public sealed record InvitationResponse(string Id, string OrganizationId, string Email, string Role, string InvitedBy, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt)
{
    public static InvitationResponse From(Invitation invitation)
    {
        ArgumentNullException.ThrowIfNull(invitation);
        return new(invitation.Id, invitation.OrganizationId, invitation.Email, OrganizationRoles.Name(invitation.Role), invitation.InvitedBy,
            invitation.CreatedAt, invitation.ExpiresAt);
    }
}

/// <summary>
/// The answer to creating an invitation: the invitation, and — this once — its token and link, so a platform that delivers
/// invitations itself (or has no <c>Auth:Platform</c>) can. Holds the token: <see cref="ToString"/> leaves it out.
/// </summary>
public sealed record CreatedInvitationResponse(
    string Id, string OrganizationId, string Email, string Role, string InvitedBy, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, string Token, string? Url)
{
    public static CreatedInvitationResponse From(IssuedInvitation issued)
    {
        ArgumentNullException.ThrowIfNull(issued);
        var i = InvitationResponse.From(issued.Invitation);
        return new(i.Id, i.OrganizationId, i.Email, i.Role, i.InvitedBy, i.CreatedAt, i.ExpiresAt, issued.Token, issued.Url);
    }

    public override string ToString() => $"CreatedInvitationResponse {{ Id = {Id}, OrganizationId = {OrganizationId}, Role = {Role}, ExpiresAt = {ExpiresAt:O} }}";
}

/// <summary>The answer to accepting an invitation: the organization joined and the role there.</summary>
public sealed record AcceptedInvitationResponse(string OrganizationId, string Role);
