using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Integrations.Client.Connections;
using Integrations.Client.Secrets;
using Microsoft.Extensions.DependencyInjection;

namespace Integrations.Client.Tests.Connections;

/// <summary>
/// A user's own HttpClient sending through the real hub's proxy (the Server process, outbound guard open to 127.0.0.1) to a
/// loopback upstream: what reaches the upstream, what comes back, and what becomes an exception.
/// </summary>
[Collection(HubServerGroup.Name)]
public sealed class ConnectionProxyHandlerTests(HubServer hub)
{
    private const string UpstreamToken = "upstream-bearer-token-value-1";
    private const string UsersOwnAuthorization = "users-own-credential-value-2";

    [Fact]
    public async Task Get_ThroughTheHandler_UpstreamGetsTheConnectionsCredentialAndTheQuery_NotTheUsersAuthorization()
    {
        // Arrange
        using var upstream = new ProxyUpstream();
        var (tenant, client) = await ConnectionToAsync(upstream, "upstream");
        using var _ = client;
        using var http = new HttpClient(client.Connections.CreateProxyHandler(tenant.ProjectId, "upstream")) { BaseAddress = new Uri("https://api.example.test/") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", UsersOwnAuthorization);
        http.DefaultRequestHeaders.Add("X-Request-Tag", "kept");

        // Act
        using var response = await http.GetAsync("items/42?page=2&q=a%20b&tag=x%2Fy");
        var body = await response.Content.ReadAsStringAsync();

        // Assert: the upstream's answer, addressed as the user wrote it; the upstream saw the hub's injection and nothing of the user's credential.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"path":"/up/items/42","method":"GET"}""", body);
        Assert.Equal("yes", response.Headers.GetValues("X-Upstream").Single());
        Assert.Equal("1", response.Headers.GetValues("X-Hub-Attempts").Single());
        Assert.Equal(new Uri("https://api.example.test/items/42?page=2&q=a%20b&tag=x%2Fy"), response.RequestMessage!.RequestUri);
        var seen = Assert.Single(upstream.Requests);
        Assert.Equal(("GET", "/up/items/42?page=2&q=a%20b&tag=x%2Fy"), (seen.Method, seen.Target));
        Assert.Equal("Bearer " + UpstreamToken, seen.Headers["Authorization"]);
        Assert.Equal("kept", seen.Headers["X-Request-Tag"]);
        Assert.DoesNotContain(UsersOwnAuthorization, string.Join("\n", seen.Headers.Values), StringComparison.Ordinal);
        Assert.DoesNotContain(tenant.ApiKey, string.Join("\n", seen.Headers.Values), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_ThroughTheHandler_UpstreamGetsTheMethodBodyAndContentType()
    {
        // Arrange
        using var upstream = new ProxyUpstream();
        var (tenant, client) = await ConnectionToAsync(upstream, "writes");
        using var _ = client;
        using var http = new HttpClient(client.Connections.CreateProxyHandler(tenant.ProjectId, "writes")) { BaseAddress = new Uri("https://api.example.test/v2/") };
        using var content = new StringContent("""{"title":"héllo"}""", Encoding.UTF8, "application/json");

        // Act
        using var response = await http.PostAsync("issues", content);

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var seen = Assert.Single(upstream.Requests);
        Assert.Equal(("POST", "/up/v2/issues", """{"title":"héllo"}"""), (seen.Method, seen.Target, seen.Body));
        Assert.Equal("application/json; charset=utf-8", seen.Headers["Content-Type"]);
        Assert.Equal("Bearer " + UpstreamToken, seen.Headers["Authorization"]);
    }

    [Fact]
    public async Task Get_HubAuthNone_ReachesTheHub_AndTheUpstreamGetsNoCredential()
    {
        // Arrange
        using var upstream = new ProxyUpstream();
        var (tenant, client) = await ConnectionToAsync(upstream, "public-api");
        using var _ = client;
        using var http = new HttpClient(client.Connections.CreateProxyHandler(tenant.ProjectId, "public-api")) { BaseAddress = new Uri("https://api.example.test/") };
        using var request = new HttpRequestMessage(HttpMethod.Get, "public");
        request.Headers.Add("Hub-Auth", "none");

        // Act
        using var response = await http.SendAsync(request);

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var seen = Assert.Single(upstream.Requests);
        Assert.False(seen.Headers.ContainsKey("Authorization"));
        Assert.False(seen.Headers.ContainsKey("Hub-Auth"));
    }

    [Fact]
    public async Task Send_Upstream404And500_ComeBackAsResponsesUnchanged()
    {
        // Arrange
        using var upstream = new ProxyUpstream();
        var (tenant, client) = await ConnectionToAsync(upstream, "errors");
        using var _ = client;
        using var http = new HttpClient(client.Connections.CreateProxyHandler(tenant.ProjectId, "errors")) { BaseAddress = new Uri("https://api.example.test/") };

        // Act
        using var notFound = await http.GetAsync("status/404");
        using var failed = await http.DeleteAsync("status/500");

        // Assert: the upstream's statuses and bodies (its 500 is problem details too, of its own type), not exceptions.
        Assert.Equal(HttpStatusCode.NotFound, notFound.StatusCode);
        Assert.Equal("""{"upstream_status":404}""", await notFound.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        Assert.Equal("application/problem+json", failed.Content.Headers.ContentType?.MediaType);
        Assert.Contains(ProxyUpstream.UpstreamProblemType, await failed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_Upstream503_NotRetriedByTheClient()
    {
        // Arrange: the client would retry a 503 of the hub three times, at once (Retry-After: 0).
        using var upstream = new ProxyUpstream();
        var (tenant, client) = await ConnectionToAsync(upstream, "unavailable", o => (o.MaxRetries, o.RetryDelay) = (3, TimeSpan.FromMilliseconds(10)));
        using var _ = client;
        using var http = new HttpClient(client.Connections.CreateProxyHandler(tenant.ProjectId, "unavailable")) { BaseAddress = new Uri("https://api.example.test/") };
        using var content = new StringContent("charge 10 EUR");

        // Act
        using var response = await http.PostAsync("status/503", content);

        // Assert: every request the upstream got is one of the hub's own attempts for this one call.
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var attempts = int.Parse(response.Headers.GetValues("X-Hub-Attempts").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(attempts, upstream.Requests.Count);
    }

    [Fact]
    public async Task Send_ConnectionOfAnotherOrganization_ThrowsNotFoundException_AndNothingIsSent()
    {
        // Arrange: a real connection id, of another tenant (the hub answers 404, never 403, across tenants).
        using var upstream = new ProxyUpstream();
        var (other, owner) = await ConnectionToAsync(upstream, "theirs");
        using var __ = owner;
        var theirs = (await owner.Connections.GetAsync(other.ProjectId, "theirs")).Id;
        var tenant = await hub.NewTenantAsync();
        using var client = hub.Client(tenant);
        using var http = new HttpClient(client.Connections.CreateProxyHandler(tenant.ProjectId, theirs)) { BaseAddress = new Uri("https://api.example.test/") };

        // Act
        var error = await Assert.ThrowsAsync<HubNotFoundException>(() => http.GetAsync("items"));

        // Assert
        Assert.StartsWith("urn:integrations-hub:problem:", error.Type, StringComparison.Ordinal);
        Assert.NotNull(error.TraceId);
        Assert.Empty(upstream.Requests);
    }

    [Fact]
    public async Task Send_KeyWithoutTheProxyScope_ThrowsForbiddenException_AndNothingIsSent()
    {
        // Arrange
        using var upstream = new ProxyUpstream();
        var (tenant, owner) = await ConnectionToAsync(upstream, "scoped");
        using var _ = owner;
        var id = (await owner.Connections.GetAsync(tenant.ProjectId, "scoped")).Id;
        var readOnly = await hub.NewKeyAsync(tenant, "connections:read");
        using var client = hub.Client(tenant with { ApiKey = readOnly });
        using var http = new HttpClient(client.Connections.CreateProxyHandler(tenant.ProjectId, id)) { BaseAddress = new Uri("https://api.example.test/") };

        // Act
        var error = await Assert.ThrowsAsync<HubForbiddenException>(() => http.PostAsync("items", new StringContent("x")));

        // Assert
        Assert.Equal(HttpStatusCode.Forbidden, error.Status);
        Assert.Empty(upstream.Requests);
    }

    [Fact]
    public async Task Send_UpstreamUnreachable_ThrowsTheHubsProblem()
    {
        // Arrange: a loopback port nobody listens on.
        var tenant = await hub.NewTenantAsync();
        using var client = hub.Client(tenant);
        await client.Secrets.CreateAsync(tenant.ProjectId, new NewSecret("closed-token", UpstreamToken) { AuthType = "bearer" });
        await client.Connections.CreateAsync(tenant.ProjectId, new NewConnection("closed", "bearer")
        {
            BaseUrl = $"http://127.0.0.1:{ClosedPort()}", SecretRefs = new Dictionary<string, string> { ["token"] = "closed-token" },
        });
        using var http = new HttpClient(client.Connections.CreateProxyHandler(tenant.ProjectId, "closed")) { BaseAddress = new Uri("https://api.example.test/") };

        // Act: the hub answers 502 with X-Hub-Attempts (it tried), as problem details of its own type.
        var error = await Assert.ThrowsAnyAsync<IntegrationsHubException>(() => http.GetAsync("items"));

        // Assert
        Assert.Equal(HttpStatusCode.BadGateway, error.Status);
        Assert.Equal("proxy-upstream-unreachable", error.Code);
    }

    [Fact]
    public async Task Get_ResponseHeadersRead_BodyStreamsBeforeTheUpstreamHasFinished()
    {
        // Arrange
        using var upstream = new ProxyUpstream();
        var (tenant, client) = await ConnectionToAsync(upstream, "streaming");
        using var _ = client;
        using var http = new HttpClient(client.Connections.CreateProxyHandler(tenant.ProjectId, "streaming")) { BaseAddress = new Uri("https://api.example.test/") };

        // Act: the upstream sends "first|" and holds the rest until released.
        using var response = await http.GetAsync("stream", HttpCompletionOption.ResponseHeadersRead).WaitAsync(TimeSpan.FromSeconds(20));
        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[6];
        await body.ReadExactlyAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(20));
        upstream.ReleaseStream();
        using var reader = new StreamReader(body);
        var rest = await reader.ReadToEndAsync();

        // Assert
        Assert.Equal("first|", Encoding.UTF8.GetString(buffer));
        Assert.Equal("rest", rest);
    }

    [Fact]
    public async Task Get_Cancelled_ThrowsOperationCanceledPromptly()
    {
        // Arrange: an upstream that does not answer until released (after the test).
        using var upstream = new ProxyUpstream();
        var (tenant, client) = await ConnectionToAsync(upstream, "slow");
        using var _ = client;
        using var http = new HttpClient(client.Connections.CreateProxyHandler(tenant.ProjectId, "slow")) { BaseAddress = new Uri("https://api.example.test/") };
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        var clock = System.Diagnostics.Stopwatch.StartNew();

        // Act
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => http.GetAsync("hang", cancel.Token));

        // Assert: well before the hub's own attempt timeout (8 s) would have ended the call.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"cancelled after {clock.Elapsed.TotalMilliseconds:F0} ms");
        upstream.ReleaseStream();
    }

    [Fact]
    public async Task AddIntegrationsHubProxy_NamedClient_SendsThroughTheHubWithoutItsRetries()
    {
        // Arrange
        using var upstream = new ProxyUpstream();
        var (tenant, owner) = await ConnectionToAsync(upstream, "from-di");
        using var _ = owner;
        var services = new ServiceCollection();
        services.AddIntegrationsHubClient(o => (o.BaseAddress, o.ApiKey, o.RetryDelay) = (hub.BaseAddress, tenant.ApiKey, TimeSpan.FromMilliseconds(10)));
        services.AddHttpClient("upstream", c => c.BaseAddress = new Uri("https://api.example.test/")).AddIntegrationsHubProxy(tenant.ProjectId, "from-di");
        await using var provider = services.BuildServiceProvider();
        var http = provider.GetRequiredService<IHttpClientFactory>().CreateClient("upstream");

        // Act
        using var ok = await http.GetAsync("items?x=1");
        using var unavailable = await http.PutAsync("status/503", new StringContent("once"));

        // Assert
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, unavailable.StatusCode);
        var attempts = int.Parse(unavailable.Headers.GetValues("X-Hub-Attempts").Single(), System.Globalization.CultureInfo.InvariantCulture);
        var seen = upstream.Requests;
        Assert.Equal(("/up/items?x=1", "Bearer " + UpstreamToken), (seen[0].Target, seen[0].Headers["Authorization"]));
        Assert.Equal(1 + attempts, seen.Count);
    }

    /// <summary>A new tenant with a bearer connection <paramref name="name"/> to <paramref name="upstream"/>, and a client of its owner key.</summary>
    private async Task<(Tenant Tenant, IntegrationsHubClient Client)> ConnectionToAsync(
        ProxyUpstream upstream, string name, Action<IntegrationsHubClientOptions>? configure = null)
    {
        var tenant = await hub.NewTenantAsync();
        var client = hub.Client(tenant, configure);
        await client.Secrets.CreateAsync(tenant.ProjectId, new NewSecret(name + "-token", UpstreamToken) { AuthType = "bearer" });
        await client.Connections.CreateAsync(tenant.ProjectId, new NewConnection(name, "bearer")
        {
            BaseUrl = upstream.BaseUrl, SecretRefs = new Dictionary<string, string> { ["token"] = name + "-token" },
        });
        return (tenant, client);
    }

    private static int ClosedPort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }
}
