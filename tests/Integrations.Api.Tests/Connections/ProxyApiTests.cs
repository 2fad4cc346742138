using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Integrations.Testing;
using Integrations.Testing.OAuth;
using static Integrations.Api.Tests.HubFixture;

namespace Integrations.Api.Tests.Connections;

/// <summary>
/// The Server in Development (http base URLs allowed) with the outbound guard open to 127.0.0.0/8, a loopback upstream
/// and a loopback OpenIddict server for OAuth connections.
/// </summary>
public sealed class ProxyHubFixture : IAsyncLifetime
{
    public HubFixture Hub { get; } = new() { Environment = "Development" };

    public ProxyUpstream Upstream { get; private set; } = null!;

    public OpenIddictTestServer Idp { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Upstream = await ProxyUpstream.StartAsync();
        Idp = await OpenIddictTestServer.StartAsync();
        Hub.Settings["OutboundHttp:AllowedNetworks:0"] = "127.0.0.0/8";
        Hub.Settings["Connections:AuthErrorAlertThreshold"] = "3";
        Hub.Settings["Connections:ServerErrorAlertThreshold"] = "3";
        await Hub.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await Hub.DisposeAsync();
        await Upstream.DisposeAsync();
        await Idp.DisposeAsync();
    }
}

public sealed class ProxyApiTests(ProxyHubFixture fixture) : IClassFixture<ProxyHubFixture>
{
    internal const string ApiKeyValue = "sk_proxy_api_key_value_1";
    internal const string TokenValue = "proxy-bearer-token-value-2";
    internal const string UsernameValue = "proxy-user";
    internal const string PasswordValue = "proxy-password-value-3";

    private HubFixture Hub => fixture.Hub;

    private ProxyUpstream Upstream => fixture.Upstream;

