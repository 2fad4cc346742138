using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Integrations.Core.Connections;
using Integrations.Core.OAuth;
using Integrations.Core.OAuth.Protocol;
using Integrations.Core.OAuth.Tokens;
using Integrations.Testing.OAuth;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using static Integrations.Api.Tests.HubFixture;

namespace Integrations.Api.Tests.Connections;

/// <summary>
/// The Server (Development: http provider endpoints allowed; the outbound guard open to 127.0.0.1/32 only) with every
/// log line recorded at Trace, and a real OAuth 2.0 server (OpenIddict) on loopback.
/// </summary>
public sealed class TokenHubFixture : IAsyncLifetime
{
    public HubFixture Hub { get; } = new() { Environment = "Development" };

    public OpenIddictTestServer Idp { get; private set; } = null!;

    public RecordingLoggerProvider Logs { get; } = new();

    public async Task InitializeAsync()
    {
        Idp = await OpenIddictTestServer.StartAsync();
        Hub.Settings["OutboundHttp:AllowedNetworks:0"] = "127.0.0.1/32";
        Hub.Settings["Logging:LogLevel:Default"] = "Trace";
        Hub.ConfigureServices = services => services.AddSingleton<ILoggerProvider>(Logs);
        await Hub.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await Hub.DisposeAsync();
        await Idp.DisposeAsync();
    }

    /// <summary>A provider registered by the OpenIddict server's issuer (discovery), client_secret_basic, a 1 s refresh skew.</summary>
    public async Task<string> CreateProviderAsync(HttpClient client, Tenant tenant)
    {
        var provider = await Json(await client.PostAsJsonAsync(tenant.Providers, new
        {
            name = "idp-" + Integrations.Testing.TestRandom.Hex(4), issuer = Idp.Issuer.AbsoluteUri, client_id = OpenIddictTestServer.ClientId,
            client_secret = OpenIddictTestServer.ClientSecret, client_authentication = "client_secret_basic", refresh_skew_seconds = 1,
        }), HttpStatusCode.Created);
        return (string)provider["id"]!;
    }

    public static async Task<JsonNode> CreateOAuthConnectionAsync(HttpClient client, Tenant tenant, string providerId, string name, string type = "oauth2_password", string? endUser = null)
    {
        var body = new Dictionary<string, object> { ["name"] = name, ["type"] = type, ["provider_id"] = providerId };
        if (endUser is not null)
        {
            body["end_user"] = new { id = endUser };
        }

        return await Json(await client.PostAsJsonAsync($"/v1/projects/{tenant.ProjectId}/connections", body), HttpStatusCode.Created);
    }

    /// <summary>
    /// Connects an <c>oauth2_password</c> connection as the grant route will: a password grant at the OpenIddict server
    /// through the hub's protocol client, stored by the token service. Returns the server's response (its tokens).
    /// </summary>
    public Task<TokenResponse> ConnectWithPasswordAsync(Tenant tenant, string connectionId) =>
        ConnectWithPasswordAsync(Hub.Services, Idp, tenant.OrganizationId, tenant.ProjectId, connectionId);

    public static async Task<TokenResponse> ConnectWithPasswordAsync(IServiceProvider services, OpenIddictTestServer idp, string organizationId, string projectId, string connectionId)
    {
        var connection = await services.GetRequiredService<IConnectionStore>().GetAsync(organizationId, projectId, connectionId)
            ?? throw new InvalidOperationException("No such connection.");
        var granted = await services.GetRequiredService<IOAuthProtocol>().RequestTokenAsync(new TokenRequest(idp.TokenEndpoint,
            new OAuthClientCredentials(OpenIddictTestServer.ClientId, ClientAuthenticationMethod.ClientSecretBasic, OpenIddictTestServer.ClientSecret), "password",
            new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["username"] = OpenIddictTestServer.Username, ["password"] = OpenIddictTestServer.Password, ["scope"] = "offline_access " + OpenIddictTestServer.ApiScope,
            }, "test-password-" + connectionId));
        Assert.True(granted.IsSuccess, $"password grant failed: {granted.Failure}");
        Assert.False(string.IsNullOrEmpty(granted.Response.RefreshToken));
        var stored = await services.GetRequiredService<IConnectionTokenService>().StoreGrantAsync(connection, granted.Response, null, "test:password-grant");
        Assert.True(stored.IsSuccess, $"storing the grant failed: {(stored.IsSuccess ? "" : stored.Error.Code)}");
        return granted.Response;
    }

    /// <summary>A refresh grant at the OpenIddict server, sent by the test itself: does the server still honour this refresh token?</summary>
    public Task<TokenResult> RefreshAtServerAsync(string refreshToken) =>
        Hub.Services.GetRequiredService<IOAuthProtocol>().RequestTokenAsync(new TokenRequest(Idp.TokenEndpoint,
            new OAuthClientCredentials(OpenIddictTestServer.ClientId, ClientAuthenticationMethod.ClientSecretBasic, OpenIddictTestServer.ClientSecret), "refresh_token",
            new Dictionary<string, string>(StringComparer.Ordinal) { ["refresh_token"] = refreshToken }, "test-refresh-check"));
}
