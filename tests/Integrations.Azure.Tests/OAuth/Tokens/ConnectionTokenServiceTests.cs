using Azure.Data.Tables;
using Integrations.Core.Connections;
using Integrations.Core.OAuth.Protocol;
using Integrations.Core.OAuth.Tokens;
using Integrations.Core.Vault;
using Integrations.Testing;

namespace Integrations.Azure.Tests.OAuth.Tokens;

/// <summary>The token lifecycle over real storage (Azurite: the vault's tables, blob leases) with a scripted provider.</summary>
public sealed class ConnectionTokenServiceTests
{
    private static readonly TimeSpan Expired = TimeSpan.FromMinutes(-1);

    private readonly ScriptedOAuthProtocol _protocol = new();
    private readonly InMemoryStateWriter _states = new();
    private readonly FixedClientResolver _clients = new();

    [Fact]
    public async Task StoreGrant_Tokens_AreSealedAtRestAndReadBack()
    {
        var logs = new LogSink();
        await using var hub = await TokenHub.StartAsync(_protocol, _states, _clients, logs);
        var connection = await hub.NewConnectionAsync();
        var access = "at-" + TestRandom.Hex(16);
        var refresh = "rt-" + TestRandom.Hex(16);

        var state = await hub.Tokens.StoreGrantAsync(connection, new TokenResponse(access, "Bearer", TimeSpan.FromHours(1), refresh, "read", null), null, "usr_tester");
        var token = await hub.Tokens.GetAsync(connection);

        Assert.True(state.IsSuccess);
        Assert.Equal(ConnectionStatus.Active, state.Value.Status);
        Assert.Equal("usr_tester", state.Value.AuthorizedBy);
        Assert.Equal(access, token.Value!.Value);
        Assert.Equal(0, _protocol.TokenRequests);
        var secret = await hub.Vault.GetAsync(TokenSecrets.LocationOf(connection));
        Assert.Equal(SecretAuthTypes.OAuthToken, secret.Value!.AuthType);
        var rows = new List<string>();
        await foreach (var row in new TableClient(hub.Services.ConnectionString, hub.Services.Prefix + "secrets").QueryAsync<TableEntity>())
        {
            rows.Add(string.Join("|", row.Select(p => p.Value is byte[] bytes ? System.Text.Encoding.UTF8.GetString(bytes) + Convert.ToBase64String(bytes) : p.Value?.ToString())));
        }

        Assert.NotEmpty(rows);
        Assert.DoesNotContain(rows, r => r.Contains(access, StringComparison.Ordinal) || r.Contains(refresh, StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Lines, l => l.Contains(access, StringComparison.Ordinal) || l.Contains(refresh, StringComparison.Ordinal));
        Assert.DoesNotContain(access, token.Value.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_FreshToken_SendsNoTokenRequest()
    {
        await using var hub = await TokenHub.StartAsync(_protocol, _states, _clients);
        var connection = await hub.NewConnectionAsync();
        await hub.SeedAsync(connection, "fresh", "rt", TimeSpan.FromHours(1), TimeSpan.FromMinutes(55));

        var token = await hub.Tokens.GetAsync(connection);

        Assert.Equal("fresh", token.Value!.Value);
        Assert.Equal(0, _protocol.TokenRequests);
    }

    [Fact]
    public async Task Get_HundredConcurrentCallersOnExpiredToken_SendOneTokenRequest()
    {
        var logs = new LogSink();
        await using var hub = await TokenHub.StartAsync(_protocol, _states, _clients, logs);
        var connection = await hub.NewConnectionAsync();
        await hub.SeedAsync(connection, "old", "rt-1", Expired, Expired);
        _protocol.Answer = (_, _) => Task.FromResult(TokenResult.Success(new TokenResponse("new", "Bearer", TimeSpan.FromHours(1), "rt-2", null, null)));

        var tokens = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => hub.Tokens.GetAsync(connection)));

        Assert.All(tokens, t => Assert.Equal("new", t.Value?.Value));
        Assert.Equal(1, _protocol.TokenRequests);
        Assert.Equal(1, hub.Locks.Attempts); // in-process single flight: the 99 others joined the first caller's refresh
        var request = Assert.Single(_protocol.Requests);
        Assert.Equal("refresh_token", request.GrantType);
        Assert.Equal("rt-1", request.Parameters["refresh_token"]);
        Assert.Equal(connection.Id, request.CircuitKey);
        Assert.DoesNotContain(logs.Lines, l => l.Contains("rt-1", StringComparison.Ordinal) || l.Contains("rt-2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Get_RotatedRefreshToken_IsStoredBeforeTheAccessTokenIsHandedOut()
    {
        await using var hub = await TokenHub.StartAsync(_protocol, _states, _clients);
        var connection = await hub.NewConnectionAsync();
        await hub.SeedAsync(connection, "old", "rt-1", Expired, Expired);
        TokenSet? storedWhenAnswered = null;
        _protocol.Answer = (_, _) => Task.FromResult(TokenResult.Success(new TokenResponse("new", "Bearer", TimeSpan.FromHours(1), "rt-2", null, null)));

        var token = await hub.Tokens.GetAsync(connection);
        storedWhenAnswered = await hub.StoredAsync(connection);

        Assert.Equal("new", token.Value!.Value);
        Assert.Equal("rt-2", storedWhenAnswered!.RefreshToken);
        Assert.Equal("new", storedWhenAnswered.AccessToken);
        Assert.NotNull(_states.StateOf(connection.Id).LastRefreshedAt);
        Assert.Equal(storedWhenAnswered.RefreshAt, _states.StateOf(connection.Id).NextRefreshAt);
    }

    [Fact]
    public async Task Get_RefreshWithoutNewRefreshToken_KeepsTheOldOne()
    {
        await using var hub = await TokenHub.StartAsync(_protocol, _states, _clients);
        var connection = await hub.NewConnectionAsync();
        await hub.SeedAsync(connection, "old", "rt-kept", Expired, Expired);

        await hub.Tokens.GetAsync(connection);

        Assert.Equal("rt-kept", (await hub.StoredAsync(connection))!.RefreshToken);
    }

    [Fact]
    public async Task Get_TwoInstancesOnOneStorage_SendOneTokenRequest_AndAllCallersGetTheWinnersToken()
    {
        var rootKey = HubServices.NewRootKey();
        await using var first = await TokenHub.StartAsync(_protocol, _states, _clients, rootKey: rootKey);
        await using var second = await TokenHub.StartAsync(_protocol, _states, _clients, prefix: first.Services.Prefix, rootKey: rootKey);
        var connection = await first.NewConnectionAsync();
        await first.SeedAsync(connection, "old", "rt-1", Expired, Expired);
        _protocol.Delay = TimeSpan.FromMilliseconds(800);

        var calls = Enumerable.Range(0, 40).Select(i => (i % 2 == 0 ? first : second).Tokens.GetAsync(connection)).ToList();
        var tokens = await Task.WhenAll(calls);

        Assert.Equal(1, _protocol.TokenRequests);
        var winner = (await first.StoredAsync(connection))!.AccessToken;
        Assert.StartsWith("access-1-", winner, StringComparison.Ordinal);
        Assert.All(tokens, t => Assert.Equal(winner, t.Value?.Value));
    }

    [Fact]
    public async Task Get_InstanceGetsTheLockAfterAnotherRefreshed_ReReadsAndSendsNoRequest()
    {
        var rootKey = HubServices.NewRootKey();
        await using var first = await TokenHub.StartAsync(_protocol, _states, _clients, rootKey: rootKey);
        await using var second = await TokenHub.StartAsync(_protocol, _states, _clients, prefix: first.Services.Prefix, rootKey: rootKey);
        var connection = await first.NewConnectionAsync();
        await first.SeedAsync(connection, "old", "rt-1", Expired, Expired);
        // The second instance read the expired token, then reaches the lock only after the first has refreshed and let go.
        second.Locks.Latency = TimeSpan.FromSeconds(2);

        var tokens = await Task.WhenAll(first.Tokens.GetAsync(connection), second.Tokens.GetAsync(connection));

        Assert.Equal(1, _protocol.TokenRequests);
        Assert.Equal(tokens[0].Value!.Value, tokens[1].Value!.Value);
    }

    [Fact]
    public async Task Get_LockHeldElsewhere_TokenInsideItsSkewIsServedAtOnce()
    {
        await using var hub = await TokenHub.StartAsync(_protocol, _states, _clients);
        var connection = await hub.NewConnectionAsync();
        await hub.SeedAsync(connection, "in-skew", "rt-1", TimeSpan.FromMinutes(3), Expired);
        await using var elsewhere = await hub.Locks.TryAcquireAsync(ConnectionTokenService.LockName(connection));

        var token = await hub.Tokens.GetAsync(connection);

        Assert.NotNull(elsewhere);
        Assert.Equal("in-skew", token.Value!.Value);
        Assert.Equal(0, _protocol.TokenRequests);
    }

    [Fact]
    public async Task Get_ExpiredTokenAndLockHeldElsewhereTooLong_AnswersRefreshPending()
    {
        await using var hub = await TokenHub.StartAsync(_protocol, _states, _clients, settings: new Dictionary<string, string?> { ["OAuth:RefreshWaitTimeout"] = "00:00:01" });
        var connection = await hub.NewConnectionAsync();
        await hub.SeedAsync(connection, "expired", "rt-1", Expired, Expired);
        // Another instance holds the refresh lock and never finishes (it hangs; its lease would expire within a minute).
        await using var elsewhere = await hub.Locks.TryAcquireAsync(ConnectionTokenService.LockName(connection));

        var token = await hub.Tokens.GetAsync(connection);

        Assert.Equal(TokenErrors.RefreshPending, token.Error?.Code);
        Assert.Equal(0, _protocol.TokenRequests);
    }

    [Fact]
    public async Task Get_TokenSecretAtItsVersionLimit_IsCreatedAgainAndKeepsRefreshing()
    {
        await using var hub = await TokenHub.StartAsync(_protocol, _states, _clients, settings: new Dictionary<string, string?> { ["Vault:MaxVersionsPerSecret"] = "2" });
        var connection = await hub.NewConnectionAsync();
        await hub.SeedAsync(connection, "v1", "rt-1", Expired, Expired);
        _protocol.Delay = TimeSpan.Zero;
        _protocol.Answer = (_, n) => Task.FromResult(TokenResult.Success(new TokenResponse($"refreshed-{n}", "Bearer", TimeSpan.FromHours(1), $"rt-{n + 1}", null, null)));

        var tokens = new List<string?>();
        for (var i = 0; i < 4; i++)
        {
            tokens.Add((await hub.Tokens.GetAsync(connection, forceRefresh: true)).Value?.Value);
        }

        Assert.Equal(["refreshed-1", "refreshed-2", "refreshed-3", "refreshed-4"], tokens);
        Assert.Equal("rt-5", (await hub.StoredAsync(connection))!.RefreshToken);
        Assert.Equal(["rt-1", "rt-2", "rt-3", "rt-4"], _protocol.Requests.Select(r => r.Parameters["refresh_token"]));
    }

    [Fact]
    public async Task Get_AnotherWriterStoresTokensDuringTheRefresh_LosesTheSwapAndReturnsTheWinnersToken()
    {
        await using var hub = await TokenHub.StartAsync(_protocol, _states, _clients);
        var connection = await hub.NewConnectionAsync();
        await hub.SeedAsync(connection, "old", "rt-1", Expired, Expired);
        _protocol.Answer = async (_, _) =>
        {
            // A new grant (a user reconnecting) lands while the refresh is at the provider.
            await hub.Tokens.StoreGrantAsync(connection, new TokenResponse("granted", "Bearer", TimeSpan.FromHours(1), "rt-granted", null, null), null, "usr_x");
            return TokenResult.Success(new TokenResponse("refreshed", "Bearer", TimeSpan.FromHours(1), "rt-2", null, null));
        };

        var token = await hub.Tokens.GetAsync(connection);

        Assert.Equal("granted", token.Value!.Value);
        var stored = await hub.StoredAsync(connection);
        Assert.Equal("granted", stored!.AccessToken);
        Assert.Equal("rt-granted", stored.RefreshToken);
        Assert.Equal(1, _protocol.TokenRequests);
    }

    [Fact]
    public async Task Get_InvalidGrant_MovesToNeedsReauthOnce_WithoutRetryStorm()
    {
        var rootKey = HubServices.NewRootKey();
        await using var first = await TokenHub.StartAsync(_protocol, _states, _clients, rootKey: rootKey);
        await using var second = await TokenHub.StartAsync(_protocol, _states, _clients, prefix: first.Services.Prefix, rootKey: rootKey);
        var connection = await first.NewConnectionAsync();
        await first.SeedAsync(connection, "old", "rt-revoked", Expired, Expired);
        _protocol.Answer = ScriptedOAuthProtocol.Fails(OAuthFailureKind.ProtocolError, "invalid_grant", 400);

        var concurrent = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => (i % 2 == 0 ? first : second).Tokens.GetAsync(connection)));
        var later = new List<Core.Common.Result<Core.OAuth.Tokens.AccessToken>>();
        for (var i = 0; i < 5; i++)
        {
            later.Add(await first.Tokens.GetAsync(connection));
            later.Add(await second.Tokens.GetAsync(connection, forceRefresh: true));
        }

        Assert.All(concurrent.Concat(later), r => Assert.Equal(TokenErrors.NeedsReauth, r.Error?.Code));
        Assert.Equal(1, _protocol.TokenRequests);
        Assert.Equal(1, _states.ChangesTo(ConnectionStatus.NeedsReauth));
        Assert.Contains("invalid_grant", _states.StateOf(connection.Id).StatusReason, StringComparison.Ordinal);
        Assert.NotNull((await first.StoredAsync(connection))!.ReauthReason);
    }

    [Fact]
    public async Task StoreGrant_AfterNeedsReauth_ActivatesAgainAndRefreshes()
    {
        await using var hub = await TokenHub.StartAsync(_protocol, _states, _clients);
        var connection = await hub.NewConnectionAsync();
        await hub.SeedAsync(connection, "old", "rt-revoked", Expired, Expired);
        _protocol.Answer = ScriptedOAuthProtocol.Fails(OAuthFailureKind.ProtocolError, "invalid_grant", 400);
        await hub.Tokens.GetAsync(connection);

        await hub.Tokens.StoreGrantAsync(connection, new TokenResponse("again", "Bearer", TimeSpan.FromHours(1), "rt-new", null, null), null, "usr_x");
        var token = await hub.Tokens.GetAsync(connection);

        Assert.Equal("again", token.Value!.Value);
        Assert.Equal(ConnectionStatus.Active, _states.StateOf(connection.Id).Status);
    }

    [Fact]
    public async Task Get_TransientFailure_MovesToRefreshFailing_AndServesTheCurrentTokenWhileValid()
    {
        await using var hub = await TokenHub.StartAsync(_protocol, _states, _clients);
        var connection = await hub.NewConnectionAsync();
        await hub.SeedAsync(connection, "still-valid", "rt-1", TimeSpan.FromMinutes(3), Expired);
        _protocol.Answer = ScriptedOAuthProtocol.Fails(OAuthFailureKind.Transient, null, 503);

        var token = await hub.Tokens.GetAsync(connection);

        Assert.Equal("still-valid", token.Value!.Value);
        Assert.Equal(ConnectionStatus.RefreshFailing, _states.StateOf(connection.Id).Status);
        Assert.Contains("503", _states.StateOf(connection.Id).LastError, StringComparison.Ordinal);
        Assert.Equal("rt-1", (await hub.StoredAsync(connection))!.RefreshToken);
    }

    [Fact]
    public async Task Get_TransientFailureOnExpiredToken_AnswersRefreshFailed_AndRecoversLater()
    {
        await using var hub = await TokenHub.StartAsync(_protocol, _states, _clients);
        var connection = await hub.NewConnectionAsync();
        await hub.SeedAsync(connection, "expired", "rt-1", Expired, Expired);
        _protocol.Answer = ScriptedOAuthProtocol.Fails(OAuthFailureKind.Transient, null, 503);

        var failed = await hub.Tokens.GetAsync(connection);
        _protocol.Answer = (_, _) => Task.FromResult(TokenResult.Success(new TokenResponse("recovered", "Bearer", TimeSpan.FromHours(1), null, null, null)));
        var recovered = await hub.Tokens.GetAsync(connection);

        Assert.Equal(TokenErrors.RefreshFailed, failed.Error?.Code);
        Assert.Equal("recovered", recovered.Value!.Value);
        Assert.Equal(ConnectionStatus.Active, _states.StateOf(connection.Id).Status);
        Assert.Equal([ConnectionStatus.RefreshFailing, ConnectionStatus.Active], _states.StatusChanges.Select(c => c.To));
    }

    [Fact]
    public async Task RefreshAfterRejection_StaleRejectedToken_ReturnsTheStoredOneWithoutRefresh()
    {
        await using var hub = await TokenHub.StartAsync(_protocol, _states, _clients);
        var connection = await hub.NewConnectionAsync();
        await hub.SeedAsync(connection, "current", "rt-1", TimeSpan.FromHours(1), TimeSpan.FromMinutes(55));

        var token = await hub.Tokens.RefreshAfterRejectionAsync(connection, "replaced-earlier");

        Assert.Equal("current", token.Value!.Value);
        Assert.Equal(0, _protocol.TokenRequests);
    }

    [Fact]
    public async Task RefreshAfterRejection_ManyCallersRejectingTheStoredToken_RefreshOnce()
    {
        await using var hub = await TokenHub.StartAsync(_protocol, _states, _clients);
        var connection = await hub.NewConnectionAsync();
        await hub.SeedAsync(connection, "rejected", "rt-1", TimeSpan.FromHours(1), TimeSpan.FromMinutes(55));

        var tokens = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => hub.Tokens.RefreshAfterRejectionAsync(connection, "rejected")));
        var late = await hub.Tokens.RefreshAfterRejectionAsync(connection, "rejected");

        Assert.Equal(1, _protocol.TokenRequests);
        Assert.All(tokens.Append(late), t => Assert.StartsWith("access-1-", t.Value?.Value, StringComparison.Ordinal));
    }

