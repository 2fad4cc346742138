using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Integrations.Testing;
using Integrations.Testing.OAuth;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Xunit.Abstractions;
using static Integrations.Api.Tests.HubFixture;

namespace Integrations.Api.Tests.Connections;

/// <summary>
/// Issue 8's concurrency test: 200 parallel token requests for an expired token across two Server processes on the
/// same storage cause exactly one refresh at the authorization server, and every caller gets the new token.
/// </summary>
[Collection(RefreshStormGroup.Name)]
public sealed class RefreshStormTests(ITestOutputHelper output)
{
    private const int Callers = 200;

    [Fact]
    public async Task Token_200CallersOnTwoServerProcessesForAnExpiredToken_OneRefreshAtTheServerAndEveryCallerGetsTheNewToken()
    {
        // Arrange: one storage (Azurite, a prefix of its own), one root key, one admin key for three hosts: an
        // in-process one to set up and connect, and the two Server processes under test.
        var azurite = await AzuriteInstance.Shared;
        var settings = new HubTestSettings(azurite.ConnectionString).Build();
        settings["OutboundHttp:AllowedNetworks:0"] = "127.0.0.1/32";
        settings["RateLimits:PerCredentialPerMinute"] = "100000";
        settings["Logging:LogLevel:Default"] = "Information";
        await using var idp = await OpenIddictTestServer.StartAsync(new OpenIddictTestServerOptions { AccessTokenLifetime = TimeSpan.FromSeconds(2) });
        // The in-process host needs no socket; the Server's appsettings would otherwise name a fixed port.
        await using var setup = new SetupHost(new Dictionary<string, string?>(settings) { ["Urls"] = "http://127.0.0.1:0" });
        using var admin = setup.CreateClient();
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", settings["Hub:AdminKey"]);
        var org = await Json(await admin.PostAsJsonAsync("/v1/orgs", new { name = "Storm" }), HttpStatusCode.Created);
        using var owner = setup.CreateClient();
        var apiKey = (string)org["api_key"]!;
        owner.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        var projectId = (string)(await Json(await owner.PostAsJsonAsync("/v1/projects", new { name = "storm" }), HttpStatusCode.Created))["id"]!;
        var tenant = new Tenant((string)org["id"]!, apiKey, projectId);
        var provider = (string)(await Json(await owner.PostAsJsonAsync(tenant.Providers, new
        {
            name = "idp", issuer = idp.Issuer.AbsoluteUri, client_id = OpenIddictTestServer.ClientId, client_secret = OpenIddictTestServer.ClientSecret,
            client_authentication = "client_secret_basic", refresh_skew_seconds = 1,
        }), HttpStatusCode.Created))["id"]!;
        var connectionId = (string)(await TokenHubFixture.CreateOAuthConnectionAsync(owner, tenant, provider, "stormy"))["id"]!;
        var warm = (string)(await TokenHubFixture.CreateOAuthConnectionAsync(owner, tenant, provider, "warm"))["id"]!;
        await TokenHubFixture.ConnectWithPasswordAsync(setup.Services, idp, tenant.OrganizationId, projectId, warm);
        var granted = await TokenHubFixture.ConnectWithPasswordAsync(setup.Services, idp, tenant.OrganizationId, projectId, connectionId);
        // The stored token lives 2 s (real expiry, not force_refresh); the refreshed one an hour, so one refresh is enough.
        var expiresAt = TimeProvider.System.GetUtcNow().AddSeconds(2);
        idp.AccessTokenLifetime = TimeSpan.FromHours(1);
        // The warm-up connection's token: refreshed once (an hour's life now), so warming the Servers on it sends nothing more.
        using (var refresh = await owner.PostAsJsonAsync($"/v1/projects/{projectId}/connections/{warm}/token", new { force_refresh = true }))
        {
            await Json(refresh, HttpStatusCode.OK);
        }

        var startServers = new[] { ServerProcess.StartAsync(settings, "Development"), ServerProcess.StartAsync(settings, "Development") };
        await using var first = await startServers[0];
        await using var second = await startServers[1];
        ServerProcess[] servers = [first, second];
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Callers, UseCookies = false }) { Timeout = TimeSpan.FromSeconds(120) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        foreach (var server in servers)
        {
            await server.WaitUntilReadyAsync(http);
            // Warm each Server (its key cache, its JIT of the token path) on the other connection: the storm's token is not touched.
            await Json(await http.GetAsync(new Uri(server.BaseAddress, $"v1/projects/{projectId}/connections/{connectionId}/status")), HttpStatusCode.OK);
            await Task.WhenAll(Enumerable.Range(0, 16).Select(async _ =>
                await Json(await http.PostAsync(new Uri(server.BaseAddress, $"v1/projects/{projectId}/connections/{warm}/token"), null), HttpStatusCode.OK)));
        }

        var refreshesBefore = idp.TokenRequests("refresh_token");

        var wait = expiresAt - TimeProvider.System.GetUtcNow() + TimeSpan.FromMilliseconds(500);
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait);
        }

        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var clock = new Stopwatch();

        // Act: 200 callers, alternating between the two processes, released at once.
        var calls = Enumerable.Range(0, Callers).Select(async i =>
        {
            await gate.Task;
            using var response = await http.PostAsync(new Uri(servers[i % 2].BaseAddress, $"v1/projects/{projectId}/connections/{connectionId}/token"), null);
            return (Server: i % 2, Status: response.StatusCode, Body: await response.Content.ReadAsStringAsync(), Elapsed: clock.Elapsed);
        }).ToList();
        clock.Start();
        gate.SetResult();
        var results = await Task.WhenAll(calls);

        // Assert
        var failed = results.Where(r => r.Status != HttpStatusCode.OK).ToList();
        Assert.True(failed.Count == 0, $"{failed.Count} callers failed, e.g. {(failed.Count > 0 ? $"{(int)failed[0].Status} {failed[0].Body}" : "")}; the Servers logged:\n"
            + string.Join('\n', servers.SelectMany(s => s.Output.Split('\n')).Where(l => l.Contains("fail", StringComparison.OrdinalIgnoreCase) || l.Contains("Exception", StringComparison.Ordinal)).Take(40)));
        Assert.Equal(refreshesBefore + 1, idp.TokenRequests("refresh_token"));
        var tokens = results.Select(r => (string)JsonNode.Parse(r.Body)!["access_token"]!).ToHashSet(StringComparer.Ordinal);
        var token = Assert.Single(tokens);
        Assert.NotEqual(granted.AccessToken, token);
        output.WriteLine($"{Callers} callers on 2 Server processes: {idp.TokenRequests("refresh_token") - refreshesBefore} refresh at the authorization server; every caller had a token after {results.Max(r => r.Elapsed).TotalMilliseconds:F0} ms "
            + $"(first answer {results.Min(r => r.Elapsed).TotalMilliseconds:F0} ms; per process, last answer: {string.Join(", ", results.GroupBy(r => r.Server).Select(g => $"{g.Max(r => r.Elapsed).TotalMilliseconds:F0} ms"))}; load average {LoadAverage()}).");
        foreach (var server in servers)
        {
            Assert.Contains("Now listening on", server.Output, StringComparison.Ordinal);
            Assert.DoesNotContain(token, server.Output, StringComparison.Ordinal);
            Assert.DoesNotContain(granted.AccessToken, server.Output, StringComparison.Ordinal);
            Assert.DoesNotContain(granted.RefreshToken!, server.Output, StringComparison.Ordinal);
        }
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    /// <summary>The Server in this process (in memory, no socket) on the same storage: sets up the tenant and connects the connection.</summary>
    private sealed class SetupHost(Dictionary<string, string?> settings) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }

            builder.UseEnvironment("Development");
        }
    }
}

/// <summary>The storm test runs alone: its timing means little while other test classes load the same two cores.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RefreshStormGroup
{
    public const string Name = "refresh storm";
}
