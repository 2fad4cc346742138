using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Integrations.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Integrations.Api.Tests;

/// <summary>
/// The real Server on Kestrel at 127.0.0.1 (a free port), against Azurite with a storage prefix of its own, a
/// fresh local root key and admin key. Requests go over real HTTP.
/// </summary>
public sealed class HubFixture : IAsyncLifetime, IDisposable
{
    private HubFactory? _factory;

    public string AdminKey { get; } = "admin-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(24));

    public string Prefix { get; } = AzuriteInstance.NewPrefix();

    public string ConnectionString { get; private set; } = "";

    public Uri BaseAddress { get; private set; } = null!;

    public IServiceProvider Services => _factory!.Services;

    /// <summary>Settings a test class may add before the server starts.</summary>
    public Dictionary<string, string?> Settings { get; } = new(StringComparer.Ordinal);

    /// <summary>The host environment the Server runs in; Development relaxes what only Development allows (e.g. http provider endpoints).</summary>
    public string Environment { get; set; } = "Production";

    /// <summary>The loopback port to listen on; 0 (the default): a free one. Set it when a setting must name the address in advance (Hub:PublicBaseUrl).</summary>
    public int Port { get; set; }

    /// <summary>Service changes a test class may make before the server starts (e.g. a fault injected in front of a real store).</summary>
    public Action<IServiceCollection>? ConfigureServices { get; set; }

    public async Task InitializeAsync()
    {
        ConnectionString = (await AzuriteInstance.Shared).ConnectionString;
        var settings = new HubTestSettings(ConnectionString) { Prefix = Prefix, AdminKey = AdminKey }.Build();
        settings["Logging:LogLevel:Default"] = "Warning";
        foreach (var (key, value) in Settings)
        {
            settings[key] = value;
        }

        _factory = new HubFactory(settings, ConfigureServices, Environment);
        _factory.UseKestrel(options => options.Listen(IPAddress.Loopback, Port));
        _factory.StartServer();
        BaseAddress = _factory.ClientOptions.BaseAddress;
        // Make sure the address is a real loopback socket, not the in-memory test server.
        Assert.Equal("127.0.0.1", BaseAddress.Host);
        await Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }
    }

    public void Dispose() => _factory?.Dispose();

    public HttpClient Client(string? bearer = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        if (bearer is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        return client;
    }

    /// <summary>A new organization with its owner key and one project.</summary>
    public async Task<Tenant> CreateTenantAsync(string name = "Acme")
    {
        using var admin = Client(AdminKey);
        var org = await Json(await admin.PostAsJsonAsync("/v1/orgs", new { name }), HttpStatusCode.Created);
        var key = (string)org["api_key"]!;
        using var owner = Client(key);
        var project = await Json(await owner.PostAsJsonAsync("/v1/projects", new { name = "project-" + TestRandom.Hex(4) }), HttpStatusCode.Created);
        return new Tenant((string)org["id"]!, key, (string)project["id"]!);
    }

    /// <summary>Asserts the status and parses the JSON body.</summary>
    public static async Task<JsonNode> Json(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!;
    }

    /// <summary>Asserts a problem-details response with the status and code.</summary>
    public static async Task<JsonNode> Problem(HttpResponseMessage response, HttpStatusCode expected, string code)
    {
        var problem = await Json(response, expected);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("urn:integrations-hub:problem:" + code, (string?)problem["type"]);
        Assert.False(string.IsNullOrEmpty((string?)problem["title"]));
        return problem;
    }

    private sealed class HubFactory(Dictionary<string, string?> settings, Action<IServiceCollection>? configureServices, string environment) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }

            if (configureServices is not null)
            {
                builder.ConfigureTestServices(configureServices);
            }

            builder.UseEnvironment(environment);
        }
    }
}

public sealed record Tenant(string OrganizationId, string OwnerKey, string ProjectId)
{
    public string Secrets => $"/v1/projects/{ProjectId}/secrets";

    public string Providers => $"/v1/projects/{ProjectId}/providers";
}
