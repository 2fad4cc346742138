using System.Text.Json;
using Integrations.Core.OAuth;
using Integrations.Core.OAuth.Protocol;
using Integrations.Testing.OAuth;

namespace Integrations.Http.Tests.OAuth;

/// <summary>Each answer a provider may give, scripted, and the failure class (or response) the hub reads from it.</summary>
public sealed class FailureClassificationTests : IAsyncLifetime
{
    private const string RefreshToken = "rt-0123456789-secret-refresh";
    private static readonly OAuthClientCredentials Client = new("client", ClientAuthenticationMethod.ClientSecretBasic, "client-secret-value");

    private ScriptedTokenEndpoint _endpoint = null!;
    private OAuthTestHost _host = null!;

    public async Task InitializeAsync()
    {
        _endpoint = await ScriptedTokenEndpoint.StartAsync();
        _host = OAuthTestHost.Create();
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _endpoint.DisposeAsync();
    }

    [Theory]
    [InlineData("slow_down")]
    [InlineData("authorization_pending")]
    [InlineData("expired_token")]
    [InlineData("access_denied")]
    [InlineData("invalid_grant")]
    public async Task RequestToken_OAuthErrorJson_IsProtocolErrorWithItsCode(string error)
    {
        _endpoint.Enqueue(ScriptedResponse.OAuthError(error, "told you so"));

        var result = await RefreshAsync();

        Assert.Equal((OAuthFailureKind.ProtocolError, error, 400), (result.Failure?.Kind, result.Failure?.Error, result.Failure?.StatusCode));
        Assert.Contains("told you so", result.Failure!.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequestToken_ErrorWithStatus200_IsStillAProtocolError()
    {
        // GitHub answers a bad code with 200 {"error":"bad_verification_code"}.
        _endpoint.Enqueue(ScriptedResponse.OAuthError("bad_verification_code", status: 200));

        var result = await RefreshAsync();

        Assert.Equal((OAuthFailureKind.ProtocolError, "bad_verification_code"), (result.Failure?.Kind, result.Failure?.Error));
    }

    [Fact]
    public async Task RequestToken_ResponseWithoutExpiresIn_SucceedsWithNoExpiry()
    {
        _endpoint.Enqueue(ScriptedResponse.Token(expiresIn: null));

        var result = await RefreshAsync();

        Assert.True(result.IsSuccess);
        Assert.Null(result.Response.ExpiresIn);
    }

    [Fact]
    public async Task RequestToken_ExpiresInAsString_IsRead()
    {
        _endpoint.Enqueue(new ScriptedResponse(200, """{"access_token":"a","token_type":"bearer","expires_in":"3600"}"""));

        var result = await RefreshAsync();

        Assert.Equal((TimeSpan.FromHours(1), "Bearer"), (result.Response?.ExpiresIn, result.Response?.TokenType));
    }

    [Fact]
    public async Task RequestToken_ExpiresInNotANumber_IsMalformed()
    {
        _endpoint.Enqueue(new ScriptedResponse(200, """{"access_token":"a","token_type":"Bearer","expires_in":"soon"}"""));

        var result = await RefreshAsync();

        Assert.Equal(OAuthFailureKind.MalformedResponse, result.Failure?.Kind);
    }

    [Fact]
    public async Task RequestToken_CommaSeparatedScope_IsSplitIntoGrantedScopes()
    {
        _endpoint.Enqueue(ScriptedResponse.Token(scope: "repo,gist, read:org"));

        var result = await RefreshAsync();

        Assert.Equal("repo,gist, read:org", result.Response?.Scope);
        Assert.Equal(["repo", "gist", "read:org"], result.Response!.GrantedScopes);
    }

    [Fact]
    public async Task RequestToken_RotatedRefreshToken_IsReturned()
    {
        _endpoint.Enqueue(ScriptedResponse.Token(refreshToken: "rt-rotated"));

        var result = await RefreshAsync();

        Assert.Equal("rt-rotated", result.Response?.RefreshToken);
    }

    [Fact]
    public async Task RequestToken_ExtraMembers_KeepsPlainValuesButNothingThatMayBeACredential()
    {
        _endpoint.Enqueue(ScriptedResponse.Json(new Dictionary<string, object>
        {
            ["access_token"] = "a",
            ["token_type"] = "Bearer",
            ["instance_url"] = "https://eu1.example.test",
            ["bot_user_id"] = "U1",
            ["authed_user"] = new Dictionary<string, string> { ["access_token"] = "nested-user-token" },
            ["team_access_token"] = "other-token",
            ["issued_token_type"] = "urn:ietf:params:oauth:token-type:access_token",
        }));

        var result = await RefreshAsync();

        var extra = result.Response!.Extra;
        Assert.Equal("https://eu1.example.test", extra["instance_url"]);
        Assert.Equal("U1", extra["bot_user_id"]);
        Assert.Equal("urn:ietf:params:oauth:token-type:access_token", extra["issued_token_type"]);
        Assert.False(extra.ContainsKey("authed_user"));
        Assert.False(extra.ContainsKey("team_access_token"));
    }

    [Fact]
    public async Task RequestToken_429WithRetryAfter_IsTransientWithTheDelay()
    {
        _endpoint.Enqueue(ScriptedResponse.Empty(429, ("Retry-After", "120")));

        var result = await RefreshAsync();

        Assert.Equal((OAuthFailureKind.Transient, 429, TimeSpan.FromSeconds(120)), (result.Failure?.Kind, result.Failure?.StatusCode, result.Failure?.RetryAfter));
    }

    [Fact]
    public async Task RequestToken_5xxOnRefresh_IsTransientAfterOneAttempt()
    {
        _endpoint.SetDefault("/token", new ScriptedResponse(502, "<html>bad gateway</html>", "text/html"));

        var result = await RefreshAsync();

        Assert.Equal((OAuthFailureKind.Transient, 502), (result.Failure?.Kind, result.Failure?.StatusCode));
        Assert.Equal(1, _endpoint.RequestCount);
    }

    [Fact]
    public async Task RequestToken_5xxOnClientCredentials_IsRetriedOnce()
    {
        _endpoint.Enqueue(ScriptedResponse.Empty(503), ScriptedResponse.Token());

        var result = await _host.Protocol.RequestTokenAsync(new TokenRequest(_endpoint.TokenEndpoint, Client, "client_credentials", new Dictionary<string, string>(), "circuit-cc"));

        Assert.True(result.IsSuccess);
        Assert.Equal(2, _endpoint.RequestCount);
    }

    [Fact]
    public async Task RequestToken_NotJson_IsMalformed()
    {
        _endpoint.Enqueue(new ScriptedResponse(200, "{\"access_token\": \"a\", oops"));

        var result = await RefreshAsync();

        Assert.Equal((OAuthFailureKind.MalformedResponse, 200), (result.Failure?.Kind, result.Failure?.StatusCode));
    }

    [Fact]
    public async Task RequestToken_JsonArray_IsMalformed()
    {
        _endpoint.Enqueue(new ScriptedResponse(200, "[1,2,3]"));

        var result = await RefreshAsync();

        Assert.Equal(OAuthFailureKind.MalformedResponse, result.Failure?.Kind);
    }

    [Fact]
    public async Task RequestToken_NoAccessToken_IsMalformed()
    {
        _endpoint.Enqueue(ScriptedResponse.Json(new { token_type = "Bearer", expires_in = 3600 }));

        var result = await RefreshAsync();

        Assert.Equal(OAuthFailureKind.MalformedResponse, result.Failure?.Kind);
        Assert.Contains("access_token", result.Failure!.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequestToken_HtmlErrorPage_IsMalformed()
    {
        _endpoint.Enqueue(new ScriptedResponse(404, "<html>not here</html>", "text/html"));

        var result = await RefreshAsync();

        Assert.Equal((OAuthFailureKind.MalformedResponse, 404), (result.Failure?.Kind, result.Failure?.StatusCode));
    }

    [Fact]
    public async Task RequestToken_BodyOverTheTokenCap_IsMalformedThoughUnderTheGlobalCap()
    {
        var padding = new string('x', 100 * 1024);
        _endpoint.Enqueue(new ScriptedResponse(200, JsonSerializer.Serialize(new { access_token = "a", token_type = "Bearer", padding })));

        var result = await RefreshAsync();

        Assert.Equal(OAuthFailureKind.MalformedResponse, result.Failure?.Kind);
        Assert.Contains("larger", result.Failure!.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequestToken_ErrorDescriptionQuotingTheRefreshToken_HasItCutOut()
    {
        _endpoint.Enqueue(ScriptedResponse.OAuthError("invalid_grant", $"refresh token {RefreshToken} was revoked; secret client-secret-value"));

        var result = await RefreshAsync();

        Assert.DoesNotContain(RefreshToken, result.Failure!.Description, StringComparison.Ordinal);
        Assert.DoesNotContain("client-secret-value", result.Failure.Description, StringComparison.Ordinal);
        Assert.Contains("[redacted]", result.Failure.Description, StringComparison.Ordinal);
        Assert.DoesNotContain(RefreshToken, _host.AllLogText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequestToken_ProviderTooSlow_IsTransient()
    {
        await using var host = OAuthTestHost.Create(settings: new Dictionary<string, string?> { ["Timeout"] = "00:00:01", ["ConnectTimeout"] = "00:00:01" });
        _endpoint.Enqueue(ScriptedResponse.Token() with { Delay = TimeSpan.FromSeconds(5) });

        var result = await host.Protocol.RequestTokenAsync(RefreshRequest("circuit-slow"));

        Assert.Equal(OAuthFailureKind.Transient, result.Failure?.Kind);
    }

    [Fact]
    public async Task RequestToken_LoopbackNotAllowed_IsRefusedAndSendsNothing()
    {
        await using var host = OAuthTestHost.Create(allowLoopback: false);

        var result = await host.Protocol.RequestTokenAsync(RefreshRequest("circuit-guard"));

        Assert.Equal(OAuthFailureKind.Refused, result.Failure?.Kind);
        Assert.Equal(0, _endpoint.RequestCount);
    }

    [Fact]
    public async Task RequestToken_AfterRepeatedFailures_IsRefusedByTheOpenCircuit_WhileOtherConnectionsStillWork()
    {
        await using var host = OAuthTestHost.Create(settings: new Dictionary<string, string?> { ["CircuitBreaker:MinimumThroughput"] = "2" });
        _endpoint.Enqueue(ScriptedResponse.Empty(500), ScriptedResponse.Empty(500), ScriptedResponse.Token());

        await host.Protocol.RequestTokenAsync(RefreshRequest("connection-a"));
        await host.Protocol.RequestTokenAsync(RefreshRequest("connection-a"));
        var refused = await host.Protocol.RequestTokenAsync(RefreshRequest("connection-a"));
        var other = await host.Protocol.RequestTokenAsync(RefreshRequest("connection-b"));

        Assert.Equal(OAuthFailureKind.Refused, refused.Failure?.Kind);
        Assert.NotNull(refused.Failure!.RetryAfter);
        Assert.True(other.IsSuccess);
        Assert.Equal(3, _endpoint.RequestCount);
    }

    [Fact]
    public async Task RequestDeviceAuthorization_GoogleStyleVerificationUrl_IsReadWithTheDefaultInterval()
    {
        _endpoint.Enqueue("/device", ScriptedResponse.Json(new { device_code = "dc-1", user_code = "ABCD-EFGH", verification_url = "https://example.test/device", expires_in = 1800 }));

        var result = await _host.Protocol.RequestDeviceAuthorizationAsync(DeviceRequest());

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal(("ABCD-EFGH", new Uri("https://example.test/device"), TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(30)),
            (result.Value.UserCode, result.Value.VerificationUri, result.Value.Interval, result.Value.ExpiresIn));
    }

    [Fact]
    public async Task RequestDeviceAuthorization_WithoutVerificationUri_IsAnInvalidResponse()
    {
        _endpoint.Enqueue("/device", ScriptedResponse.Json(new { device_code = "dc-1", user_code = "ABCD", expires_in = 1800 }));

        var result = await _host.Protocol.RequestDeviceAuthorizationAsync(DeviceRequest());

        Assert.Equal(OAuthProtocolErrors.ProviderResponseInvalid, result.Error?.Code);
    }

    [Fact]
    public async Task Revoke_ServerError_IsUnavailable_AndAnOAuthErrorIsAProviderError()
    {
        _endpoint.Enqueue("/revoke", ScriptedResponse.Empty(503), ScriptedResponse.Empty(503), ScriptedResponse.OAuthError("unsupported_token_type"));

        var unavailable = await _host.Protocol.RevokeAsync(new RevocationRequest(_endpoint.Url("/revoke"), Client, RefreshToken, "refresh_token", "circuit-r"));
        var refused = await _host.Protocol.RevokeAsync(new RevocationRequest(_endpoint.Url("/revoke"), Client, RefreshToken, "refresh_token", "circuit-r"));

        Assert.Equal(OAuthProtocolErrors.ProviderUnavailable, unavailable.Error?.Code);
        Assert.Equal(OAuthProtocolErrors.ProviderError, refused.Error?.Code);
        Assert.Contains("unsupported_token_type", refused.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetUserInfo_401WithBearerError_IsAProviderError()
    {
        _endpoint.Enqueue("/userinfo", ScriptedResponse.Empty(401, ("WWW-Authenticate", "Bearer error=\"invalid_token\"")), ScriptedResponse.Empty(401, ("WWW-Authenticate", "Bearer error=\"invalid_token\"")));

        var result = await _host.Protocol.GetUserInfoAsync(_endpoint.Url("/userinfo"), "at-secret-value", "circuit-u");

        Assert.Equal(OAuthProtocolErrors.ProviderError, result.Error?.Code);
        Assert.Contains("invalid_token", result.Error!.Message, StringComparison.Ordinal);
    }

    private static TokenRequest RefreshRequest(ScriptedTokenEndpoint endpoint, string circuitKey) =>
        new(endpoint.TokenEndpoint, Client, "refresh_token", new Dictionary<string, string> { ["refresh_token"] = RefreshToken }, circuitKey);

    private TokenRequest RefreshRequest(string circuitKey) => RefreshRequest(_endpoint, circuitKey);

    private DeviceAuthorizationRequest DeviceRequest() => new(_endpoint.Url("/device"), Client, "scope-a", new Dictionary<string, string>(), "circuit-d");

    private Task<TokenResult> RefreshAsync() => _host.Protocol.RequestTokenAsync(RefreshRequest("circuit"));
}
