using System.Net;
using System.Net.Http.Json;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Integrations.Core.Connections;
using Integrations.Core.OAuth.Tokens;
using Integrations.Testing;
using Integrations.Testing.OAuth;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static Integrations.Api.Tests.HubFixture;

namespace Integrations.Api.Tests.Connections;

/// <summary>
/// The Server in Development (http loopback provider endpoints allowed; binding cookies without <c>__Host-</c>) with the outbound
/// guard open to 127.0.0.0/8, <c>Hub:PublicBaseUrl</c> = its own address, and a real OpenIddict server on loopback whose
/// client registration names the hub's callback as its redirect URI.
/// </summary>
public class ConnectFlowFixture : IAsyncLifetime
{
    /// <summary>Where redirect_after may point (an allowed origin in every tenant the fixture prepares).</summary>
    public const string AppOrigin = "http://127.0.0.1:5999";

    public HubFixture Hub { get; } = new() { Environment = "Development" };

    public OpenIddictTestServer Idp { get; private set; } = null!;

    public ScriptedTokenEndpoint Scripted { get; private set; } = null!;

    public Uri HubBase { get; private set; } = null!;

    /// <summary>Set by <see cref="FakeClockConnectFlowFixture"/>: the Server's clock.</summary>
    public FakeTimeProvider? Clock { get; protected init; }

    public async Task InitializeAsync()
    {
        var port = FreePort();
        HubBase = new Uri($"http://127.0.0.1:{port}/");
        Hub.Port = port;
        Hub.Settings["Hub:PublicBaseUrl"] = $"http://127.0.0.1:{port}";
        Hub.Settings["OutboundHttp:AllowedNetworks:0"] = "127.0.0.0/8";
        if (Clock is { } clock)
        {
            Hub.ConfigureServices = services => services.AddSingleton<TimeProvider>(clock);
            // The scheduled state cleanup runs on the same clock: advanced across a quarter hour it would delete the state a
            // test expects to find expired (answering "unknown" instead). Once a year keeps it out of the way.
            Hub.Settings["OAuth:StateCleanupSchedule"] = "0 0 0 1 1 *";
        }

        Idp = await OpenIddictTestServer.StartAsync(new OpenIddictTestServerOptions { RedirectUris = [new Uri(HubBase, "v1/oauth/callback")] });
        Scripted = await ScriptedTokenEndpoint.StartAsync();
        await Hub.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await Hub.DisposeAsync();
        await Idp.DisposeAsync();
        await Scripted.DisposeAsync();
    }

    /// <summary>A tenant whose project allows <see cref="AppOrigin"/> as a redirect_after origin.</summary>
    public async Task<Tenant> TenantAsync(string name = "Acme")
    {
        var tenant = await Hub.CreateTenantAsync(name);
        using var client = Hub.Client(tenant.OwnerKey);
        await Json(await client.PutAsJsonAsync($"/v1/projects/{tenant.ProjectId}/oauth/settings", new { allowed_redirect_origins = new[] { AppOrigin } }), HttpStatusCode.OK);
        return tenant;
    }

    /// <summary>A provider for the OpenIddict server by its issuer (discovery), the confidential client; <paramref name="endpoints"/> override.</summary>
    public async Task<string> ProviderAsync(Tenant tenant, object? endpoints = null, string clientId = OpenIddictTestServer.ClientId)
    {
        using var client = Hub.Client(tenant.OwnerKey);
        var created = await Json(await client.PostAsJsonAsync(tenant.Providers, new Dictionary<string, object?>
        {
            ["name"] = "idp-" + Integrations.Testing.TestRandom.Hex(4),
            ["issuer"] = Idp.Issuer.AbsoluteUri,
            ["client_id"] = clientId,
            ["client_secret"] = OpenIddictTestServer.ClientSecret,
            ["endpoints"] = endpoints,
        }.Where(p => p.Value is not null).ToDictionary()), HttpStatusCode.Created);
        return (string)created["id"]!;
    }

