using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Integrations.Core.Identity.Tokens;

/// <summary>
/// Issues user access tokens: a compact JWS (RFC 7515) signed ES256 (RFC 7518 §3.4: the IEEE P1363 form, r‖s, 64 bytes)
/// by the current signing key, with header <c>{"alg":"ES256","kid":…,"typ":"at+jwt"}</c> (RFC 9068 §2.1) and the claims
/// <c>iss</c>, <c>aud</c>, <c>sub</c>, <c>org</c>, <c>role</c>, <c>sid</c>, <c>jti</c>, <c>iat</c>, <c>exp</c>.
/// </summary>
public sealed class AccessTokenIssuer(AccessTokenSigningKeys keys, IOptions<AccessTokenOptions> options, TimeProvider time)
{
    private const int TokenIdBytes = 16;

    /// <summary>Signs a token for <paramref name="claims"/>, valid for <see cref="AccessTokenOptions.AccessTokenLifetime"/> from now.</summary>
    /// <exception cref="ArgumentException">A claim is empty.</exception>
    public async ValueTask<IssuedAccessToken> IssueAsync(AccessTokenClaims claims, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(claims);
        foreach (var (value, name) in new[] { (claims.UserId, "sub"), (claims.OrganizationId, "org"), (claims.Role, "role"), (claims.SessionId, "sid") })
        {
            if (string.IsNullOrEmpty(value))
            {
                throw new ArgumentException($"The access token claim '{name}' must not be empty.", nameof(claims));
            }
        }

        var set = await keys.GetAsync(cancellationToken).ConfigureAwait(false);
        var key = set.Signer;
        var settings = options.Value;
        var issuer = settings.Issuer
            ?? throw new InvalidOperationException("Auth:Issuer is required to issue access tokens: set it, or Hub:PublicBaseUrl, which it defaults to.");
        var issuedAt = DateTimeOffset.FromUnixTimeSeconds(time.GetUtcNow().ToUnixTimeSeconds());
        var expiresAt = issuedAt + TimeSpan.FromSeconds(Math.Floor(settings.AccessTokenLifetime.TotalSeconds));
        var tokenId = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(TokenIdBytes));

        var payload = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(payload))
        {
            json.WriteStartObject();
            json.WriteString("iss", issuer);
            json.WriteString("aud", settings.Audience);
            json.WriteString("sub", claims.UserId);
            json.WriteString("org", claims.OrganizationId);
            json.WriteString("role", claims.Role);
            json.WriteString("sid", claims.SessionId);
            json.WriteString("jti", tokenId);
            json.WriteNumber("iat", issuedAt.ToUnixTimeSeconds());
            json.WriteNumber("exp", expiresAt.ToUnixTimeSeconds());
            json.WriteEndObject();
        }

        var signingInput = key.EncodedHeader + "." + Base64Url.EncodeToString(payload.WrittenSpan);
        // SignData's default signature format for ECDsa is IEEE P1363 (r‖s), which JWS requires (RFC 7518 §3.4).
        var signature = key.Key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256);
        var token = signingInput + "." + Base64Url.EncodeToString(signature);
        return new IssuedAccessToken(token, tokenId, key.Id, issuedAt, expiresAt);
    }
}
