using System.Security.Claims;
using System.Security.Cryptography;
using Duende.IdentityModel.Client;
using Integrations.Core.OAuth;
using Integrations.Core.OAuth.Protocol;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Integrations.Http.OAuth;

/// <summary>
/// Puts the hub's client authentication on a Duende protocol request (RFC 6749 §2.3, RFC 7523 §2.2).
/// <list type="bullet">
/// <item><c>client_secret_basic</c>: Duende's <see cref="BasicAuthenticationHeaderStyle.Rfc6749"/> header, which
/// form-urlencodes id and secret before joining them with ':' (RFC 6749 §2.3.1: a secret with ':', '+', '%' or a space
/// survives), unlike the plain RFC 2617 style.</item>
/// <item><c>client_secret_post</c>: <c>client_id</c> and <c>client_secret</c> in the form body.</item>
/// <item><c>none</c>: <c>client_id</c> only (a public client; PKCE protects the code).</item>
/// <item><c>private_key_jwt</c>: <c>client_id</c>, and a fresh client assertion signed with the PEM key
/// (<c>typ</c> <c>client-authentication+jwt</c>, <c>iss</c> = <c>sub</c> = client id, <c>aud</c> = the issuer when the
/// credentials name it, else the endpoint, a random <c>jti</c>, a 60-second lifetime).</item>
/// </list>
/// </summary>
internal static class ClientAuthentication
{
    /// <summary>RFC 7523 §2.2.</summary>
    public const string JwtBearerAssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    /// <summary>The explicit JWT type of client assertions (draft-ietf-oauth-rfc7523bis §4; RFC 8725 §3.11), which OpenIddict 7 requires.</summary>
    public const string AssertionTokenType = "client-authentication+jwt";

    /// <summary>Short: an assertion is single use and made for one request; the provider's clock may lag a little (nbf = iat).</summary>
    public static readonly TimeSpan AssertionLifetime = TimeSpan.FromSeconds(60);

    public static void Apply(ProtocolRequest request, OAuthClientCredentials client, Uri endpoint, TimeProvider time)
    {
        request.ClientId = client.ClientId;
        switch (client.Method)
        {
            case ClientAuthenticationMethod.ClientSecretBasic:
                request.ClientSecret = Require(client.ClientSecret, client.Method);
                request.ClientCredentialStyle = ClientCredentialStyle.AuthorizationHeader;
                request.AuthorizationHeaderStyle = BasicAuthenticationHeaderStyle.Rfc6749;
                break;
            case ClientAuthenticationMethod.ClientSecretPost:
                request.ClientSecret = Require(client.ClientSecret, client.Method);
                request.ClientCredentialStyle = ClientCredentialStyle.PostBody;
                break;
            case ClientAuthenticationMethod.None:
                request.ClientCredentialStyle = ClientCredentialStyle.PostBody;
                break;
            case ClientAuthenticationMethod.PrivateKeyJwt:
                request.ClientCredentialStyle = ClientCredentialStyle.PostBody;
                request.ClientAssertion = new ClientAssertion
                {
                    Type = JwtBearerAssertionType,
                    Value = CreateAssertion(client.ClientId, Require(client.PrivateKeyPem, client.Method), client.AssertionAudience ?? endpoint, time),
                };
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(client), client.Method, "Unknown client authentication method.");
        }
    }

    /// <summary>An RFC 7523 client assertion for <paramref name="audience"/>, signed with the PEM's RSA or EC key.</summary>
    public static string CreateAssertion(string clientId, string privateKeyPem, Uri audience, TimeProvider time)
    {
        using var key = SigningKey.FromPem(privateKeyPem);
        var now = time.GetUtcNow().UtcDateTime;
        var descriptor = new SecurityTokenDescriptor
        {
            TokenType = AssertionTokenType,
            Issuer = clientId,
            Audience = audience.AbsoluteUri,
            Subject = new ClaimsIdentity([new Claim(JwtRegisteredClaimNames.Sub, clientId)]),
            Claims = new Dictionary<string, object>(StringComparer.Ordinal)
            {
                [JwtRegisteredClaimNames.Jti] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
            },
            IssuedAt = now,
            NotBefore = now,
            Expires = now + AssertionLifetime,
            SigningCredentials = key.Credentials,
        };
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }

    private static string Require(string? value, ClientAuthenticationMethod method) =>
        string.IsNullOrEmpty(value)
            ? throw new ArgumentException($"Client authentication {method} needs its {(method == ClientAuthenticationMethod.PrivateKeyJwt ? "private key" : "client secret")}.", nameof(value))
            : value;

    /// <summary>The PEM's key as signing credentials; disposing it disposes the key (no provider cache keeps it).</summary>
    private sealed class SigningKey : IDisposable
    {
        private readonly AsymmetricAlgorithm _algorithm;

        private SigningKey(AsymmetricAlgorithm algorithm, AsymmetricSecurityKey key, string signatureAlgorithm)
        {
            _algorithm = algorithm;
            // No cached signature provider may outlive the disposed key.
            key.CryptoProviderFactory = new CryptoProviderFactory { CacheSignatureProviders = false };
            // RFC 7638 thumbprint as kid: providers that hold several keys for a client pick the right one.
            key.KeyId = Base64UrlEncoder.Encode(key.ComputeJwkThumbprint());
            Credentials = new SigningCredentials(key, signatureAlgorithm);
        }

        public SigningCredentials Credentials { get; }

        public static SigningKey FromPem(string pem)
        {
            if (pem.Contains("EC PRIVATE KEY", StringComparison.Ordinal) || IsEcPkcs8(pem))
            {
                var ecdsa = ECDsa.Create();
                try
                {
                    ecdsa.ImportFromPem(pem);
                    var algorithm = ecdsa.KeySize switch
                    {
                        256 => SecurityAlgorithms.EcdsaSha256,
                        384 => SecurityAlgorithms.EcdsaSha384,
                        521 => SecurityAlgorithms.EcdsaSha512,
                        _ => throw new ArgumentException("The EC private key must be on P-256, P-384 or P-521.", nameof(pem)),
                    };
                    return new SigningKey(ecdsa, new ECDsaSecurityKey(ecdsa), algorithm);
                }
                catch
                {
                    ecdsa.Dispose();
                    throw;
                }
            }

            var rsa = RSA.Create();
            try
            {
                rsa.ImportFromPem(pem);
                return new SigningKey(rsa, new RsaSecurityKey(rsa), SecurityAlgorithms.RsaSha256);
            }
            catch
            {
                rsa.Dispose();
                throw;
            }
        }

        public void Dispose() => _algorithm.Dispose();

        private static bool IsEcPkcs8(string pem)
        {
            // A PKCS#8 "PRIVATE KEY" may hold either; try EC without keeping it.
            using var probe = ECDsa.Create();
            try
            {
                probe.ImportFromPem(pem);
                return true;
            }
            catch (CryptographicException)
            {
                return false;
            }
            catch (ArgumentException)
            {
                return false;
            }
        }
    }
}
