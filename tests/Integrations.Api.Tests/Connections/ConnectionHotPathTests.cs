using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Integrations.Testing.OAuth;
using Xunit.Abstractions;
using static Integrations.Api.Tests.HubFixture;

namespace Integrations.Api.Tests.Connections;

/// <summary>
/// The Server (Development, outbound guard open to 127.0.0.0/8) with counting storage clients, a loopback upstream and a
/// loopback OpenIddict server: what the token route and the proxy cost in storage calls per request.
/// </summary>
public sealed class HotPathHubFixture : IAsyncLifetime
{
    public HubFixture Hub { get; } = new() { Environment = "Development" };

    public StorageCallCounter Storage { get; } = new();

    public ProxyUpstream Upstream { get; private set; } = null!;

    public OpenIddictTestServer Idp { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Upstream = await ProxyUpstream.StartAsync();
        Idp = await OpenIddictTestServer.StartAsync();
        Hub.Settings["OutboundHttp:AllowedNetworks:0"] = "127.0.0.0/8";
        // Long enough that no entry expires during a test on a loaded machine; expiry itself is unit-tested.
        Hub.Settings["Connections:CacheDuration"] = "00:01:00";
        // The storage calls counted are the requests' own: no audit sealing (every 5 minutes) may fall inside a test.
        Hub.Settings["Audit:SealSchedule"] = "0 0 0 1 1 *";
        Hub.ConfigureServices = Storage.Register;
        await Hub.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await Hub.DisposeAsync();
        await Upstream.DisposeAsync();
        await Idp.DisposeAsync();
    }
}

public sealed class ConnectionHotPathTests(HotPathHubFixture fixture, ITestOutputHelper output) : IClassFixture<HotPathHubFixture>
{
    private const int Requests = 20;

    private HubFixture Hub => fixture.Hub;

    [Fact]
    public async Task Token_WarmConnection_ReadsNeitherTheConnectionNorTheTokenFromStorage()
    {
        var tenant = await Hub.CreateTenantAsync();
        using var client = Hub.Client(tenant.OwnerKey);
        var provider = await ProviderAsync(client, tenant);
        var id = (string)(await TokenHubFixture.CreateOAuthConnectionAsync(client, tenant, provider, "machine", "oauth2_client_credentials"))["id"]!;
        await Json(await client.PostAsync(TokenPath(tenant, id), null), HttpStatusCode.OK); // the grant
        await Json(await client.PostAsync(TokenPath(tenant, id), null), HttpStatusCode.OK); // warm

        fixture.Storage.Reset();
        for (var i = 0; i < Requests; i++)
        {
            await Json(await client.PostAsync(TokenPath(tenant, id), null), HttpStatusCode.OK);
        }

        var calls = Describe("token");
        Assert.Equal(0, fixture.Storage.Count(Hub.Prefix, "connections"));
        Assert.Equal(0, fixture.Storage.Count(Hub.Prefix, "secrets"));
        Assert.True(fixture.Storage.Calls.Count <= Requests * 2, calls);
    }

