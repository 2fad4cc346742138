using Integrations.Core.OAuth;
using Integrations.Core.OAuth.Protocol;
using Integrations.Http.OAuth;
using Integrations.Testing.OAuth;

namespace Integrations.Http.Tests.OAuth;

/// <summary>Every grant end to end against a real authorization server (OpenIddict on loopback).</summary>
public sealed class OpenIddictGrantTests(OpenIddictServerFixture fixture) : IClassFixture<OpenIddictServerFixture>
{
    private OpenIddictTestServer Server => fixture.Server;

    private IOAuthProtocol Protocol => fixture.Host.Protocol;

    [Fact]
    public async Task RequestToken_AuthorizationCodeWithPkceAndScriptedUser_IssuesTokensWhoseIdTokenNamesTheUser()
    {
        var (verifier, challenge) = Grants.Pkce();
        var query = await Grants.AuthorizeAsync(Server, OpenIddictTestServer.ClientId, challenge, "state-abc", "nonce-abc");

        var result = await Protocol.RequestTokenAsync(Grants.Token(Server, "authorization_code", Grants.Basic,
            ("code", query["code"]), ("code_verifier", verifier), ("redirect_uri", Server.RedirectUri.AbsoluteUri)));

        Assert.Equal("state-abc", query["state"]);
        Assert.Equal(Server.Issuer.AbsoluteUri, query["iss"]);
        Assert.True(result.IsSuccess, result.Failure?.Description);
        Assert.Equal("Bearer", result.Response.TokenType);
        Assert.NotNull(result.Response.RefreshToken);
        Assert.InRange(result.Response.ExpiresIn!.Value, TimeSpan.FromMinutes(59), TimeSpan.FromMinutes(60));
        var account = await Protocol.ValidateIdTokenAsync(result.Response.IdToken!,
            new IdTokenExpectations(Server.JwksUri, Server.Issuer.AbsoluteUri, OpenIddictTestServer.ClientId, "nonce-abc", "circuit-jwks"));
        Assert.True(account.IsSuccess, account.Error?.Message);
        Assert.Equal((OpenIddictTestServer.UserSubject, OpenIddictTestServer.UserEmail, OpenIddictTestServer.UserDisplayName),
            (account.Value.Subject, account.Value.Email, account.Value.Name));
    }