    [Fact]
    public async Task StoreGrant_WithoutExpiresIn_AssumesTheConfiguredDefaultLifetime()
    {
        await using var hub = await TokenHub.StartAsync(_protocol, _states, _clients, settings: new Dictionary<string, string?> { ["OAuth:DefaultTokenLifetime"] = "00:20:00" });
        var connection = await hub.NewConnectionAsync();
        var before = TimeProvider.System.GetUtcNow();

        await hub.Tokens.StoreGrantAsync(connection, new TokenResponse("no-expiry", "Bearer", null, null, null, null), null, "usr_x");
        var stored = await hub.StoredAsync(connection);

        Assert.True(stored!.ExpiryAssumed);
        Assert.InRange(stored.ExpiresAt, before + TimeSpan.FromMinutes(20), TimeProvider.System.GetUtcNow() + TimeSpan.FromMinutes(20));
        Assert.Equal(stored.ExpiresAt - _clients.Provider.RefreshSkew, stored.RefreshAt);
        Assert.Equal(stored.ExpiresAt, _states.StateOf(connection.Id).ExpiresAt);
    }

    [Fact]
    public async Task StoreGrant_WithoutExpiresIn_PrefersTheProvidersDefaultLifetime()
    {
        _clients.Provider = _clients.Provider with { DefaultTokenLifetime = TimeSpan.FromHours(8) };
        await using var hub = await TokenHub.StartAsync(_protocol, _states, _clients);
        var connection = await hub.NewConnectionAsync();
        var before = TimeProvider.System.GetUtcNow();

        await hub.Tokens.StoreGrantAsync(connection, new TokenResponse("no-expiry", "Bearer", null, null, null, null), null, "usr_x");

        Assert.InRange((await hub.StoredAsync(connection))!.ExpiresAt, before + TimeSpan.FromHours(8), TimeProvider.System.GetUtcNow() + TimeSpan.FromHours(8));
    }

