using Integrations.Core.Identity.Organizations;

namespace Integrations.Core.Identity.Invitations;

/// <summary>
/// A pending invitation to an organization: never the token, only its keyed lookup hash. An authority row (MAC'd over every
/// field), so a storage writer can neither plant an invitation, raise its role, nor point it at another organization or address.
/// </summary>
/// <param name="LookupHash">The token's keyed hash (<see cref="InvitationToken.LookupHash"/>): the authority row's key.</param>
/// <param name="Id">The invitation's id (<c>inv_…</c>): how the organization lists and revokes it.</param>
/// <param name="OrganizationId">The organization it admits to.</param>
/// <param name="Email">The invited address as typed (normalised: <c>EmailAddress.Value</c>); mail goes there.</param>
/// <param name="EmailLookupKey">The address's lookup key: only the account holding it (verified) may accept.</param>
/// <param name="Role">The role the person gets.</param>
/// <param name="InvitedBy">Who invited: a user id or an API key id.</param>
/// <param name="CreatedAt">When it was issued.</param>
/// <param name="ExpiresAt">Refused from this instant.</param>
public sealed record Invitation(
    string LookupHash,
    string Id,
    string OrganizationId,
    string Email,
    string EmailLookupKey,
    OrganizationRole Role,
    string InvitedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt)
{
    /// <summary>The id prefix of an invitation.</summary>
    public const string IdPrefix = "inv";

    /// <summary>The authority row's ETag as read; accepting is a delete conditional on it. Not part of the MAC.</summary>
    public string? ETag { get; init; }

    // The address is personal data and the hash is what finds the row: neither belongs in a log line.
    public override string ToString() => $"Invitation {{ Id = {Id}, OrganizationId = {OrganizationId}, Role = {Role}, ExpiresAt = {ExpiresAt:O} }}";
}

/// <summary>An invitation just issued, with its token and link. Holds the token: <see cref="ToString"/> leaves it out.</summary>
public sealed record IssuedInvitation(Invitation Invitation, string Token, string? Url)
{
    public override string ToString() => $"IssuedInvitation {{ {Invitation} }}";
}