    [Fact]
    public async Task Proxy_StaticCredentials_AreInjected_AndTheCallersAuthorizationAndHopByHopAreNot()
    {
        var tenant = await Hub.CreateTenantAsync();
        using var client = Hub.Client(tenant.OwnerKey);
        await SecretsAsync(client, tenant);
        var header = await CreateAsync(client, tenant, "header", "api_key", new { api_key = "key" }, api_key: new { @in = "header", name = "X-Api-Key" });
        var query = await CreateAsync(client, tenant, "query", "api_key", new { api_key = "key" }, api_key: new { @in = "query", name = "api_key" });
        var bearer = await CreateAsync(client, tenant, "bearer", "bearer", new { token = "token" });
        var basic = await CreateAsync(client, tenant, "basic", "basic", new { username = "user", password = "password" });

        var responses = new List<HttpResponseMessage>();
        foreach (var (id, marker) in new[] { (header, "m-header"), (query, "m-query"), (bearer, "m-bearer"), (basic, "m-basic") })
        {
            using var message = new HttpRequestMessage(HttpMethod.Post, Proxy(tenant, id, $"echo/{marker}?x=1&y=%20z"))
            {
                Content = new StringContent("{\"hello\":1}", Encoding.UTF8, "application/json"),
            };
            message.Headers.Connection.Add("X-Drop-Me");
            message.Headers.Add("X-Drop-Me", "dropped");
            message.Headers.Add("X-Keep-Me", "kept");
            responses.Add(await client.SendAsync(message));
        }

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.All(responses, r => Assert.Equal("1", r.Headers.GetValues("X-Hub-Attempts").Single()));
        Assert.All(responses, r => Assert.Equal("yes", r.Headers.GetValues("X-Upstream").Single()));
        var seen = new[] { "m-header", "m-query", "m-bearer", "m-basic" }.Select(m => Assert.Single(Upstream.With(m))).ToList();
        Assert.Equal(ApiKeyValue, seen[0].Headers["X-Api-Key"]);
        Assert.EndsWith("?x=1&y=%20z&api_key=" + ApiKeyValue, seen[1].Target, StringComparison.Ordinal);
        Assert.Equal("Bearer " + TokenValue, seen[2].Headers["Authorization"]);
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{UsernameValue}:{PasswordValue}")), seen[3].Headers["Authorization"]);
        Assert.All(seen, s => Assert.Equal(("POST", "{\"hello\":1}", "kept"), (s.Method, s.Body, s.Headers["X-Keep-Me"])));
        Assert.All(seen, s => Assert.False(s.Headers.ContainsKey("X-Drop-Me")));
        Assert.All(seen, s => Assert.DoesNotContain(tenant.OwnerKey, string.Join("\n", s.Headers.Values), StringComparison.Ordinal));
        Assert.False(seen[0].Headers.ContainsKey("Authorization"));
        Assert.False(seen[1].Headers.ContainsKey("Authorization"));
        foreach (var response in responses)
        {
            var text = string.Join("\n", response.Headers.Concat(response.Content.Headers).SelectMany(h => h.Value));
            Assert.DoesNotContain(ApiKeyValue, text, StringComparison.Ordinal);
            Assert.DoesNotContain(TokenValue, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Proxy_HubAuthNone_SendsNoCredential_AndAnUnknownValueIsRefused()
    {
        var tenant = await Hub.CreateTenantAsync();
        using var client = Hub.Client(tenant.OwnerKey);
        await SecretsAsync(client, tenant);
        var id = await CreateAsync(client, tenant, "override", "bearer", new { token = "token" });

        using var none = new HttpRequestMessage(HttpMethod.Get, Proxy(tenant, id, "echo/m-hub-auth-none"));
        none.Headers.Add("Hub-Auth", "none");
        using var bad = new HttpRequestMessage(HttpMethod.Get, Proxy(tenant, id, "echo/m-hub-auth-bad"));
        bad.Headers.Add("Hub-Auth", "Bearer abc");

        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(none)).StatusCode);
        await Problem(await client.SendAsync(bad), HttpStatusCode.BadRequest, "invalid-hub-auth");
        var seen = Assert.Single(Upstream.With("m-hub-auth-none"));
        Assert.False(seen.Headers.ContainsKey("Authorization"));
        Assert.False(seen.Headers.ContainsKey("Hub-Auth"));
        Assert.Empty(Upstream.With("m-hub-auth-bad"));
    }

    [Fact]
    public async Task Proxy_PolicyDeny_Returns403WithTheRule_Audited_AndDotSegmentsCannotSlipPast()
    {
        var tenant = await Hub.CreateTenantAsync();
        using var client = Hub.Client(tenant.OwnerKey);
        await SecretsAsync(client, tenant);
        var id = await CreateAsync(client, tenant, "guarded", "bearer", new { token = "token" },
            policy: new[] { new { effect = "deny", methods = new[] { "GET" }, path = "/admin/**" } });
        var prefix = $"/v1/projects/{tenant.ProjectId}/connections/{id}/proxy/";

        var plain = await client.GetAsync(prefix + "admin/m-deny-1");
        var dotted = await RawAsync(tenant.OwnerKey, prefix + "v1/../admin/m-deny-2");
        var encoded = await RawAsync(tenant.OwnerKey, prefix + "v1/%2e%2e/admin/m-deny-3");
        var outside = await RawAsync(tenant.OwnerKey, $"/v1/projects/{tenant.ProjectId}/connections/{id}/x/../proxy/admin/m-deny-4");
        var semicolon = await RawAsync(tenant.OwnerKey, prefix + "a/..;x/admin/m-deny-5");
        var slash = await RawAsync(tenant.OwnerKey, prefix + "a%2F..%2Fadmin/m-deny-6");
        var climb = await RawAsync(tenant.OwnerKey, prefix + "%2e%2e/%2e%2e/m-deny-7");
        var allowed = await client.GetAsync(prefix + "echo/m-allowed");

        var problem = await Problem(plain, HttpStatusCode.Forbidden, "proxy-policy-denied");
        Assert.Contains("/admin/**", (string?)problem["detail"], StringComparison.Ordinal);
        Assert.Equal((403, 403), (dotted.Status, encoded.Status));
        Assert.Contains("proxy-policy-denied", encoded.Body, StringComparison.Ordinal);
        Assert.Equal((400, 400, 400), (outside.Status, semicolon.Status, slash.Status));
        Assert.All(new[] { outside, semicolon, slash }, r => Assert.Contains("proxy-invalid-path", r.Body, StringComparison.Ordinal));
        // Above the base URL: refused by the server's own dot handling (no route) or by the proxy (400), never sent.
        Assert.True(climb.Status is 400 or 404, $"got {climb.Status}");
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.DoesNotContain(Upstream.Requests, r => r.Target.Contains("m-deny", StringComparison.Ordinal));
        var log = await Json(await client.GetAsync($"/v1/projects/{tenant.ProjectId}/audit?per_page=100"), HttpStatusCode.OK);
        Assert.Contains(log["data"]!.AsArray(), r => (string?)r!["action"] == "connection.proxy" && (string?)r["outcome"] == "denied"
            && ((string?)r["target"])!.Contains("/admin/**", StringComparison.Ordinal));
        Assert.Contains(log["data"]!.AsArray(), r => (string?)r!["action"] == "connection.proxy" && (string?)r["outcome"] == "success");
    }

    [Theory]
    [InlineData("status/500", 500, 2)]
    [InlineData("status/503", 503, 2)]
    [InlineData("status/429", 429, 2)]
    [InlineData("status/404", 404, 1)]
    [InlineData("status/400", 400, 1)]
    [InlineData("status/403", 403, 1)]
    [InlineData("status/401", 401, 1)] // A static credential: no refresh, no retry.
    public async Task Proxy_EachUpstreamStatusClass_ReturnsItWithItsAttemptCount(string path, int status, int attempts)
    {
        var tenant = await Hub.CreateTenantAsync();
        using var client = Hub.Client(tenant.OwnerKey);
        await SecretsAsync(client, tenant);
        var id = await CreateAsync(client, tenant, "classes", "bearer", new { token = "token" }, retries: 1);

        var response = await client.GetAsync(Proxy(tenant, id, path + "?m-" + id));

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(attempts.ToString(System.Globalization.CultureInfo.InvariantCulture), response.Headers.GetValues("X-Hub-Attempts").Single());
        Assert.Equal(attempts, Upstream.With("m-" + id).Count);
    }

    [Fact]
    public async Task Proxy_Timeout_Returns504_AndAClosedPort502_EachAfterItsRetry()
    {
        var tenant = await Hub.CreateTenantAsync();
        using var client = Hub.Client(tenant.OwnerKey);
        await SecretsAsync(client, tenant);
        var slow = await CreateAsync(client, tenant, "slow", "bearer", new { token = "token" }, retries: 1, timeout: 1);
        var closed = await CreateAsync(client, tenant, "closed", "bearer", new { token = "token" }, retries: 1, baseUrl: $"http://127.0.0.1:{ClosedPort()}/api");

        var timeout = await client.GetAsync(Proxy(tenant, slow, "slow"));
        var unreachable = await client.GetAsync(Proxy(tenant, closed, "echo"));

        await Problem(timeout, HttpStatusCode.GatewayTimeout, "proxy-upstream-timeout");
        Assert.Equal("2", timeout.Headers.GetValues("X-Hub-Attempts").Single());
        await Problem(unreachable, HttpStatusCode.BadGateway, "proxy-upstream-unreachable");
        Assert.Equal("2", unreachable.Headers.GetValues("X-Hub-Attempts").Single());
    }

    [Fact]
    public async Task Proxy_OAuthConnection_Upstream401Once_RefreshesExactlyOnceAndSucceeds()
    {
        var tenant = await Hub.CreateTenantAsync();
        using var client = Hub.Client(tenant.OwnerKey);
        var provider = await Json(await client.PostAsJsonAsync(tenant.Providers, new
        {
            name = "idp", issuer = fixture.Idp.Issuer.AbsoluteUri, client_id = OpenIddictTestServer.ClientId, client_secret = OpenIddictTestServer.ClientSecret,
        }), HttpStatusCode.Created);
        var created = await Json(await client.PostAsJsonAsync(ConnectionsApiTests.Path(tenant), new
        {
            name = "machine", type = "oauth2_client_credentials", provider_id = (string)provider["id"]!, scopes = new[] { OpenIddictTestServer.ApiScope },
            base_url = Upstream.BaseUrl.AbsoluteUri,
        }), HttpStatusCode.Created);
        var id = (string)created["id"]!;
        var first = await client.GetAsync(Proxy(tenant, id, "echo/m-oauth-warm"));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var before = fixture.Idp.TokenRequests("client_credentials");

        var response = await client.GetAsync(Proxy(tenant, id, "unauthorized-once/" + id));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("2", response.Headers.GetValues("X-Hub-Attempts").Single());
        Assert.Equal(1, fixture.Idp.TokenRequests("client_credentials") - before);
        var sent = Upstream.With("unauthorized-once/" + id);
        Assert.Equal(2, sent.Count);
        Assert.All(sent, s => Assert.StartsWith("Bearer ", s.Headers["Authorization"], StringComparison.Ordinal));
        Assert.NotEqual(sent[0].Headers["Authorization"], sent[1].Headers["Authorization"]);
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain(sent[1].Headers["Authorization"][7..], body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Proxy_LargeResponse_StreamsThrough()
    {
        var tenant = await Hub.CreateTenantAsync();
        using var client = Hub.Client(tenant.OwnerKey);
        await SecretsAsync(client, tenant);
        var id = await CreateAsync(client, tenant, "big", "bearer", new { token = "token" });
        const long size = 48L * 1024 * 1024;

        using var response = await client.GetAsync(Proxy(tenant, id, $"big/{size}"), HttpCompletionOption.ResponseHeadersRead);
        await using var stream = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
        {
            total += read;
        }

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(size, total);
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Status_AfterProxiedCalls_ShowsCountsCircuitHeadroomAndLastUsed()
    {
        var tenant = await Hub.CreateTenantAsync();
        using var client = Hub.Client(tenant.OwnerKey);
        await SecretsAsync(client, tenant);
        var id = await CreateAsync(client, tenant, "counted", "bearer", new { token = "token" }, retries: 0);
        var before = await Json(await client.GetAsync($"{ConnectionsApiTests.Path(tenant)}/{id}/status"), HttpStatusCode.OK);

        await client.GetAsync(Proxy(tenant, id, "echo/a"));
        await client.GetAsync(Proxy(tenant, id, "status/500"));
        await client.GetAsync(Proxy(tenant, id, "status/404"));
        await client.GetAsync(Proxy(tenant, id, "ratelimit"));
        var status = await Json(await client.GetAsync($"{ConnectionsApiTests.Path(tenant)}/{id}/status"), HttpStatusCode.OK);

        Assert.Null((string?)before["last_used_at"]);
        Assert.Equal(0, (long)before["last24h"]!["calls"]!);
        Assert.NotNull((string?)status["last_used_at"]);
        Assert.Equal((4L, 1L, "all_instances"), ((long)status["last24h"]!["calls"]!, (long)status["last24h"]!["errors"]!, (string?)status["last24h"]!["scope"]));
        Assert.Equal("closed", (string?)status["circuit"]!["state"]);
        Assert.Equal((100L, 42L), ((long)status["rate_limit"]!["limit"]!, (long)status["rate_limit"]!["remaining"]!));
        Assert.NotNull((string?)status["rate_limit"]!["reset_at"]);
    }

    [Fact]
    public async Task Proxy_DeprecationHeaders_RaiseApiDeprecatedOnce()
    {
        var tenant = await Hub.CreateTenantAsync();
        using var client = Hub.Client(tenant.OwnerKey);
        await SecretsAsync(client, tenant);
        var id = await CreateAsync(client, tenant, "old-api", "bearer", new { token = "token" });

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(Proxy(tenant, id, "deprecated"))).StatusCode);
        }

        var activity = await Json(await client.GetAsync($"/v1/projects/{tenant.ProjectId}/activity?type=connection.api_deprecated"), HttpStatusCode.OK);
        var only = Assert.Single(activity["data"]!.AsArray());
        Assert.Equal(id, (string?)only!["data"]!["connection_id"]);
        Assert.StartsWith("2030-06-30T23:59:59", (string?)only["data"]!["sunset_at"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Proxy_AuthErrorsPastTheThreshold_RaiseOneSpikeEventPerWindow()
    {
        var tenant = await Hub.CreateTenantAsync();
        using var client = Hub.Client(tenant.OwnerKey);
        await SecretsAsync(client, tenant);
        var id = await CreateAsync(client, tenant, "failing-auth", "bearer", new { token = "token" });

        await client.GetAsync(Proxy(tenant, id, "status/401"));
        await client.GetAsync(Proxy(tenant, id, "status/403"));
        var quiet = await Json(await client.GetAsync($"/v1/projects/{tenant.ProjectId}/activity?type=connection.auth_errors_spike"), HttpStatusCode.OK);
        for (var i = 0; i < 4; i++)
        {
            await client.GetAsync(Proxy(tenant, id, "status/401"));
        }

        var spiked = await Json(await client.GetAsync($"/v1/projects/{tenant.ProjectId}/activity?type=connection.auth_errors_spike"), HttpStatusCode.OK);
        Assert.Empty(quiet["data"]!.AsArray());
        var only = Assert.Single(spiked["data"]!.AsArray());
        Assert.Equal((id, "3"), ((string?)only!["data"]!["connection_id"], (string?)only["data"]!["count"]));
    }

    [Fact]
    public async Task Proxy_ServerErrorsPastTheThreshold_RaiseOneSpikeEventPerWindow()
    {
        var tenant = await Hub.CreateTenantAsync();
        using var client = Hub.Client(tenant.OwnerKey);
        await SecretsAsync(client, tenant);
        var id = await CreateAsync(client, tenant, "failing-upstream", "bearer", new { token = "token" }, retries: 0);

        await client.GetAsync(Proxy(tenant, id, "status/500"));
        await client.GetAsync(Proxy(tenant, id, "status/503"));
        await client.GetAsync(Proxy(tenant, id, "status/404"));
        var quiet = await Json(await client.GetAsync($"/v1/projects/{tenant.ProjectId}/activity?type=connection.server_errors_spike"), HttpStatusCode.OK);
        for (var i = 0; i < 4; i++)
        {
            await client.GetAsync(Proxy(tenant, id, "status/502"));
        }

        var spiked = await Json(await client.GetAsync($"/v1/projects/{tenant.ProjectId}/activity?type=connection.server_errors_spike"), HttpStatusCode.OK);
        Assert.Empty(quiet["data"]!.AsArray());
        var only = Assert.Single(spiked["data"]!.AsArray());
        Assert.Equal((id, "3"), ((string?)only!["data"]!["connection_id"], (string?)only["data"]!["count"]));
    }

    [Fact]
    public async Task Test_ReportsTheResult_SetsLastTestedAt_AndAllowsTenPerMinute()
    {
        var tenant = await Hub.CreateTenantAsync();
        using var client = Hub.Client(tenant.OwnerKey);
        await SecretsAsync(client, tenant);
        var good = await CreateAsync(client, tenant, "testable", "bearer", new { token = "token" }, testRequest: new { method = "GET", path = "/echo/m-test" });
        var bad = await CreateAsync(client, tenant, "broken", "bearer", new { token = "token" }, retries: 0, testRequest: new { method = "HEAD", path = "/status/503" });

        var results = new List<HttpResponseMessage>();
        for (var i = 0; i < 11; i++)
        {
            results.Add(await client.PostAsync($"{ConnectionsApiTests.Path(tenant)}/{good}/test", null));
        }

        var failed = await Json(await client.PostAsync($"{ConnectionsApiTests.Path(tenant)}/{bad}/test", null), HttpStatusCode.OK);
        var ok = await Json(results[0], HttpStatusCode.OK);
        var status = await Json(await client.GetAsync($"{ConnectionsApiTests.Path(tenant)}/{good}/status"), HttpStatusCode.OK);

        Assert.Equal((true, 200), ((bool)ok["success"]!, (int)ok["status_code"]!));
        Assert.True((long)ok["response_time_ms"]! >= 0);
        Assert.False(string.IsNullOrEmpty((string?)ok["message"]));
        Assert.Equal((false, 503), ((bool)failed["success"]!, (int)failed["status_code"]!));
        Assert.All(results.Take(10), r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        await Problem(results[10], HttpStatusCode.TooManyRequests, "connection-test-rate-limited");
        Assert.True(int.Parse(results[10].Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) is > 0 and <= 60);
        Assert.Equal(10, Upstream.With("m-test").Count);
        Assert.NotNull((string?)status["last_tested_at"]);
        Assert.Equal("GET", Upstream.With("m-test")[0].Method);
        Assert.Equal("Bearer " + TokenValue, Upstream.With("m-test")[0].Headers["Authorization"]);
    }

    [Fact]
    public async Task Proxy_DisabledConnection_Returns409AndSendsNothing()
    {
        var tenant = await Hub.CreateTenantAsync();
        using var client = Hub.Client(tenant.OwnerKey);
        await SecretsAsync(client, tenant);
        var id = await CreateAsync(client, tenant, "off", "bearer", new { token = "token" });
        await Json(await client.PatchAsJsonAsync($"{ConnectionsApiTests.Path(tenant)}/{id}", new { enabled = false }), HttpStatusCode.OK);

        await Problem(await client.GetAsync(Proxy(tenant, id, "echo/m-disabled")), HttpStatusCode.Conflict, "connection-disabled");
        await Problem(await client.PostAsync($"{ConnectionsApiTests.Path(tenant)}/{id}/test", null), HttpStatusCode.Conflict, "connection-disabled");

        Assert.Empty(Upstream.With("m-disabled"));
    }

    [Fact]
    public async Task ProxyAndTest_NoCredentialInStorageOrAudit()
    {
        var tenant = await Hub.CreateTenantAsync();
        using var client = Hub.Client(tenant.OwnerKey);
        await SecretsAsync(client, tenant);
        var id = await CreateAsync(client, tenant, "leakcheck", "api_key", new { api_key = "key" }, api_key: new { @in = "query", name = "api_key" });
        await client.GetAsync(Proxy(tenant, id, "echo/leak"));
        await client.GetAsync(Proxy(tenant, id, "status/401"));
        await client.PostAsync($"{ConnectionsApiTests.Path(tenant)}/{id}/test", null);

        var rows = await StorageRows.ReadAllAsync(Hub.ConnectionString, Hub.Prefix);
        var log = await (await client.GetAsync($"/v1/projects/{tenant.ProjectId}/audit?per_page=100")).Content.ReadAsStringAsync();

        Assert.NotEmpty(rows);
        Assert.False(StorageRows.Contains(rows, ApiKeyValue));
        Assert.DoesNotContain(ApiKeyValue, log, StringComparison.Ordinal);
        Assert.Contains("connection.test", log, StringComparison.Ordinal);
    }

    internal static string Proxy(Tenant tenant, string connectionId, string path) => $"/v1/projects/{tenant.ProjectId}/connections/{connectionId}/proxy/{path}";

    internal static async Task SecretsAsync(HttpClient client, Tenant tenant)
    {
        foreach (var (name, value) in new[] { ("key", ApiKeyValue), ("token", TokenValue), ("user", UsernameValue), ("password", PasswordValue) })
        {
            await Json(await client.PostAsJsonAsync(tenant.Secrets, new { name, value }), HttpStatusCode.Created);
        }
    }

    private async Task<string> CreateAsync(
        HttpClient client, Tenant tenant, string name, string type, object secretRefs, object? api_key = null, object? policy = null, int? retries = null,
        int? timeout = null, string? baseUrl = null, object? testRequest = null)
    {
        var body = new JsonObject
        {
            ["name"] = name, ["type"] = type, ["secret_refs"] = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(secretRefs)),
            ["base_url"] = baseUrl ?? Upstream.BaseUrl.AbsoluteUri, ["retry_strategy"] = "linear_1s",
        };
        if (api_key is not null)
        {
            body["api_key"] = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(api_key));
        }

        if (policy is not null)
        {
            body["policy"] = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(policy));
        }

        if (retries is { } r)
        {
            body["retries"] = r;
        }

        if (timeout is { } t)
        {
            body["timeout_seconds"] = t;
        }

        if (testRequest is not null)
        {
            body["test_request"] = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(testRequest));
        }

        var created = await Json(await client.PostAsJsonAsync(ConnectionsApiTests.Path(tenant), body), HttpStatusCode.Created);
        return (string)created["id"]!;
    }

    /// <summary>Sends a request line exactly as written (HttpClient would resolve dot segments before sending).</summary>
    private async Task<(int Status, string Body)> RawAsync(string bearer, string target)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, Hub.BaseAddress.Port);
        await using var stream = tcp.GetStream();
        var request = $"GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{Hub.BaseAddress.Port}\r\nAuthorization: Bearer {bearer}\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var text = await reader.ReadToEndAsync();
        var status = int.Parse(text.Split(' ', 3)[1], System.Globalization.CultureInfo.InvariantCulture);
        return (status, text);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}

