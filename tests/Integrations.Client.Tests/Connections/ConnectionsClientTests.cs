using Integrations.Client.Connections;
using Integrations.Client.Secrets;
using Microsoft.Extensions.Time.Testing;

namespace Integrations.Client.Tests.Connections;

/// <summary>Connections against the Server process, and the access-token cache counted where it matters: at the hub (its audit of the token route).</summary>
[Collection(HubServerGroup.Name)]
public sealed class ConnectionsClientTests(HubServer hub)
{
    private const string TokenAction = "connection.token";

    [Fact]
    public async Task CreateGetListStatus_BearerConnection_ByIdAndByName()
    {
        // Arrange
        var tenant = await hub.NewTenantAsync();
        using var client = hub.Client(tenant);
        await client.Secrets.CreateAsync(tenant.ProjectId, new NewSecret("gh-token", "ghp_abc") { AuthType = "bearer" });

        // Act
        var created = await client.Connections.CreateAsync(tenant.ProjectId, new NewConnection("github-api", "bearer")
        {
            BaseUrl = "https://api.github.com", SecretRefs = new Dictionary<string, string> { ["token"] = "gh-token" },
        });
        var byId = await client.Connections.GetAsync(tenant.ProjectId, created.Id);
        var byName = await client.Connections.GetAsync(tenant.ProjectId, "github-api");
        var listed = await client.Connections.ListAsync(tenant.ProjectId);
        var status = await client.Connections.GetStatusAsync(tenant.ProjectId, "github-api");

        // Assert
        Assert.StartsWith(ConnectionsClient.IdPrefix, created.Id, StringComparison.Ordinal);
        Assert.Equal("bearer", created.Type);
        Assert.Equal(created.Id, byId.Id);
        Assert.Equal(created.Id, byName.Id);
        Assert.Equal("gh-token", byName.SecretRefs["token"]);
        Assert.Equal([created.Id], listed.Data.Select(c => c.Id));
        Assert.Equal(created.Id, status.Id);
        Assert.Equal("active", status.Status);
    }

    [Fact]
    public async Task Get_UnknownName_ThrowsNotFoundException()
    {
        var tenant = await hub.NewTenantAsync();
        using var client = hub.Client(tenant);

        var error = await Assert.ThrowsAsync<HubNotFoundException>(() => client.Connections.GetAsync(tenant.ProjectId, "no-such-connection"));

        Assert.Equal("connection", error.Field);
    }

