using System.Security.Cryptography;
using System.Text;
using Duende.IdentityModel.Client;
using Integrations.Core.OAuth;
using Integrations.Core.OAuth.Protocol;
using Integrations.Testing.OAuth;
using Microsoft.AspNetCore.WebUtilities;
using TokenRequest = Integrations.Core.OAuth.Protocol.TokenRequest;

namespace Integrations.Http.Tests.OAuth;

/// <summary>One OpenIddict server and one protocol host per test class.</summary>
public sealed class OpenIddictServerFixture : IAsyncLifetime
{
    public OpenIddictTestServer Server { get; private set; } = null!;

    internal OAuthTestHost Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await OpenIddictTestServer.StartAsync();
        Host = OAuthTestHost.Create();
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await Server.DisposeAsync();
    }
}

/// <summary>Requests as the connection layer will build them, against <see cref="OpenIddictTestServer"/>.</summary>
internal static class Grants
{
    public static OAuthClientCredentials Basic => new(OpenIddictTestServer.ClientId, ClientAuthenticationMethod.ClientSecretBasic, OpenIddictTestServer.ClientSecret);

    public static OAuthClientCredentials Post => new(OpenIddictTestServer.ClientId, ClientAuthenticationMethod.ClientSecretPost, OpenIddictTestServer.ClientSecret);

    public static TokenRequest Token(OpenIddictTestServer server, string grantType, OAuthClientCredentials client, params (string Name, string Value)[] parameters) =>
        new(server.TokenEndpoint, client, grantType, parameters.ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal), "circuit-" + grantType);

    /// <summary>A PKCE pair (RFC 7636 §4.1–4.2): a 43-character verifier and its S256 challenge.</summary>
    public static (string Verifier, string Challenge) Pkce()
    {
        var verifier = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        return (verifier, WebEncoders.Base64UrlEncode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))));
    }

    /// <summary>Runs the browser leg with the scripted user and returns the redirect's query (code, state, iss).</summary>
    public static async Task<Dictionary<string, string>> AuthorizeAsync(OpenIddictTestServer server, string clientId, string challenge, string state, string nonce, string scope = "openid email profile offline_access api")
    {
        var url = new RequestUrl(server.AuthorizationEndpoint.AbsoluteUri).CreateAuthorizeUrl(
            clientId, "code", scope, server.RedirectUri.AbsoluteUri, state, nonce, codeChallenge: challenge, codeChallengeMethod: "S256");
        var redirect = await server.AuthorizeAsync(new Uri(url));
        return QueryHelpers.ParseQuery(redirect.Query).ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.Ordinal);
    }

    /// <summary>Authorization code + PKCE end to end: the token response of the code's redemption.</summary>
    public static async Task<TokenResult> CodeFlowAsync(OpenIddictTestServer server, IOAuthProtocol protocol, string nonce = "nonce-1")
    {
        var (verifier, challenge) = Pkce();
        var query = await AuthorizeAsync(server, OpenIddictTestServer.ClientId, challenge, "state-1", nonce);
        return await protocol.RequestTokenAsync(Token(server, "authorization_code", Basic,
            ("code", query["code"]), ("code_verifier", verifier), ("redirect_uri", server.RedirectUri.AbsoluteUri)));
    }
}
