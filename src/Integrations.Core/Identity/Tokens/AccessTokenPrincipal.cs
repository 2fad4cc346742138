namespace Integrations.Core.Identity.Tokens;

/// <summary>The holder of a valid access token, as its claims name them.</summary>
/// <param name="UserId"><c>sub</c>.</param>
/// <param name="OrganizationId"><c>org</c>.</param>
/// <param name="Role"><c>role</c>.</param>
/// <param name="SessionId"><c>sid</c>.</param>
/// <param name="TokenId"><c>jti</c>.</param>
/// <param name="KeyId">The <c>kid</c> that verified it.</param>
/// <param name="IssuedAt"><c>iat</c>.</param>
/// <param name="ExpiresAt"><c>exp</c>.</param>
public sealed record AccessTokenPrincipal(
    string UserId, string OrganizationId, string Role, string SessionId, string TokenId, string KeyId, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt);
