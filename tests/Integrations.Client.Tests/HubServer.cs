using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Integrations.Client.Connections;
using Integrations.Testing;
using Integrations.Testing.OAuth;

namespace Integrations.Client.Tests;

/// <summary>
/// The real Server as a process on Azurite, and a loopback OAuth server for its OAuth connections. Every test takes a
/// tenant of its own (<see cref="NewTenantAsync"/>): its own organization, owner key and project, so rate limits and audit
/// counts of one test never meet another's.
/// </summary>
public sealed class HubServer : IAsyncLifetime
{
    /// <summary>Low enough that a test reaches it quickly; each tenant has its own key, so its own budget.</summary>
    public const int RequestsPerMinute = 60;

    private ServerProcess? _server;
    private OpenIddictTestServer? _idp;
    private string _adminKey = "";

    public Uri BaseAddress => _server!.BaseAddress;

    public OpenIddictTestServer Idp => _idp!;

    public async Task InitializeAsync()
    {
        var azurite = await AzuriteInstance.Shared;
        var settings = new HubTestSettings(azurite.ConnectionString).Build();
        settings["OutboundHttp:AllowedNetworks:0"] = "127.0.0.1/32";
        settings["RateLimits:PerCredentialPerMinute"] = RequestsPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture);
        // Delivery counts (source and endpoint stats) are flushed every second, so a test reads them without waiting 30 s.
        settings["Counters:FlushInterval"] = "00:00:01";
        _adminKey = settings["Hub:AdminKey"]!;
        _idp = await OpenIddictTestServer.StartAsync(new OpenIddictTestServerOptions { AccessTokenLifetime = TimeSpan.FromHours(1) });
        _server = await ServerProcess.StartAsync(settings, "Development");
        using var http = new HttpClient();
        await _server.WaitUntilReadyAsync(http);
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        if (_idp is not null)
        {
            await _idp.DisposeAsync();
        }
    }

    /// <summary>A new organization (through the admin key, as an operator does), its owner key, and a project.</summary>
    public async Task<Tenant> NewTenantAsync()
    {
        using var http = new HttpClient { BaseAddress = BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _adminKey);
        var org = await Json(await http.PostAsJsonAsync("v1/orgs", new { name = "Client " + TestRandom.Hex(4) }), HttpStatusCode.Created);
        var apiKey = (string)org["api_key"]!;
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        var project = await Json(await http.PostAsJsonAsync("v1/projects", new { name = "sdk" }), HttpStatusCode.Created);
        return new Tenant((string)org["id"]!, apiKey, (string)project["id"]!);
    }

    /// <summary>An API key of <paramref name="tenant"/>'s organization with only <paramref name="scopes"/>.</summary>
    public async Task<string> NewKeyAsync(Tenant tenant, params string[] scopes)
    {
        using var http = Raw(tenant.ApiKey);
        var key = await Json(await http.PostAsJsonAsync($"v1/orgs/{tenant.OrganizationId}/api-keys", new { name = "narrow", scopes }), HttpStatusCode.Created);
        return (string)key["key"]!;
    }

    /// <summary>A provider on the loopback OAuth server (discovered from its issuer), for OAuth connections.</summary>
    public async Task<string> NewProviderAsync(Tenant tenant)
    {
        using var http = Raw(tenant.ApiKey);
        var provider = await Json(await http.PostAsJsonAsync($"v1/projects/{tenant.ProjectId}/providers", new
        {
            name = "idp", issuer = Idp.Issuer.AbsoluteUri, client_id = OpenIddictTestServer.ClientId, client_secret = OpenIddictTestServer.ClientSecret,
            client_authentication = "client_secret_basic",
        }), HttpStatusCode.Created);
        return (string)provider["id"]!;
    }

    /// <summary>How many audit records of <paramref name="action"/> the hub wrote for the project (what reached the hub, not what the client sent).</summary>
    public async Task<int> AuditCountAsync(Tenant tenant, string action)
    {
        using var http = Raw(tenant.ApiKey);
        var count = 0;
        for (var page = 1; ; page++)
        {
            var listed = await Json(await http.GetAsync($"v1/projects/{tenant.ProjectId}/audit?per_page=100&page={page}"), HttpStatusCode.OK);
            count += listed["data"]!.AsArray().Count(r => (string?)r!["action"] == action);
            if (page >= (long)listed["pagination"]!["total_pages"]!)
            {
                return count;
            }
        }
    }

    public IntegrationsHubClient Client(Tenant tenant, Action<IntegrationsHubClientOptions>? configure = null, TimeProvider? timeProvider = null)
    {
        var options = new IntegrationsHubClientOptions { BaseAddress = BaseAddress, ApiKey = tenant.ApiKey };
        configure?.Invoke(options);
        return new IntegrationsHubClient(options, timeProvider);
    }

    /// <summary>An OAuth (client credentials) connection, connected through the client's own grant call.</summary>
    public async Task<(IntegrationsHubClient Client, Connection Connection)> ConnectedClientCredentialsAsync(Tenant tenant, string name, TimeProvider? timeProvider = null)
    {
        var provider = await NewProviderAsync(tenant);
        var client = Client(tenant, timeProvider: timeProvider);
        var connection = await client.Connections.CreateAsync(tenant.ProjectId, new NewConnection(name, "oauth2_client_credentials")
        {
            ProviderId = provider, Scopes = [OpenIddictTestServer.ApiScope],
        });
        var status = await client.Connections.GrantAsync(tenant.ProjectId, connection.Id, "client_credentials");
        Assert.Equal("active", status.Status);
        return (client, connection);
    }

    private HttpClient Raw(string apiKey)
    {
        var http = new HttpClient { BaseAddress = BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return http;
    }

    private static async Task<JsonNode> Json(HttpResponseMessage response, HttpStatusCode expected)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode}: {body}");
            return JsonNode.Parse(body)!;
        }
    }
}

public sealed record Tenant(string OrganizationId, string ApiKey, string ProjectId);

[CollectionDefinition(Name)]
public sealed class HubServerGroup : ICollectionFixture<HubServer>
{
    public const string Name = "hub server";
}
