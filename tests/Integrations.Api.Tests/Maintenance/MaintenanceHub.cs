using System.Net;
using System.Net.Http.Json;
using Integrations.Core.Connections;
using Integrations.Core.OAuth.Tokens;
using Integrations.Testing.OAuth;
using Microsoft.Extensions.DependencyInjection;
using static Integrations.Api.Tests.HubFixture;

namespace Integrations.Api.Tests.Maintenance;

/// <summary>
/// A Server of its own per test (the refresh-ahead index and the job locks span the whole hub, so tests that count
/// what a run did must not share one), in Development with the outbound guard open to 127.0.0.1/32, next to a
/// loopback OpenIddict server. The cron schedules are set far away, so only the test runs the jobs.
/// </summary>
internal sealed class MaintenanceHub : IAsyncDisposable
{
    private MaintenanceHub(HubFixture hub, OpenIddictTestServer idp, Tenant tenant)
    {
        Hub = hub;
        Idp = idp;
        Tenant = tenant;
    }

    public HubFixture Hub { get; }

    public OpenIddictTestServer Idp { get; }

    public Tenant Tenant { get; }

    public IServiceProvider Services => Hub.Services;

    public static async Task<MaintenanceHub> StartAsync(IDictionary<string, string?>? settings = null)
    {
        var idp = await OpenIddictTestServer.StartAsync(new OpenIddictTestServerOptions { AccessTokenLifetime = TimeSpan.FromMinutes(10) });
        var hub = new HubFixture { Environment = "Development" };
        hub.Settings["OutboundHttp:AllowedNetworks:0"] = "127.0.0.1/32";
        hub.Settings["OAuth:RefreshAheadSchedule"] = "0 0 0 1 1 *";
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            hub.Settings[key] = value;
        }

        await hub.InitializeAsync();
        return new MaintenanceHub(hub, idp, await hub.CreateTenantAsync());
    }

    /// <summary>A provider on the loopback server with a one-minute refresh skew; returns its id.</summary>
    public async Task<string> CreateProviderAsync(string name = "idp", object? extra = null)
    {
        using var client = Hub.Client(Tenant.OwnerKey);
        var body = new Dictionary<string, object?>
        {
            ["name"] = name,
            ["client_id"] = OpenIddictTestServer.ClientId,
            ["client_secret"] = OpenIddictTestServer.ClientSecret,
            ["client_authentication"] = "client_secret_basic",
            ["endpoints"] = new { authorization = Idp.AuthorizationEndpoint.AbsoluteUri, token = Idp.TokenEndpoint.AbsoluteUri },
            ["refresh_skew_seconds"] = 60,
        };
        foreach (var property in extra?.GetType().GetProperties() ?? [])
        {
            body[property.Name] = property.GetValue(extra);
        }

        var created = await Json(await client.PostAsJsonAsync(Tenant.Providers, body), HttpStatusCode.Created);
        return (string)created["id"]!;
    }

    /// <summary>A client-credentials connection of <paramref name="providerId"/>, connected (its first token obtained); returns it as stored.</summary>
    public async Task<Connection> ConnectAsync(string providerId, string name)
    {
        using var client = Hub.Client(Tenant.OwnerKey);
        var created = await Json(await client.PostAsJsonAsync($"/v1/projects/{Tenant.ProjectId}/connections",
            new { name, type = "oauth2_client_credentials", provider_id = providerId }), HttpStatusCode.Created);
        var connection = await GetAsync((string)created["id"]!);
        var token = await Services.GetRequiredService<IConnectionTokenService>().GetAsync(connection);
        Assert.True(token.IsSuccess, token.IsSuccess ? null : token.Error.Code);
        return await GetAsync(connection.Id);
    }

    public async Task<Connection> GetAsync(string connectionId) =>
        await Services.GetRequiredService<IConnectionStore>().GetAsync(Tenant.OrganizationId, Tenant.ProjectId, connectionId)
        ?? throw new InvalidOperationException("The connection is gone.");

    public async ValueTask DisposeAsync()
    {
        await Hub.DisposeAsync();
        await Idp.DisposeAsync();
    }
}