    [Fact]
    public async Task Authorize_AuthorizationCodeConnection_ReturnsTheProvidersUrlAndTheHubsStartUrl()
    {
        // Arrange
        var tenant = await hub.NewTenantAsync();
        var provider = await hub.NewProviderAsync(tenant);
        using var client = hub.Client(tenant);
        var connection = await client.Connections.CreateAsync(tenant.ProjectId, new NewConnection("idp-user", "oauth2_authorization_code") { ProviderId = provider, Scopes = ["api"] });

        // Act
        var start = await client.Connections.AuthorizeAsync(tenant.ProjectId, "idp-user");

        // Assert
        Assert.Equal("pending", connection.Status);
        Assert.StartsWith(hub.Idp.AuthorizationEndpoint.AbsoluteUri, start.AuthorizationUrl.AbsoluteUri, StringComparison.Ordinal);
        Assert.Equal("/v1/oauth/start", start.StartUrl.AbsolutePath); // on the hub's public address (Hub:PublicBaseUrl), not necessarily the one called
        Assert.DoesNotContain(start.StartUrl.AbsoluteUri, start.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAccessToken_ClientCredentialsConnection_ReturnsTheProvidersToken()
    {
        // Arrange
        var tenant = await hub.NewTenantAsync();
        var (client, connection) = await hub.ConnectedClientCredentialsAsync(tenant, "machine");
        using var _ = client;

        // Act
        var token = await client.Connections.GetTokenAsync(tenant.ProjectId, connection.Id);

        // Assert: a JWT of the loopback OAuth server, with its expiry; ToString never shows it.
        Assert.Equal(3, token.AccessToken.Split('.').Length);
        Assert.Equal("Bearer", token.TokenType, ignoreCase: true);
        Assert.NotNull(token.ExpiresAt);
        Assert.DoesNotContain(token.AccessToken, token.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAccessToken_100ConcurrentCallersByName_OneRequestReachesTheHub()
    {
        // Arrange
        var tenant = await hub.NewTenantAsync();
        var (client, _) = await hub.ConnectedClientCredentialsAsync(tenant, "busy");
        using var __ = client;
        var before = await hub.AuditCountAsync(tenant, TokenAction);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // Act
        var calls = Enumerable.Range(0, 100).Select(async _ =>
        {
            await gate.Task;
            return await client.Connections.GetAccessTokenAsync(tenant.ProjectId, "busy");
        }).ToList();
        gate.SetResult();
        var tokens = await Task.WhenAll(calls);
        var after = await hub.AuditCountAsync(tenant, TokenAction);

        // Assert
        Assert.Equal(0, before);
        Assert.Single(tokens.Distinct(StringComparer.Ordinal));
        Assert.Equal(1, after);
    }

    [Fact]
    public async Task GetAccessToken_CachedUntilShortlyBeforeExpiry_ThenAsksTheHubAgain()
    {
        // Arrange: the client's clock starts now and is moved by hand; the loopback server's tokens live an hour.
        var clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        var tenant = await hub.NewTenantAsync();
        var (client, connection) = await hub.ConnectedClientCredentialsAsync(tenant, "cached", clock);
        using var _ = client;
        var first = await client.Connections.GetTokenAsync(tenant.ProjectId, connection.Id);

        // Act
        clock.SetUtcNow(first.ExpiresAt!.Value - TimeSpan.FromSeconds(61));
        await client.Connections.GetAccessTokenAsync(tenant.ProjectId, connection.Id);
        var whileFresh = await hub.AuditCountAsync(tenant, TokenAction);
        clock.SetUtcNow(first.ExpiresAt!.Value - TimeSpan.FromSeconds(59));
        await client.Connections.GetAccessTokenAsync(tenant.ProjectId, connection.Id);
        var withinTheSkew = await hub.AuditCountAsync(tenant, TokenAction);

        // Assert
        Assert.Equal(1, whileFresh);
        Assert.Equal(2, withinTheSkew);
    }

    [Fact]
    public async Task GetAccessToken_AfterInvalidate_AsksTheHubAgain()
    {
        var tenant = await hub.NewTenantAsync();
        var (client, connection) = await hub.ConnectedClientCredentialsAsync(tenant, "invalidated");
        using var _ = client;
        await client.Connections.GetAccessTokenAsync(tenant.ProjectId, connection.Id);

        client.Connections.InvalidateAccessToken(tenant.ProjectId, connection.Id);
        await client.Connections.GetAccessTokenAsync(tenant.ProjectId, connection.Id);

        Assert.Equal(2, await hub.AuditCountAsync(tenant, TokenAction));
    }

    [Fact]
    public async Task GetAccessToken_BearerConnection_FailureIsNotCachedAndReachesEveryCaller()
    {
        // Arrange: a static credential has no OAuth token to hand out.
        var tenant = await hub.NewTenantAsync();
        using var client = hub.Client(tenant);
        await client.Secrets.CreateAsync(tenant.ProjectId, new NewSecret("static", "abc") { AuthType = "bearer" });
        var connection = await client.Connections.CreateAsync(tenant.ProjectId, new NewConnection("static-api", "bearer")
        {
            BaseUrl = "https://api.example.com", SecretRefs = new Dictionary<string, string> { ["token"] = "static" },
        });

        // Act
        var first = await Assert.ThrowsAnyAsync<IntegrationsHubException>(() => client.Connections.GetAccessTokenAsync(tenant.ProjectId, connection.Id));
        var second = await Assert.ThrowsAnyAsync<IntegrationsHubException>(() => client.Connections.GetAccessTokenAsync(tenant.ProjectId, connection.Id));

        // Assert: each call asked the hub (a failure is not kept), and each got the hub's problem.
        Assert.Equal(first.Status, second.Status);
        Assert.NotNull(first.Code);
        Assert.Equal(2, await hub.AuditCountAsync(tenant, TokenAction));
    }
}
