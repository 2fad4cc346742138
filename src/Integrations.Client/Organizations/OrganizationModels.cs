namespace Integrations.Client.Organizations;

/// <summary>A member of an organization.</summary>
/// <param name="UserId">The person (<c>usr_…</c>).</param>
/// <param name="Email">Their address.</param>
/// <param name="DisplayName">Their display name.</param>
/// <param name="Role"><c>owner</c>, <c>admin</c>, <c>member</c> or <c>viewer</c>.</param>
/// <param name="Personal">True when this is the person's personal organization.</param>
/// <param name="Since">Since when they are a member.</param>
public sealed record Member(string UserId, string? Email, string? DisplayName, string Role, bool Personal, DateTimeOffset Since);

/// <summary>A pending invitation: never its token.</summary>
/// <param name="Id">The invitation id (<c>inv_…</c>).</param>
/// <param name="OrganizationId">The organization.</param>
/// <param name="Email">The invited address.</param>
/// <param name="Role">The role it grants.</param>
/// <param name="InvitedBy">Who invited (a user or key id).</param>
/// <param name="CreatedAt">When it was made.</param>
/// <param name="ExpiresAt">When it stops working.</param>
public sealed record Invitation(string Id, string OrganizationId, string Email, string Role, string InvitedBy, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt);

/// <summary>
/// A new invitation with — this once — its single-use <see cref="Token"/> and link, for a platform that delivers invitations
/// itself. <see cref="ToString"/> never shows the token or the link.
/// </summary>
/// <param name="Id">The invitation id.</param>
/// <param name="OrganizationId">The organization.</param>
/// <param name="Email">The invited address.</param>
/// <param name="Role">The role it grants.</param>
/// <param name="InvitedBy">Who invited.</param>
/// <param name="CreatedAt">When it was made.</param>
/// <param name="ExpiresAt">When it stops working.</param>
/// <param name="Token">The token the invited person accepts with (<see cref="OrganizationsClient.AcceptInvitationAsync"/>).</param>
/// <param name="Url">The link to the platform's accept page, when <c>Auth:SiteUrl</c> is set.</param>
public sealed record CreatedInvitation(
    string Id, string OrganizationId, string Email, string Role, string InvitedBy, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, string Token, string? Url)
{
    /// <summary>The invitation; never the token or the link.</summary>
    public override string ToString() => $"CreatedInvitation {{ Id = {Id}, OrganizationId = {OrganizationId}, Role = {Role}, ExpiresAt = {ExpiresAt:O} }}";
}

/// <summary>The answer to accepting an invitation: log in or refresh with <see cref="OrganizationId"/> to act there.</summary>
/// <param name="OrganizationId">The organization joined.</param>
/// <param name="Role">The role there.</param>
public sealed record AcceptedInvitation(string OrganizationId, string Role);
