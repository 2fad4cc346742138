using Integrations.Core.OAuth;
using Integrations.Core.OAuth.Protocol;
using Integrations.Http.OAuth;
using Integrations.Testing.OAuth;

namespace Integrations.Http.Tests.OAuth;

/// <summary>
/// No token, code, verifier or secret in any log line the protocol client (and the outbound client under it) writes,
/// nor in any failure description: every flow is run on a host of its own, then its captured logs are searched for
/// every credential the flows handled.
/// </summary>
public sealed class CredentialLeakTests
{
    [Fact]
    public async Task EveryGrantAgainstOpenIddict_LeavesNoCredentialInLogsOrFailures()
    {
        await using var server = await OpenIddictTestServer.StartAsync();
        await using var host = OAuthTestHost.Create();
        var protocol = host.Protocol;
        var credentials = new List<string> { OpenIddictTestServer.ClientSecret, OpenIddictTestServer.Password };
        var failures = new List<OAuthFailure>();

        var (verifier, challenge) = Grants.Pkce();
        var query = await Grants.AuthorizeAsync(server, OpenIddictTestServer.ClientId, challenge, "state", "nonce");
        credentials.AddRange([verifier, query["code"]]);
        var tokens = await protocol.RequestTokenAsync(Grants.Token(server, "authorization_code", Grants.Basic,
            ("code", query["code"]), ("code_verifier", verifier), ("redirect_uri", server.RedirectUri.AbsoluteUri)));
        credentials.AddRange([tokens.Response!.AccessToken, tokens.Response.RefreshToken!, tokens.Response.IdToken!]);
        // The code again (single use) and a wrong verifier: failures whose descriptions must not quote them.
        failures.Add((await protocol.RequestTokenAsync(Grants.Token(server, "authorization_code", Grants.Basic,
            ("code", query["code"]), ("code_verifier", verifier), ("redirect_uri", server.RedirectUri.AbsoluteUri)))).Failure!);
        var refreshed = await protocol.RequestTokenAsync(Grants.Token(server, "refresh_token", Grants.Basic, ("refresh_token", tokens.Response.RefreshToken!)));
        credentials.AddRange([refreshed.Response!.AccessToken, refreshed.Response.RefreshToken!]);
        failures.Add((await protocol.RequestTokenAsync(Grants.Token(server, "refresh_token", Grants.Basic, ("refresh_token", tokens.Response.RefreshToken!)))).Failure!);
        var password = await protocol.RequestTokenAsync(Grants.Token(server, "password", Grants.Post,
            ("username", OpenIddictTestServer.Username), ("password", OpenIddictTestServer.Password)));
        credentials.Add(password.Response!.AccessToken);
        failures.Add((await protocol.RequestTokenAsync(Grants.Token(server, "client_credentials",
            new OAuthClientCredentials(OpenIddictTestServer.ClientId, ClientAuthenticationMethod.ClientSecretPost, "wrong-secret-9f8e7d")))).Failure!);
        credentials.Add("wrong-secret-9f8e7d");
        var device = await protocol.RequestDeviceAuthorizationAsync(
            new DeviceAuthorizationRequest(server.DeviceAuthorizationEndpoint, Grants.Basic, "api", new Dictionary<string, string>(), "circuit-device"));
        credentials.Add(device.Value!.DeviceCode);
        failures.Add((await protocol.RequestTokenAsync(Grants.Token(server, OAuthProtocol.DeviceCodeGrantType, Grants.Basic, ("device_code", device.Value.DeviceCode)))).Failure!);
        await protocol.GetUserInfoAsync(server.UserInfoEndpoint, refreshed.Response.AccessToken, "circuit-userinfo");
        await protocol.ValidateIdTokenAsync(tokens.Response.IdToken!, new IdTokenExpectations(server.JwksUri, server.Issuer.AbsoluteUri, OpenIddictTestServer.ClientId, "wrong-nonce", "circuit-jwks"));
        await protocol.RevokeAsync(new RevocationRequest(server.RevocationEndpoint, Grants.Basic, refreshed.Response.RefreshToken!, "refresh_token", "circuit-revoke"));

        Assert.All(failures, Assert.NotNull);
        Assert.NotEmpty(host.Logs.Entries);
        AssertNoneAppear(credentials, host.AllLogText, failures);
    }

    [Fact]
    public async Task ScriptedFailuresAndSuccesses_LeaveNoCredentialInLogsOrFailures()
    {
        await using var endpoint = await ScriptedTokenEndpoint.StartAsync();
        await using var host = OAuthTestHost.Create();
        const string secret = "client-secret-4b3a2918";
        const string refreshToken = "refresh-token-77aa66bb";
        const string issuedAccess = "issued-access-token-1234";
        const string issuedRefresh = "issued-refresh-token-5678";
        var client = new OAuthClientCredentials("client", ClientAuthenticationMethod.ClientSecretPost, secret);
        endpoint.Enqueue(
            ScriptedResponse.OAuthError("invalid_grant", $"{refreshToken} is not valid for client secret {secret}"),
            ScriptedResponse.Empty(429, ("Retry-After", "300")),
            new ScriptedResponse(200, "{oops " + refreshToken),
            ScriptedResponse.Token(issuedAccess, refreshToken: issuedRefresh));

        var results = new List<TokenResult>();
        for (var i = 0; i < 4; i++)
        {
            results.Add(await host.Protocol.RequestTokenAsync(new TokenRequest(endpoint.TokenEndpoint, client, "refresh_token",
                new Dictionary<string, string> { ["refresh_token"] = refreshToken }, "circuit")));
        }

        Assert.True(results[3].IsSuccess);
        AssertNoneAppear([secret, refreshToken, issuedAccess, issuedRefresh], host.AllLogText, [.. results.Take(3).Select(r => r.Failure!)]);
    }

    private static void AssertNoneAppear(IEnumerable<string> credentials, string logs, IReadOnlyList<OAuthFailure> failures)
    {
        foreach (var credential in credentials)
        {
            Assert.False(logs.Contains(credential, StringComparison.Ordinal), $"A credential ({credential.Length} chars) appears in the logs.");
            foreach (var failure in failures)
            {
                Assert.False(failure.Description.Contains(credential, StringComparison.Ordinal), $"A credential appears in the failure '{failure.Kind}'.");
                Assert.False(failure.ToString().Contains(credential, StringComparison.Ordinal));
            }
        }
    }
}
