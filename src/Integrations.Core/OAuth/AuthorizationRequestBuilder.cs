using System.Buffers.Text;
using System.Security.Cryptography;
using Duende.IdentityModel.Client;
using Integrations.Core.Common;

namespace Integrations.Core.OAuth;

/// <summary>
/// Builds a provider's authorization URL with Duende.IdentityModel's <see cref="RequestUrl"/>: <c>response_type=code</c>,
/// <c>client_id</c>, <c>redirect_uri</c>, the scopes joined by the provider's separator, a fresh <c>state</c> (256 bits),
/// the PKCE S256 challenge when the provider uses PKCE, a <c>nonce</c> when <c>openid</c> is asked for (OpenID Connect
/// Core §3.1.2.1), and the provider's extra authorization parameters (which can never replace a protocol parameter).
/// </summary>
public static class AuthorizationRequestBuilder
{
    /// <summary>
    /// The request for <paramref name="provider"/> with <paramref name="endpoints"/> (its effective endpoints,
    /// <see cref="ProviderMetadataCache"/>). <paramref name="scopes"/> null: the provider's default scopes.
    /// </summary>
    public static Result<AuthorizationRequest> Build(OAuthProvider provider, ProviderEndpoints endpoints, Uri redirectUri, IReadOnlyList<string>? scopes = null)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(redirectUri);
        if (endpoints.Authorization is null)
        {
            return HubError.Invalid(ProviderErrors.MissingEndpoints, "The provider has no authorization endpoint: it cannot be used for the authorization code grant.", "endpoints.authorization");
        }

        var requested = (scopes ?? provider.DefaultScopes).Distinct(StringComparer.Ordinal).ToList();
        if (ProviderRules.ValidateScopes(requested, provider.ScopeSeparator) is { } invalid)
        {
            return invalid with { Field = "scopes" };
        }

        var state = RandomToken();
        var pkce = provider.UsePkce ? Pkce.Create() : null;
        var nonce = requested.Contains("openid", StringComparer.Ordinal) ? RandomToken() : null;

        // Stored parameters were checked on write; they are checked here again so that no row, however it was
        // written, can override a protocol parameter. Extras go first and protocol parameters replace any duplicate.
        var extra = new Parameters();
        foreach (var (name, value) in provider.ExtraAuthorizationParameters)
        {
            if (!ProviderRules.ProtocolParameters.Contains(name))
            {
                extra.Add(name, value);
            }
        }

        var url = new RequestUrl(endpoints.Authorization.AbsoluteUri).CreateAuthorizeUrl(
            clientId: provider.ClientId,
            responseType: "code",
            scope: requested.Count == 0 ? null : string.Join(provider.ScopeSeparator, requested),
            redirectUri: redirectUri.AbsoluteUri,
            state: state,
            nonce: nonce,
            codeChallenge: pkce?.CodeChallenge,
            codeChallengeMethod: pkce is null ? null : Pkce.Method,
            extra: extra);
        return new AuthorizationRequest(new Uri(url), state, pkce?.CodeVerifier, nonce, requested);
    }

    /// <summary>32 random bytes, base64url: 256 bits for state and nonce.</summary>
    private static string RandomToken()
    {
        Span<byte> random = stackalloc byte[32];
        RandomNumberGenerator.Fill(random);
        return Base64Url.EncodeToString(random);
    }
}
