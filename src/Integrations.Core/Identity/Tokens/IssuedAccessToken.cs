namespace Integrations.Core.Identity.Tokens;

/// <summary>A signed access token. <see cref="ToString"/> leaves the token out, so a log line or exception cannot print it.</summary>
/// <param name="Token">The compact JWS.</param>
/// <param name="TokenId">Its <c>jti</c>.</param>
/// <param name="KeyId">The <c>kid</c> of the key that signed it.</param>
/// <param name="IssuedAt">Its <c>iat</c> (whole seconds).</param>
/// <param name="ExpiresAt">Its <c>exp</c> (whole seconds).</param>
public sealed record IssuedAccessToken(string Token, string TokenId, string KeyId, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt)
{
    public override string ToString() => $"IssuedAccessToken {{ TokenId = {TokenId}, KeyId = {KeyId}, ExpiresAt = {ExpiresAt:O} }}";
}