    [Fact]
    public async Task StoreGrant_CommaSeparatedNarrowerScopes_AreNormalised_AndScopesInsufficient()
    {
        await using var hub = await TokenHub.StartAsync(_protocol, _states, _clients);
        var connection = await hub.NewConnectionAsync(scopes: ["repo", "user", "admin:org"]);

        var state = await hub.Tokens.StoreGrantAsync(connection, new TokenResponse("t", "bearer", TimeSpan.FromHours(1), null, "repo,user", null), null, "usr_x");

        Assert.Equal(ConnectionStatus.ScopesInsufficient, state.Value!.Status);
        Assert.Equal(["repo", "user"], state.Value.GrantedScopes);
        Assert.Contains("admin:org", state.Value.StatusReason, StringComparison.Ordinal);
        Assert.Equal(["repo", "user"], (await hub.Tokens.GetAsync(connection)).Value!.Scopes);
    }

    [Fact]
    public async Task Get_ClientCredentialsConnectionWithoutTokens_GetsANewGrant()
    {
        await using var hub = await TokenHub.StartAsync(_protocol, _states, _clients);
        var connection = await hub.NewConnectionAsync(ConnectionType.OAuth2ClientCredentials, ["api.read", "api.write"]);

        var token = await hub.Tokens.GetAsync(connection);

        Assert.StartsWith("access-1-", token.Value!.Value, StringComparison.Ordinal);
        var request = Assert.Single(_protocol.Requests);
        Assert.Equal("client_credentials", request.GrantType);
        Assert.Equal("api.read api.write", request.Parameters["scope"]);
        Assert.Equal(token.Value.Value, (await hub.StoredAsync(connection))!.AccessToken);
    }