    public async Task<string> ConnectionAsync(Tenant tenant, string providerId, string type, params string[] scopes)
    {
        using var client = Hub.Client(tenant.OwnerKey);
        var created = await Json(await client.PostAsJsonAsync($"/v1/projects/{tenant.ProjectId}/connections", new
        {
            name = "c-" + Integrations.Testing.TestRandom.Hex(4),
            type,
            provider_id = providerId,
            scopes,
        }), HttpStatusCode.Created);
        return (string)created["id"]!;
    }

    public async Task<JsonNode> StatusAsync(Tenant tenant, string connectionId)
    {
        using var client = Hub.Client(tenant.OwnerKey);
        return await Json(await client.GetAsync($"/v1/projects/{tenant.ProjectId}/connections/{connectionId}/status"), HttpStatusCode.OK);
    }

    /// <summary>What the token service has for the connection, read in-process: a token, or the error code.</summary>
    public async Task<(string? AccessToken, string? ErrorCode)> StoredTokenAsync(Tenant tenant, string connectionId)
    {
        var connection = await Hub.Services.GetRequiredService<IConnectionStore>().GetAsync(tenant.OrganizationId, tenant.ProjectId, connectionId);
        var token = await Hub.Services.GetRequiredService<IConnectionTokenService>().GetAsync(connection!);
        return token.IsSuccess ? (token.Value.Value, null) : (null, token.Error.Code);
    }

    /// <summary>Asserts the connection was left as created: pending, no account, no tokens in the vault.</summary>
    public async Task AssertNothingStoredAsync(Tenant tenant, string connectionId)
    {
        var status = await StatusAsync(tenant, connectionId);
        Assert.Equal("pending", (string?)status["status"]);
        Assert.Null(status["account"]);
        Assert.Empty(status["granted_scopes"]!.AsArray());
        var (token, error) = await StoredTokenAsync(tenant, connectionId);
        Assert.Null(token);
        Assert.Equal(TokenErrors.NotConnected, error);
    }

    /// <summary>A browser: a cookie jar, redirects not followed (the test follows them, so it can look at each).</summary>
    public static HttpClient Browser() => new(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer(), UseCookies = true });

    /// <summary>The OpenIddict server's token response for <paramref name="clientId"/> (id token with <paramref name="nonce"/>), by a code flow the test drives itself, not the hub.</summary>
    public async Task<JsonNode> ProviderTokensAsync(string clientId, string nonce, string scope = "openid")
    {
        var verifier = TestRandom.Hex(32);
        var challenge = Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var redirect = new Uri(HubBase, "v1/oauth/callback").AbsoluteUri;
        var url = QueryHelpers.AddQueryString(Idp.AuthorizationEndpoint.AbsoluteUri, new Dictionary<string, string?>
        {
            ["client_id"] = clientId, ["response_type"] = "code", ["scope"] = scope, ["redirect_uri"] = redirect, ["state"] = TestRandom.Hex(16),
            ["nonce"] = nonce, ["code_challenge"] = challenge, ["code_challenge_method"] = "S256",
        });
        var callback = await Idp.AuthorizeAsync(new Uri(url));
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["code"] = QueryHelpers.ParseQuery(callback.Query)["code"].ToString(), ["redirect_uri"] = redirect,
            ["code_verifier"] = verifier, ["client_id"] = clientId,
        };
        if (clientId == OpenIddictTestServer.ClientId)
        {
            form["client_secret"] = OpenIddictTestServer.ClientSecret;
        }

        using var http = new HttpClient();
        http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await http.PostAsync(Idp.TokenEndpoint, new FormUrlEncodedContent(form));
        return await Json(response, HttpStatusCode.OK);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>The same, with a clock the test moves.</summary>
public sealed class FakeClockConnectFlowFixture : ConnectFlowFixture
{
    public FakeClockConnectFlowFixture() => Clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
}
