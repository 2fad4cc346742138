namespace Integrations.Core.Identity.Tokens;

/// <summary>What an access token says about its holder: the claims <c>sub</c>, <c>org</c>, <c>role</c> and <c>sid</c>.</summary>
/// <param name="UserId">The user (<c>sub</c>).</param>
/// <param name="OrganizationId">The one organization the token speaks for (<c>org</c>).</param>
/// <param name="Role">The user's role in that organization (<c>role</c>).</param>
/// <param name="SessionId">The session the token belongs to (<c>sid</c>): revoking it refuses the token.</param>
public sealed record AccessTokenClaims(string UserId, string OrganizationId, string Role, string SessionId);