    [Fact]
    public async Task Proxy_WarmStaticConnection_ReadsNeitherTheConnectionNorTheSecretFromStorage()
    {
        var tenant = await Hub.CreateTenantAsync();
        using var client = Hub.Client(tenant.OwnerKey);
        await ProxyApiTests.SecretsAsync(client, tenant);
        var id = await BearerConnectionAsync(client, tenant, "bearer");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(ProxyApiTests.Proxy(tenant, id, "echo/warm-1"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(ProxyApiTests.Proxy(tenant, id, "echo/warm-2"))).StatusCode);

        fixture.Storage.Reset();
        for (var i = 0; i < Requests; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(ProxyApiTests.Proxy(tenant, id, "echo/hot"))).StatusCode);
        }

        var calls = Describe("proxy");
        Assert.Equal(0, fixture.Storage.Count(Hub.Prefix, "connections"));
        Assert.Equal(0, fixture.Storage.Count(Hub.Prefix, "secrets"));
        Assert.True(fixture.Storage.Calls.Count <= Requests * 2, calls);
    }

    [Fact]
    public async Task ProxyAndToken_AfterPatchEnabledFalse_TheSameInstanceRefusesAtOnce()
    {
        var tenant = await Hub.CreateTenantAsync();
        using var client = Hub.Client(tenant.OwnerKey);
        await ProxyApiTests.SecretsAsync(client, tenant);
        var bearer = await BearerConnectionAsync(client, tenant, "to-disable");
        var provider = await ProviderAsync(client, tenant);
        var machine = (string)(await TokenHubFixture.CreateOAuthConnectionAsync(client, tenant, provider, "machine-to-disable", "oauth2_client_credentials"))["id"]!;
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(ProxyApiTests.Proxy(tenant, bearer, "echo/before-disable"))).StatusCode);
        await Json(await client.PostAsync(TokenPath(tenant, machine), null), HttpStatusCode.OK);
        await Json(await client.PostAsync(TokenPath(tenant, machine), null), HttpStatusCode.OK); // now cached

        await Json(await client.PatchAsJsonAsync($"/v1/projects/{tenant.ProjectId}/connections/{bearer}", new { enabled = false }), HttpStatusCode.OK);
        await Json(await client.PatchAsJsonAsync($"/v1/projects/{tenant.ProjectId}/connections/{machine}", new { enabled = false }), HttpStatusCode.OK);

        await Problem(await client.GetAsync(ProxyApiTests.Proxy(tenant, bearer, "echo/after-disable")), HttpStatusCode.Conflict, "connection-disabled");
        await Problem(await client.PostAsync(TokenPath(tenant, machine), null), HttpStatusCode.Conflict, "connection-disabled");
        Assert.Empty(fixture.Upstream.With("after-disable"));
    }

    [Fact]
    public async Task Token_AfterRevoke_TheOldTokenIsNoLongerHandedOut()
    {
        var tenant = await Hub.CreateTenantAsync();
        using var client = Hub.Client(tenant.OwnerKey);
        var provider = await ProviderAsync(client, tenant);
        var id = (string)(await TokenHubFixture.CreateOAuthConnectionAsync(client, tenant, provider, "user-to-revoke"))["id"]!;
        var granted = await TokenHubFixture.ConnectWithPasswordAsync(Hub.Services, fixture.Idp, tenant.OrganizationId, tenant.ProjectId, id);
        Assert.Equal(granted.AccessToken, (string?)(await Json(await client.PostAsync(TokenPath(tenant, id), null), HttpStatusCode.OK))["access_token"]);
        Assert.Equal(granted.AccessToken, (string?)(await Json(await client.PostAsync(TokenPath(tenant, id), null), HttpStatusCode.OK))["access_token"]);

        await Json(await client.PostAsync($"/v1/projects/{tenant.ProjectId}/connections/{id}/revoke", null), HttpStatusCode.OK);

        var after = await client.PostAsync(TokenPath(tenant, id), null);
        var text = await after.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Conflict, after.StatusCode);
        Assert.DoesNotContain(granted.AccessToken, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_AfterAForcedRefresh_TheNewTokenIsServed_NotTheCachedOne()
    {
        var tenant = await Hub.CreateTenantAsync();
        using var client = Hub.Client(tenant.OwnerKey);
        var provider = await ProviderAsync(client, tenant);
        var id = (string)(await TokenHubFixture.CreateOAuthConnectionAsync(client, tenant, provider, "user-to-refresh"))["id"]!;
        var granted = await TokenHubFixture.ConnectWithPasswordAsync(Hub.Services, fixture.Idp, tenant.OrganizationId, tenant.ProjectId, id);
        Assert.Equal(granted.AccessToken, (string?)(await Json(await client.PostAsync(TokenPath(tenant, id), null), HttpStatusCode.OK))["access_token"]);
        Assert.Equal(granted.AccessToken, (string?)(await Json(await client.PostAsync(TokenPath(tenant, id), null), HttpStatusCode.OK))["access_token"]);

        var refreshed = (string?)(await Json(await client.PostAsJsonAsync(TokenPath(tenant, id), new { force_refresh = true }), HttpStatusCode.OK))["access_token"];
        var next = (string?)(await Json(await client.PostAsync(TokenPath(tenant, id), null), HttpStatusCode.OK))["access_token"];

        Assert.NotEqual(granted.AccessToken, refreshed);
        Assert.Equal(refreshed, next);
    }

    [Fact]
    public async Task Token_PastItsRefreshPoint_IsNotServedFromTheCache()
    {
        var tenant = await Hub.CreateTenantAsync();
        using var client = Hub.Client(tenant.OwnerKey);
        var provider = await ProviderAsync(client, tenant); // refresh skew 1 s
        var id = (string)(await TokenHubFixture.CreateOAuthConnectionAsync(client, tenant, provider, "short-lived", "oauth2_client_credentials"))["id"]!;
        var lifetime = fixture.Idp.AccessTokenLifetime;
        // Long enough that the first two calls land well inside it on a loaded machine (refresh point: lifetime − 1 s skew).
        fixture.Idp.AccessTokenLifetime = TimeSpan.FromSeconds(8);
        try
        {
            var first = (string?)(await Json(await client.PostAsync(TokenPath(tenant, id), null), HttpStatusCode.OK))["access_token"];
            var cached = (string?)(await Json(await client.PostAsync(TokenPath(tenant, id), null), HttpStatusCode.OK))["access_token"];
            var grants = fixture.Idp.TokenRequests("client_credentials");

            await Task.Delay(TimeSpan.FromSeconds(7.5)); // past expiry - skew, well within the cache duration (1 min)
            var later = await Json(await client.PostAsync(TokenPath(tenant, id), null), HttpStatusCode.OK);

            Assert.Equal(first, cached);
            Assert.NotEqual(first, (string?)later["access_token"]);
            Assert.True(fixture.Idp.TokenRequests("client_credentials") > grants);
            Assert.True(DateTimeOffset.Parse((string)later["expires_at"]!, System.Globalization.CultureInfo.InvariantCulture) > TimeProvider.System.GetUtcNow());
        }
        finally
        {
            fixture.Idp.AccessTokenLifetime = lifetime;
        }
    }

    [Fact]
    public async Task Proxy_AfterTheSecretIsUpdated_TheNewCredentialIsSentAtOnce()
    {
        var tenant = await Hub.CreateTenantAsync();
        using var client = Hub.Client(tenant.OwnerKey);
        await ProxyApiTests.SecretsAsync(client, tenant);
        var id = await BearerConnectionAsync(client, tenant, "rotated");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(ProxyApiTests.Proxy(tenant, id, "echo/rot-before"))).StatusCode);

        await Json(await client.PutAsJsonAsync($"{tenant.Secrets}/token", new { value = "rotated-bearer-value-9" }), HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(ProxyApiTests.Proxy(tenant, id, "echo/rot-after"))).StatusCode);

        Assert.Equal("Bearer " + ProxyApiTests.TokenValue, Assert.Single(fixture.Upstream.With("rot-before")).Headers["Authorization"]);
        Assert.Equal("Bearer rotated-bearer-value-9", Assert.Single(fixture.Upstream.With("rot-after")).Headers["Authorization"]);
    }

    [Fact]
    public async Task Proxy_AnotherTenantsKey_CannotUseACachedConnection()
    {
        var tenant = await Hub.CreateTenantAsync();
        var other = await Hub.CreateTenantAsync("Other");
        using var client = Hub.Client(tenant.OwnerKey);
        using var attacker = Hub.Client(other.OwnerKey);
        await ProxyApiTests.SecretsAsync(client, tenant);
        var id = await BearerConnectionAsync(client, tenant, "cached");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(ProxyApiTests.Proxy(tenant, id, "echo/victim"))).StatusCode);

        // The attacker names the victim's connection id under their own project, and under the victim's project.
        var own = await attacker.GetAsync(ProxyApiTests.Proxy(other, id, "echo/attacker-own"));
        var victims = await attacker.GetAsync(ProxyApiTests.Proxy(tenant, id, "echo/attacker-victims"));

        Assert.Equal(HttpStatusCode.NotFound, own.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, victims.StatusCode);
        Assert.Empty(fixture.Upstream.With("attacker-"));
    }

    internal static string TokenPath(Tenant tenant, string id) => $"/v1/projects/{tenant.ProjectId}/connections/{id}/token";

    private async Task<string> ProviderAsync(HttpClient client, Tenant tenant)
    {
        var provider = await Json(await client.PostAsJsonAsync(tenant.Providers, new
        {
            name = "idp-" + Integrations.Testing.TestRandom.Hex(4), issuer = fixture.Idp.Issuer.AbsoluteUri, client_id = OpenIddictTestServer.ClientId,
            client_secret = OpenIddictTestServer.ClientSecret, client_authentication = "client_secret_basic", refresh_skew_seconds = 1,
        }), HttpStatusCode.Created);
        return (string)provider["id"]!;
    }

    private async Task<string> BearerConnectionAsync(HttpClient client, Tenant tenant, string name)
    {
        var created = await Json(await client.PostAsJsonAsync($"/v1/projects/{tenant.ProjectId}/connections", new JsonObject
        {
            ["name"] = name, ["type"] = "bearer", ["secret_refs"] = new JsonObject { ["token"] = "token" }, ["base_url"] = fixture.Upstream.BaseUrl.AbsoluteUri,
        }), HttpStatusCode.Created);
        return (string)created["id"]!;
    }

    /// <summary>The calls of the last <see cref="Requests"/> requests, grouped, written to the test output (the profile's evidence).</summary>
    private string Describe(string what)
    {
        var text = $"{what}: {fixture.Storage.Calls.Count} storage calls for {Requests} requests: "
            + string.Join(", ", fixture.Storage.Calls.GroupBy(c => c.Replace(Hub.Prefix, "", StringComparison.Ordinal)).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => $"{g.Key} ×{g.Count()}"));
        output.WriteLine(text);
        return text;
    }
}