    [Fact]
    public async Task Get_ClientCredentialsRefusedAsInvalidClient_NeedsReauthWithoutAskingAgain()
    {
        await using var hub = await TokenHub.StartAsync(_protocol, _states, _clients);
        var connection = await hub.NewConnectionAsync(ConnectionType.OAuth2ClientCredentials);
        _protocol.Answer = ScriptedOAuthProtocol.Fails(OAuthFailureKind.ProtocolError, "invalid_client", 401);

        var first = await hub.Tokens.GetAsync(connection);
        // Callers read the connection afresh each time (the token endpoint and the proxy do): it now says needs_reauth.
        var later = await hub.Tokens.GetAsync(connection with { State = _states.StateOf(connection.Id) });

        Assert.Equal(TokenErrors.NeedsReauth, first.Error?.Code);
        Assert.Equal(TokenErrors.NeedsReauth, later.Error?.Code);
        Assert.Equal(1, _protocol.TokenRequests);
        Assert.Equal(ConnectionStatus.NeedsReauth, _states.StateOf(connection.Id).Status);
    }

    [Fact]
    public async Task Start_DefaultTokenLifetimeOutOfBounds_FailsValidation()
    {
        await using var hub = await TokenHub.StartAsync(_protocol, _states, _clients, settings: new Dictionary<string, string?> { ["OAuth:DefaultTokenLifetime"] = "00:00:10" });

        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => hub.Services.Get<Microsoft.Extensions.Options.IOptions<TokenLifecycleOptions>>().Value);