    [Fact]
    public async Task ValidateIdToken_RealIdTokenWithAnotherNonce_IsRejected()
    {
        var tokens = await Grants.CodeFlowAsync(Server, Protocol, nonce: "the-nonce-sent");

        var account = await Protocol.ValidateIdTokenAsync(tokens.Response!.IdToken!,
            new IdTokenExpectations(Server.JwksUri, Server.Issuer.AbsoluteUri, OpenIddictTestServer.ClientId, "another-nonce", "circuit-jwks"));

        Assert.False(account.IsSuccess);
        Assert.Equal(OAuthProtocolErrors.IdTokenInvalid, account.Error.Code);
        Assert.Contains("nonce", account.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequestToken_CodeWithWrongPkceVerifier_IsInvalidGrant()
    {
        var (_, challenge) = Grants.Pkce();
        var query = await Grants.AuthorizeAsync(Server, OpenIddictTestServer.ClientId, challenge, "s", "n");

        var result = await Protocol.RequestTokenAsync(Grants.Token(Server, "authorization_code", Grants.Basic,
            ("code", query["code"]), ("code_verifier", Grants.Pkce().Verifier), ("redirect_uri", Server.RedirectUri.AbsoluteUri)));

        Assert.False(result.IsSuccess);
        Assert.Equal((OAuthFailureKind.ProtocolError, "invalid_grant"), (result.Failure.Kind, result.Failure.Error));
    }

    [Fact]
    public async Task RequestToken_PublicClientCodeFlow_NeedsNoSecret()
    {
        var (verifier, challenge) = Grants.Pkce();
        var query = await Grants.AuthorizeAsync(Server, OpenIddictTestServer.PublicClientId, challenge, "s", "n", "openid api");

        var result = await Protocol.RequestTokenAsync(Grants.Token(Server, "authorization_code",
            new OAuthClientCredentials(OpenIddictTestServer.PublicClientId, ClientAuthenticationMethod.None),
            ("code", query["code"]), ("code_verifier", verifier), ("redirect_uri", Server.RedirectUri.AbsoluteUri)));

        Assert.True(result.IsSuccess, result.Failure?.Description);
    }

    [Fact]
    public async Task Authorize_UserRefuses_RedirectsWithAccessDenied()
    {
        var server = await OpenIddictTestServer.StartAsync();
        await using var _ = server;
        server.UserDeniesConsent = true;

        var query = await Grants.AuthorizeAsync(server, OpenIddictTestServer.ClientId, Grants.Pkce().Challenge, "s", "n");

        Assert.Equal("access_denied", query["error"]);
        Assert.False(query.ContainsKey("code"));
    }

    [Theory]
    [InlineData(ClientAuthenticationMethod.ClientSecretBasic)]
    [InlineData(ClientAuthenticationMethod.ClientSecretPost)]
    public async Task RequestToken_ClientCredentialsWithSecret_IssuesToken(ClientAuthenticationMethod method)
    {
        var result = await Protocol.RequestTokenAsync(Grants.Token(Server, "client_credentials",
            new OAuthClientCredentials(OpenIddictTestServer.ClientId, method, OpenIddictTestServer.ClientSecret), ("scope", "api")));

        Assert.True(result.IsSuccess, result.Failure?.Description);
        Assert.False(string.IsNullOrEmpty(result.Response.AccessToken));
        Assert.Null(result.Response.RefreshToken);
    }

    [Fact]
    public async Task RequestToken_ClientCredentialsWithPrivateKeyJwt_IssuesToken()
    {
        var result = await Protocol.RequestTokenAsync(Grants.Token(Server, "client_credentials",
            new OAuthClientCredentials(OpenIddictTestServer.JwtClientId, ClientAuthenticationMethod.PrivateKeyJwt, PrivateKeyPem: Server.JwtClientPrivateKeyPem)
            {
                AssertionAudience = Server.Issuer,
            }));

        Assert.True(result.IsSuccess, result.Failure?.Description);
    }

    [Fact]
    public async Task RequestToken_WrongClientSecret_IsInvalidClient()
    {
        var result = await Protocol.RequestTokenAsync(Grants.Token(Server, "client_credentials",
            new OAuthClientCredentials(OpenIddictTestServer.ClientId, ClientAuthenticationMethod.ClientSecretBasic, "not-the-secret")));

        Assert.False(result.IsSuccess);
        Assert.Equal((OAuthFailureKind.ProtocolError, "invalid_client"), (result.Failure.Kind, result.Failure.Error));
    }

    [Fact]
    public async Task RequestToken_Password_IssuesTokenForTheUserAndRefusesAWrongPassword()
    {
        var good = await Protocol.RequestTokenAsync(Grants.Token(Server, "password", Grants.Basic,
            ("username", OpenIddictTestServer.Username), ("password", OpenIddictTestServer.Password), ("scope", "api")));
        var bad = await Protocol.RequestTokenAsync(Grants.Token(Server, "password", Grants.Basic,
            ("username", OpenIddictTestServer.Username), ("password", "wrong password")));

        Assert.True(good.IsSuccess, good.Failure?.Description);
        Assert.Equal("invalid_grant", bad.Failure?.Error);
    }

    [Fact]
    public async Task RequestToken_RefreshRotates_AndTheRotatedTokenIsRefusedWithInvalidGrant()
    {
        var first = await Grants.CodeFlowAsync(Server, Protocol);
        var original = first.Response!.RefreshToken!;

        var refreshed = await Protocol.RequestTokenAsync(Grants.Token(Server, "refresh_token", Grants.Basic, ("refresh_token", original)));
        var reused = await Protocol.RequestTokenAsync(Grants.Token(Server, "refresh_token", Grants.Basic, ("refresh_token", original)));

        Assert.True(refreshed.IsSuccess, refreshed.Failure?.Description);
        Assert.NotNull(refreshed.Response.RefreshToken);
        Assert.NotEqual(original, refreshed.Response.RefreshToken);
        Assert.NotEqual(first.Response.AccessToken, refreshed.Response.AccessToken);
        Assert.False(reused.IsSuccess);
        Assert.Equal((OAuthFailureKind.ProtocolError, "invalid_grant"), (reused.Failure.Kind, reused.Failure.Error));
    }

    [Fact]
    public async Task Revoke_RefreshToken_Succeeds_AndTheTokenNoLongerRefreshes()
    {
        var tokens = await Grants.CodeFlowAsync(Server, Protocol);

        var revoked = await Protocol.RevokeAsync(new RevocationRequest(Server.RevocationEndpoint, Grants.Basic, tokens.Response!.RefreshToken!, "refresh_token", "circuit-revoke"));
        var refresh = await Protocol.RequestTokenAsync(Grants.Token(Server, "refresh_token", Grants.Basic, ("refresh_token", tokens.Response.RefreshToken!)));

        Assert.True(revoked.IsSuccess, revoked.Error?.Message);
        Assert.Equal("invalid_grant", refresh.Failure?.Error);
    }

    [Fact]
    public async Task GetUserInfo_WithTheAccessToken_ReturnsTheUser()
    {
        var tokens = await Grants.CodeFlowAsync(Server, Protocol);

        var account = await Protocol.GetUserInfoAsync(Server.UserInfoEndpoint, tokens.Response!.AccessToken, "circuit-userinfo");

        Assert.True(account.IsSuccess, account.Error?.Message);
        Assert.Equal((OpenIddictTestServer.UserSubject, OpenIddictTestServer.UserEmail), (account.Value.Subject, account.Value.Email));
    }

    [Fact]
    public async Task GetUserInfo_WithAGarbageToken_IsAProviderError()
    {
        var account = await Protocol.GetUserInfoAsync(Server.UserInfoEndpoint, "not-a-token", "circuit-userinfo");

        Assert.False(account.IsSuccess);
        Assert.Equal(OAuthProtocolErrors.ProviderError, account.Error.Code);
    }

    [Fact]
    public async Task DeviceFlow_PendingPollsThenApproval_IssuesToken()
    {
        var authorization = await Protocol.RequestDeviceAuthorizationAsync(
            new DeviceAuthorizationRequest(Server.DeviceAuthorizationEndpoint, Grants.Basic, "openid api", new Dictionary<string, string>(), "circuit-device"));
        Assert.True(authorization.IsSuccess, authorization.Error?.Message);
        var poll = Grants.Token(Server, OAuthProtocol.DeviceCodeGrantType, Grants.Basic, ("device_code", authorization.Value.DeviceCode));

        var pending1 = await Protocol.RequestTokenAsync(poll);
        var pending2 = await Protocol.RequestTokenAsync(poll);
        await Server.ApproveDeviceAsync(authorization.Value.UserCode);
        var granted = await Protocol.RequestTokenAsync(poll);

        Assert.True(authorization.Value.Interval > TimeSpan.Zero);
        Assert.Equal("authorization_pending", pending1.Failure?.Error);
        Assert.Equal("authorization_pending", pending2.Failure?.Error);
        Assert.True(granted.IsSuccess, granted.Failure?.Description);
    }

    [Fact]
    public async Task DeviceFlow_Denied_IsAccessDenied()
    {
        var authorization = await Protocol.RequestDeviceAuthorizationAsync(
            new DeviceAuthorizationRequest(Server.DeviceAuthorizationEndpoint, Grants.Basic, "api", new Dictionary<string, string>(), "circuit-device"));
        Assert.True(authorization.IsSuccess, authorization.Error?.Message);

        await Server.DenyDeviceAsync(authorization.Value.UserCode);
        var result = await Protocol.RequestTokenAsync(Grants.Token(Server, OAuthProtocol.DeviceCodeGrantType, Grants.Basic, ("device_code", authorization.Value.DeviceCode)));

        Assert.Equal((OAuthFailureKind.ProtocolError, "access_denied"), (result.Failure?.Kind, result.Failure?.Error));
    }

    [Fact]
    public async Task RequestToken_TokenExchangeOfAnIssuedAccessToken_IssuesToken()
    {
        var tokens = await Grants.CodeFlowAsync(Server, Protocol);

        var exchanged = await Protocol.RequestTokenAsync(Grants.Token(Server, OAuthProtocol.TokenExchangeGrantType, Grants.Basic,
            ("subject_token", tokens.Response!.AccessToken), ("subject_token_type", "urn:ietf:params:oauth:token-type:access_token"), ("scope", "api")));

        Assert.True(exchanged.IsSuccess, exchanged.Failure?.Description);
        Assert.NotEqual(tokens.Response.AccessToken, exchanged.Response.AccessToken);
    }

    [Fact]
    public async Task RequestToken_JwtBearerAssertion_IssuesTokenAndABadAssertionIsInvalidGrant()
    {
        var good = await Protocol.RequestTokenAsync(Grants.Token(Server, OpenIddictTestServer.JwtBearerGrantType, Grants.Basic,
            ("assertion", Server.CreateJwtBearerAssertion("service-account-7"))));
        var bad = await Protocol.RequestTokenAsync(Grants.Token(Server, OpenIddictTestServer.JwtBearerGrantType, Grants.Basic,
            ("assertion", Server.CreateJwtBearerAssertion("service-account-7", TimeSpan.FromMinutes(-10)))));

        Assert.True(good.IsSuccess, good.Failure?.Description);
        Assert.Equal("invalid_grant", bad.Failure?.Error);
    }

    [Theory]
    [InlineData(".well-known/openid-configuration")]
    [InlineData(".well-known/oauth-authorization-server")]
    public async Task Discovery_BothWellKnownDocuments_NameTheIssuerAndItsEndpoints(string path)
    {
        using var http = new HttpClient();

        using var document = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync(new Uri(Server.Issuer, path)));

        var root = document.RootElement;
        Assert.Equal(Server.Issuer.AbsoluteUri, root.GetProperty("issuer").GetString());
        Assert.Equal(Server.TokenEndpoint.AbsoluteUri, root.GetProperty("token_endpoint").GetString());
        Assert.Equal(Server.DeviceAuthorizationEndpoint.AbsoluteUri, root.GetProperty("device_authorization_endpoint").GetString());
        Assert.Equal(Server.JwksUri.AbsoluteUri, root.GetProperty("jwks_uri").GetString());
        Assert.True(root.GetProperty("authorization_response_iss_parameter_supported").GetBoolean());
    }

    [Fact]
    public async Task TokenRequestCounts_CountEachGrantType()
    {
        var server = await OpenIddictTestServer.StartAsync(new OpenIddictTestServerOptions { AccessTokenLifetime = TimeSpan.FromMinutes(2) });
        await using var _ = server;

        var first = await Grants.CodeFlowAsync(server, Protocol);
        await Protocol.RequestTokenAsync(Grants.Token(server, "refresh_token", Grants.Basic, ("refresh_token", first.Response!.RefreshToken!)));
        await Protocol.RequestTokenAsync(Grants.Token(server, "client_credentials", Grants.Basic));

        Assert.Equal(1, server.TokenRequests("authorization_code"));
        Assert.Equal(1, server.TokenRequests("refresh_token"));
        Assert.Equal(1, server.TokenRequests("client_credentials"));
        Assert.InRange(first.Response.ExpiresIn!.Value, TimeSpan.FromSeconds(100), TimeSpan.FromMinutes(2));
    }
}