/// <summary>The Server with the outbound guard as shipped (AllowedNetworks empty): loopback upstreams are refused, by address or by name.</summary>
public sealed class ProxyGuardTests(ProxyGuardTests.GuardFixture fixture) : IClassFixture<ProxyGuardTests.GuardFixture>
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    public async Task Proxy_LoopbackUpstream_IsRefusedWith502AndNothingIsSent(string host)
    {
        var tenant = await fixture.Hub.CreateTenantAsync();
        using var client = fixture.Hub.Client(tenant.OwnerKey);
        await ProxyApiTests.SecretsAsync(client, tenant);
        var created = await Json(await client.PostAsJsonAsync(ConnectionsApiTests.Path(tenant), new
        {
            name = "loop", type = "bearer", secret_refs = new { token = "token" }, base_url = $"http://{host}:{fixture.Upstream.BaseUrl.Port}/api",
        }), HttpStatusCode.Created);

        var response = await client.GetAsync(ProxyApiTests.Proxy(tenant, (string)created["id"]!, "echo/m-ssrf"));

        var problem = await Problem(response, HttpStatusCode.BadGateway, "proxy-target-refused");
        Assert.Empty(fixture.Upstream.With("m-ssrf"));
        // One sentence, one full stop: the guard's reason brings its own.
        Assert.False(((string)problem["detail"]!).EndsWith("..", StringComparison.Ordinal), (string)problem["detail"]!);
    }

    public sealed class GuardFixture : IAsyncLifetime
    {
        public HubFixture Hub { get; } = new() { Environment = "Development" };

        public ProxyUpstream Upstream { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Upstream = await ProxyUpstream.StartAsync();
            await Hub.InitializeAsync();
        }

        public async Task DisposeAsync()
        {
            await Hub.DisposeAsync();
            await Upstream.DisposeAsync();
        }
    }
}