        Assert.Contains("DefaultTokenLifetime", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_AuthorizationCodeConnectionWithoutTokens_IsNotConnected()
    {
        await using var hub = await TokenHub.StartAsync(_protocol, _states, _clients);
        var connection = (await hub.NewConnectionAsync()) with { State = ConnectionState.New };

        var token = await hub.Tokens.GetAsync(connection);

        Assert.Equal(TokenErrors.NotConnected, token.Error?.Code);
        Assert.Equal(0, _protocol.TokenRequests);
    }

    [Fact]
    public async Task Get_TokenSetOfAnotherConnection_IsRefused()
    {
        // Someone with secrets:write puts connection A's token document into connection B's token secret.
        await using var hub = await TokenHub.StartAsync(_protocol, _states, _clients);
        var a = await hub.NewConnectionAsync();
        var b = a with { Id = Core.Common.Ids.New("con") };
        await hub.SeedAsync(a, "token-of-a", "rt-a", TimeSpan.FromHours(1), TimeSpan.FromMinutes(55));
        var documentOfA = (await hub.Vault.RevealAsync(TokenSecrets.LocationOf(a), null)).Value!.Value;
        var project = await hub.Services.ProjectAsync(b.OrganizationId, b.ProjectId);
        await hub.Vault.CreateAsync(project, TokenSecrets.NameFor(b.Id), new SecretInput(documentOfA, null, null), "attacker");

        var token = await hub.Tokens.GetAsync(b with { State = ConnectionState.New });

        Assert.Equal(TokenErrors.NotConnected, token.Error?.Code);
    }

    [Fact]
    public async Task Revoke_RevokesRefreshThenAccessToken_AndForgetsThemForGood()
    {
        await using var hub = await TokenHub.StartAsync(_protocol, _states, _clients);
        var connection = await hub.NewConnectionAsync();
        await hub.SeedAsync(connection, "at-1", "rt-1", TimeSpan.FromHours(1), TimeSpan.FromMinutes(55));

        var outcome = await hub.Tokens.RevokeAsync(connection, "usr_x");

        Assert.True(outcome.ProviderConfirmed);
        Assert.Equal([("rt-1", "refresh_token"), ("at-1", "access_token")], _protocol.Revocations.Select(r => (r.Token, r.TokenTypeHint)));
        Assert.Equal(ConnectionStatus.Revoked, _states.StateOf(connection.Id).Status);
        // Purged, not soft-deleted: no row of the secret is left, so the name is free and nothing can restore it.
        var rows = 0;
        await foreach (var unused in new TableClient(hub.Services.ConnectionString, hub.Services.Prefix + "secrets").QueryAsync<TableEntity>())
        {
            rows++;
        }

        Assert.Equal(0, rows);
        Assert.Equal(TokenErrors.NotConnected, (await hub.Tokens.GetAsync(connection with { State = _states.StateOf(connection.Id) })).Error?.Code);
    }

    [Fact]
    public async Task Revoke_ProviderWithoutRevocationEndpoint_SaysSo_AndStillForgets()
    {
        _clients.Endpoints = _clients.Endpoints with { Revocation = null };
        await using var hub = await TokenHub.StartAsync(_protocol, _states, _clients);
        var connection = await hub.NewConnectionAsync();
        await hub.SeedAsync(connection, "at-1", "rt-1", TimeSpan.FromHours(1), TimeSpan.FromMinutes(55));

        var outcome = await hub.Tokens.RevokeAsync(connection, "usr_x");

        Assert.False(outcome.ProviderConfirmed);
        Assert.Contains("no revocation endpoint", outcome.Detail, StringComparison.Ordinal);
        Assert.Empty(_protocol.Revocations);
        Assert.Null(await hub.StoredAsync(connection));
    }

    [Fact]
    public async Task Revoke_ProviderFails_IsNotConfirmed()
    {
        _protocol.RevocationSucceeds = false;
        await using var hub = await TokenHub.StartAsync(_protocol, _states, _clients);
        var connection = await hub.NewConnectionAsync();
        await hub.SeedAsync(connection, "at-1", "rt-1", TimeSpan.FromHours(1), TimeSpan.FromMinutes(55));

        var outcome = await hub.Tokens.RevokeAsync(connection, "usr_x");

        Assert.False(outcome.ProviderConfirmed);
        Assert.Null(await hub.StoredAsync(connection));
    }

    [Fact]
    public async Task Get_NonOAuthOrDisabledConnection_IsRefused()
    {
        await using var hub = await TokenHub.StartAsync(_protocol, _states, _clients);
        var connection = await hub.NewConnectionAsync();

        var apiKey = await hub.Tokens.GetAsync(connection with { Type = ConnectionType.ApiKey });
        var disabled = await hub.Tokens.GetAsync(connection with { Enabled = false });

        Assert.Equal(TokenErrors.NotOAuth, apiKey.Error?.Code);
        Assert.Equal(TokenErrors.Disabled, disabled.Error?.Code);
    }
}
