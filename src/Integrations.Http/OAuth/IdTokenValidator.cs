using System.Security.Cryptography;
using System.Text;
using Integrations.Core.Common;
using Integrations.Core.Connections;
using Integrations.Core.OAuth.Protocol;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Integrations.Http.OAuth;

/// <summary>
/// OpenID Connect Core §3.1.3.7 id token validation: an asymmetric signature by a key of the provider's JWKS (never
/// <c>alg: none</c>, never HMAC: a public key must not double as a shared secret), <c>iss</c> equal to the issuer,
/// <c>aud</c> containing the client id, the <c>nonce</c> sent with the authorization request, and <c>exp</c>/<c>nbf</c>
/// on the injected clock (two minutes' skew). Rejections name the check that failed, never the token.
/// </summary>
internal sealed class IdTokenValidator(JwksCache jwks, TimeProvider time, ILogger<IdTokenValidator> logger)
{
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(2);

    private static readonly string[] AllowedAlgorithms =
    [
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
        SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512,
    ];

    private readonly JsonWebTokenHandler _handler = new();

    public async Task<Result<ConnectedAccount>> ValidateAsync(string idToken, IdTokenExpectations expectations, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(expectations);
        JsonWebToken token;
        try
        {
            token = new JsonWebToken(idToken);
        }
        catch (ArgumentException)
        {
            return Reject(expectations, "it is not a signed JWT");
        }

        if (!AllowedAlgorithms.Contains(token.Alg, StringComparer.Ordinal))
        {
            return Reject(expectations, $"its algorithm '{Printable(token.Alg)}' is not an allowed asymmetric signature algorithm");
        }

        var keys = await jwks.GetAsync(expectations.JwksUri, expectations.CircuitKey, token.Kid, cancellationToken).ConfigureAwait(false);
        if (!keys.IsSuccess)
        {
            return keys.Error;
        }

        var result = await _handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = expectations.Issuer,
            ValidAudience = expectations.ClientId,
            IssuerSigningKeys = keys.Value,
            ValidAlgorithms = AllowedAlgorithms,
            RequireSignedTokens = true,
            // Lifetime is checked below on the injected clock (the handler's own check reads the system clock).
            ValidateLifetime = false,
            RequireExpirationTime = false,
            ValidateTokenReplay = false,
        }).ConfigureAwait(false);
        if (!result.IsValid)
        {
            return Reject(expectations, Reason(result.Exception));
        }

        var now = time.GetUtcNow().UtcDateTime;
        if (!token.TryGetPayloadValue<long>("exp", out _))
        {
            return Reject(expectations, "it has no expiry");
        }

        if (token.ValidTo + ClockSkew <= now)
        {
            return Reject(expectations, "it has expired");
        }

        if (token.TryGetPayloadValue<long>("nbf", out _) && token.ValidFrom - ClockSkew > now)
        {
            return Reject(expectations, "it is not valid yet");
        }

        if (!token.TryGetPayloadValue<string>("nonce", out var nonce) || !FixedTimeEquals(nonce, expectations.Nonce))
        {
            return Reject(expectations, "its nonce is not the one sent with the authorization request");
        }

        if (string.IsNullOrEmpty(token.Subject))
        {
            return Reject(expectations, "it has no sub");
        }

        return new ConnectedAccount(token.Subject, Claim(token, "email"), Claim(token, "name"));
    }

    private static string? Claim(JsonWebToken token, string name) => token.TryGetPayloadValue<string>(name, out var value) ? value : null;

    private static bool FixedTimeEquals(string actual, string expected) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(actual), Encoding.UTF8.GetBytes(expected));

    private static string Reason(Exception? exception) => exception switch
    {
        SecurityTokenInvalidIssuerException => "its issuer is not the provider's",
        SecurityTokenInvalidAudienceException => "its audience is not this client",
        SecurityTokenSignatureKeyNotFoundException => "it is signed by a key the provider's key set does not have",
        SecurityTokenInvalidSignatureException => "its signature is not valid",
        SecurityTokenInvalidAlgorithmException => "its algorithm is not allowed",
        _ => "it is not a valid id token",
    };

    private static string Printable(string text) => new([.. text.Take(20).Select(c => char.IsControl(c) ? '?' : c)]);

    private HubError Reject(IdTokenExpectations expectations, string reason)
    {
        OAuthLog.IdTokenRejected(logger, expectations.Issuer, reason);
        return HubError.Invalid(OAuthProtocolErrors.IdTokenInvalid, $"The id token was rejected: {reason}.");
    }
}
