using Integrations.Core.Identity.Tokens;

namespace Integrations.Core.Identity.Users;

/// <summary>
/// What login and refresh hand out: an access token, the refresh token that replaces the one used, and who they are for.
/// <see cref="ToString"/> leaves both tokens out.
/// </summary>
/// <param name="AccessToken">The signed access token (2 h by default).</param>
/// <param name="RefreshToken">The new refresh token, shown to its holder only here.</param>
/// <param name="RefreshTokenExpiresAt">When the refresh token stops working if unused.</param>
/// <param name="User">The user.</param>
/// <param name="SessionId">The session (the <c>sid</c> claim).</param>
/// <param name="Organization">The organization and role the access token speaks for.</param>
public sealed record UserTokens(
    IssuedAccessToken AccessToken,
    string RefreshToken,
    DateTimeOffset RefreshTokenExpiresAt,
    User User,
    string SessionId,
    UserOrganization Organization)
{
    public override string ToString() =>
        $"UserTokens {{ UserId = {User.Id}, SessionId = {SessionId}, OrganizationId = {Organization.OrganizationId}, AccessTokenId = {AccessToken.TokenId} }}";
}
