using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Integrations.Testing.OAuth;
using static Integrations.Api.Tests.Connections.ConnectionsApiTests;
using static Integrations.Api.Tests.HubFixture;

namespace Integrations.Api.Tests.Connections;

/// <summary>
/// The token and revocation routes through the real Server against a real OAuth 2.0 server (OpenIddict on loopback):
/// what a caller gets, what the authorization server sees, what is recorded — and that no token reaches a log line,
/// a problem body, an audit record or a table row.
/// </summary>
public sealed class ConnectionTokenApiTests(TokenHubFixture fixture) : IClassFixture<TokenHubFixture>
{
    private HubFixture Hub => fixture.Hub;

    [Fact]
    public async Task Token_ClientCredentialsConnection_ReturnsOneTokenUncachedAndAuditedWithoutIt()
    {
        var tenant = await Hub.CreateTenantAsync();
        using var client = Hub.Client(tenant.OwnerKey);
        var provider = await fixture.CreateProviderAsync(client, tenant);
        var connection = await TokenHubFixture.CreateOAuthConnectionAsync(client, tenant, provider, "machine", "oauth2_client_credentials");
        var id = (string)connection["id"]!;
        var before = fixture.Idp.TokenRequests("client_credentials");

        var first = await client.PostAsync(TokenPath(tenant, id), null);
        var firstBody = await Json(first, HttpStatusCode.OK);
        var second = await Json(await client.PostAsJsonAsync(TokenPath(tenant, id), new { force_refresh = false }), HttpStatusCode.OK);

        Assert.Equal("no-store", first.Headers.CacheControl?.ToString());
        var token = (string)firstBody["access_token"]!;
        Assert.False(string.IsNullOrEmpty(token));
        Assert.Equal("Bearer", (string?)firstBody["token_type"], ignoreCase: true);
        Assert.True(DateTimeOffset.Parse((string)firstBody["expires_at"]!, System.Globalization.CultureInfo.InvariantCulture) > DateTimeOffset.UnixEpoch);
        Assert.NotNull(firstBody["scope"]);
        // The second call is served from the stored token: the authorization server saw one grant.
        Assert.Equal(token, (string?)second["access_token"]);
        Assert.Equal(before + 1, fixture.Idp.TokenRequests("client_credentials"));
        var audit = await AuditAsync(client, tenant);
        var records = audit.Where(r => (string?)r["action"] == "connection.token").ToList();
        Assert.Equal(2, records.Count);
        Assert.All(records, r => Assert.Equal($"connection/{id}", (string?)r["target"]));
        Assert.All(records, r => Assert.Equal("success", (string?)r["outcome"]));
        Assert.DoesNotContain(token, string.Join('\n', audit.Select(r => r.ToJsonString())), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_ForceRefresh_RefreshesOnceWithTheStoredRefreshTokenAndReturnsTheNewToken()
    {
        var tenant = await Hub.CreateTenantAsync();
        using var client = Hub.Client(tenant.OwnerKey);
        var provider = await fixture.CreateProviderAsync(client, tenant);
        var id = (string)(await TokenHubFixture.CreateOAuthConnectionAsync(client, tenant, provider, "user-conn"))["id"]!;
        var granted = await fixture.ConnectWithPasswordAsync(tenant, id);
        var refreshesBefore = fixture.Idp.TokenRequests("refresh_token");

        var stored = await Json(await client.PostAsync(TokenPath(tenant, id), null), HttpStatusCode.OK);
        var refreshed = await Json(await client.PostAsJsonAsync(TokenPath(tenant, id), new { force_refresh = true }), HttpStatusCode.OK);

        Assert.Equal(granted.AccessToken, (string?)stored["access_token"]);
        Assert.NotEqual(granted.AccessToken, (string?)refreshed["access_token"]);
        Assert.Equal(refreshesBefore + 1, fixture.Idp.TokenRequests("refresh_token"));
        Assert.Contains(OpenIddictTestServer.ApiScope, ((string)refreshed["scope"]!).Split(' '));
    }

    [Fact]
    public async Task Token_StaticNeverConnectedOrDisabledConnection_409WithTheLifecycleCode()
    {
        var tenant = await Hub.CreateTenantAsync();
        using var client = Hub.Client(tenant.OwnerKey);
        await SecretsAsync(client, tenant);
        var apiKey = (string)(await CreateApiKeyConnectionAsync(client, tenant, "static"))["id"]!;
        var provider = await fixture.CreateProviderAsync(client, tenant);
        var pending = (string)(await TokenHubFixture.CreateOAuthConnectionAsync(client, tenant, provider, "pending"))["id"]!;
        var connected = (string)(await TokenHubFixture.CreateOAuthConnectionAsync(client, tenant, provider, "connected"))["id"]!;
        var granted = await fixture.ConnectWithPasswordAsync(tenant, connected);
        await Json(await client.PostAsync(TokenPath(tenant, connected), null), HttpStatusCode.OK);

        await Problem(await client.PostAsync(TokenPath(tenant, apiKey), null), HttpStatusCode.Conflict, "connection-not-oauth");
        await Problem(await client.PostAsync(TokenPath(tenant, pending), null), HttpStatusCode.Conflict, "connection-not-connected");
        await Json(await client.PatchAsJsonAsync($"/v1/projects/{tenant.ProjectId}/connections/{connected}", new { enabled = false }), HttpStatusCode.OK);
        // Disabling is seen by the very next request: the connection is read fresh, not from a cache.
        var disabled = await client.PostAsync(TokenPath(tenant, connected), null);
        var body = await disabled.Content.ReadAsStringAsync();
        await Problem(disabled, HttpStatusCode.Conflict, "connection-disabled");
        Assert.DoesNotContain(granted.AccessToken, body, StringComparison.Ordinal);
        Assert.DoesNotContain(granted.RefreshToken!, body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Revoke_ConnectedConnection_ProviderConfirmsRefreshTokenIsDeadAndConfigurationStays()
    {
        var tenant = await Hub.CreateTenantAsync();
        using var client = Hub.Client(tenant.OwnerKey);
        var provider = await fixture.CreateProviderAsync(client, tenant);
        var id = (string)(await TokenHubFixture.CreateOAuthConnectionAsync(client, tenant, provider, "to-revoke"))["id"]!;
        var granted = await fixture.ConnectWithPasswordAsync(tenant, id);

        var revoked = await Json(await client.PostAsync($"/v1/projects/{tenant.ProjectId}/connections/{id}/revoke", null), HttpStatusCode.OK);

        Assert.Equal(id, (string?)revoked["id"]);
        Assert.Equal("succeeded", (string?)revoked["revocation"]);
        Assert.True((bool)revoked["provider_confirmed"]!);
        Assert.Equal("revoked", (string?)revoked["status"]);
        var atServer = await fixture.RefreshAtServerAsync(granted.RefreshToken!);
        Assert.False(atServer.IsSuccess);
        Assert.Equal("invalid_grant", atServer.Failure!.Error);
        // The configuration stays: the connection is there, revoked, and hands out no token until connected again.
        var kept = await Json(await client.GetAsync($"/v1/projects/{tenant.ProjectId}/connections/{id}"), HttpStatusCode.OK);
        Assert.Equal("revoked", (string?)kept["status"]);
        await Problem(await client.PostAsync(TokenPath(tenant, id), null), HttpStatusCode.Conflict, "connection-not-connected");
        var again = await fixture.ConnectWithPasswordAsync(tenant, id);
        var token = await Json(await client.PostAsync(TokenPath(tenant, id), null), HttpStatusCode.OK);
        Assert.Equal(again.AccessToken, (string?)token["access_token"]);
        Assert.Contains(await AuditAsync(client, tenant), r => (string?)r["action"] == "connection.revoke" && (string?)r["outcome"] == "success");
    }

    [Fact]
    public async Task Revoke_StaticConnection_409NotOAuth()
    {
        var tenant = await Hub.CreateTenantAsync();
        using var client = Hub.Client(tenant.OwnerKey);
        await SecretsAsync(client, tenant);
        var id = (string)(await CreateApiKeyConnectionAsync(client, tenant, "static"))["id"]!;

        await Problem(await client.PostAsync($"/v1/projects/{tenant.ProjectId}/connections/{id}/revoke", null), HttpStatusCode.Conflict, "connection-not-oauth");
    }

    [Fact]
    public async Task Delete_ConnectedConnection_RevokesTheRefreshTokenAtTheServer()
    {
        var tenant = await Hub.CreateTenantAsync();
        using var client = Hub.Client(tenant.OwnerKey);
        var provider = await fixture.CreateProviderAsync(client, tenant);
        var id = (string)(await TokenHubFixture.CreateOAuthConnectionAsync(client, tenant, provider, "to-delete"))["id"]!;
        var control = (string)(await TokenHubFixture.CreateOAuthConnectionAsync(client, tenant, provider, "control"))["id"]!;
        var granted = await fixture.ConnectWithPasswordAsync(tenant, id);
        var controlGrant = await fixture.ConnectWithPasswordAsync(tenant, control);

        var deleted = await Json(await client.DeleteAsync($"/v1/projects/{tenant.ProjectId}/connections/{id}"), HttpStatusCode.OK);

        Assert.Equal("succeeded", (string?)deleted["revocation"]);
        var atServer = await fixture.RefreshAtServerAsync(granted.RefreshToken!);
        Assert.False(atServer.IsSuccess);
        Assert.Equal("invalid_grant", atServer.Failure!.Error);
        await Problem(await client.GetAsync($"/v1/projects/{tenant.ProjectId}/connections/{id}"), HttpStatusCode.NotFound, "not-found");
        // The control, granted alike and not deleted: its refresh token still works, so the failure above is the revocation's.
        Assert.True((await fixture.RefreshAtServerAsync(controlGrant.RefreshToken!)).IsSuccess);
    }

    [Fact]
    public async Task RevokeEndUser_RevokesEveryOAuthConnectionOfThatUserOnly_EachOutcomeListed()
    {
        var tenant = await Hub.CreateTenantAsync();
        using var client = Hub.Client(tenant.OwnerKey);
        await SecretsAsync(client, tenant);
        var provider = await fixture.CreateProviderAsync(client, tenant);
        var first = (string)(await TokenHubFixture.CreateOAuthConnectionAsync(client, tenant, provider, "leaver-1", endUser: "user-leaves"))["id"]!;
        var second = (string)(await TokenHubFixture.CreateOAuthConnectionAsync(client, tenant, provider, "leaver-2", endUser: "user-leaves"))["id"]!;
        var staticOne = (string)(await Json(await client.PostAsJsonAsync($"/v1/projects/{tenant.ProjectId}/connections", new Dictionary<string, object>
        {
            ["name"] = "leaver-static", ["type"] = "bearer", ["secret_refs"] = new Dictionary<string, string> { ["token"] = "gh-token" },
            ["end_user"] = new { id = "user-leaves" },
        }), HttpStatusCode.Created))["id"]!;
        var stays = (string)(await TokenHubFixture.CreateOAuthConnectionAsync(client, tenant, provider, "stays", endUser: "user-stays"))["id"]!;
        var g1 = await fixture.ConnectWithPasswordAsync(tenant, first);
        var g2 = await fixture.ConnectWithPasswordAsync(tenant, second);
        var g3 = await fixture.ConnectWithPasswordAsync(tenant, stays);

        var result = await Json(await client.PostAsync($"/v1/projects/{tenant.ProjectId}/connections/revoke?end_user_id=user-leaves", null), HttpStatusCode.OK);

        Assert.Equal("user-leaves", (string?)result["end_user_id"]);
        Assert.Equal(2, (int)result["revoked"]!);
        Assert.True((bool)result["complete"]!);
        var outcomes = result["connections"]!.AsArray().ToDictionary(c => (string)c!["id"]!, c => c!);
        Assert.Equal(3, outcomes.Count);
        Assert.Equal("revoked", (string?)outcomes[first]["outcome"]);
        Assert.Equal("succeeded", (string?)outcomes[first]["revocation"]);
        Assert.Equal("revoked", (string?)outcomes[second]["outcome"]);
        Assert.Equal("not_oauth", (string?)outcomes[staticOne]["outcome"]);
        Assert.False((await fixture.RefreshAtServerAsync(g1.RefreshToken!)).IsSuccess);
        Assert.False((await fixture.RefreshAtServerAsync(g2.RefreshToken!)).IsSuccess);
        // The other end user's connection is untouched: its token is still handed out.
        var kept = await Json(await client.PostAsync(TokenPath(tenant, stays), null), HttpStatusCode.OK);
        Assert.Equal(g3.AccessToken, (string?)kept["access_token"]);
        // Each connection's revocation is recorded (its status change), and the request itself.
        var audit = await AuditAsync(client, tenant);
        Assert.Contains(audit, r => (string?)r["action"] == "connection.revoke_end_user" && (string?)r["target"] == "end-user/user-leaves" && (string?)r["outcome"] == "success");
        Assert.Contains(audit, r => (string?)r["action"] == "connection.status.change" && (string?)r["target"] == $"connection/{first}");
        Assert.Contains(audit, r => (string?)r["action"] == "connection.status.change" && (string?)r["target"] == $"connection/{second}");
        // Calling again finds nothing left to revoke.
        var again = await Json(await client.PostAsync($"/v1/projects/{tenant.ProjectId}/connections/revoke?end_user_id=user-leaves", null), HttpStatusCode.OK);
        Assert.Equal(0, (int)again["revoked"]!);
        Assert.Equal("already_revoked", (string?)again["connections"]!.AsArray().Single(c => (string)c!["id"]! == first)!["outcome"]);
    }

    [Fact]
    public async Task RevokeEndUser_WithoutEndUserId_400AndNothingRevoked()
    {
        var tenant = await Hub.CreateTenantAsync();
        using var client = Hub.Client(tenant.OwnerKey);

        await Problem(await client.PostAsync($"/v1/projects/{tenant.ProjectId}/connections/revoke", null), HttpStatusCode.BadRequest, "invalid-end-user");
    }

    [Fact]
    public async Task EveryTokenHandled_AppearsInNoLogLineProblemBodyAuditRecordOrTableRow()
    {
        var tenant = await Hub.CreateTenantAsync();
        using var client = Hub.Client(tenant.OwnerKey);
        var provider = await fixture.CreateProviderAsync(client, tenant);
        var id = (string)(await TokenHubFixture.CreateOAuthConnectionAsync(client, tenant, provider, "leak-check"))["id"]!;
        var machine = (string)(await TokenHubFixture.CreateOAuthConnectionAsync(client, tenant, provider, "leak-machine", "oauth2_client_credentials"))["id"]!;
        var granted = await fixture.ConnectWithPasswordAsync(tenant, id);
        var credentials = new List<string> { granted.AccessToken, granted.RefreshToken!, OpenIddictTestServer.ClientSecret, OpenIddictTestServer.Password };
        var bodies = new List<string>();
        foreach (var force in new[] { false, true, false })
        {
            var token = await Json(await client.PostAsJsonAsync(TokenPath(tenant, id), new { force_refresh = force }), HttpStatusCode.OK);
            credentials.Add((string)token["access_token"]!);
        }

        credentials.Add((string)(await Json(await client.PostAsync(TokenPath(tenant, machine), null), HttpStatusCode.OK))["access_token"]!);
        bodies.Add(await (await client.PostAsync($"/v1/projects/{tenant.ProjectId}/connections/{id}/revoke", null)).Content.ReadAsStringAsync());
        bodies.Add(await (await client.PostAsync(TokenPath(tenant, id), null)).Content.ReadAsStringAsync());
        bodies.Add(await (await client.PostAsJsonAsync(TokenPath(tenant, id), new { force_refresh = true })).Content.ReadAsStringAsync());
        bodies.Add(await (await client.GetAsync($"/v1/projects/{tenant.ProjectId}/connections/{id}/status")).Content.ReadAsStringAsync());
        bodies.Add(await (await client.DeleteAsync($"/v1/projects/{tenant.ProjectId}/connections/{machine}")).Content.ReadAsStringAsync());
        var audit = string.Join('\n', (await AuditAsync(client, tenant)).Select(r => r.ToJsonString()));
        var rows = await AllTableTextAsync();

        Assert.NotEmpty(fixture.Logs.Lines);
        var logs = string.Join('\n', fixture.Logs.Lines);
        foreach (var credential in credentials.Distinct())
        {
            Assert.DoesNotContain(credential, logs, StringComparison.Ordinal);
            Assert.All(bodies, b => Assert.DoesNotContain(credential, b, StringComparison.Ordinal));
            Assert.DoesNotContain(credential, audit, StringComparison.Ordinal);
            Assert.DoesNotContain(credential, rows, StringComparison.Ordinal);
        }
    }

    internal static string TokenPath(Tenant tenant, string connectionId) => $"/v1/projects/{tenant.ProjectId}/connections/{connectionId}/token";

    private static async Task<List<JsonNode>> AuditAsync(HttpClient client, Tenant tenant)
    {
        var log = await Json(await client.GetAsync($"/v1/projects/{tenant.ProjectId}/audit?per_page=100"), HttpStatusCode.OK);
        return log["data"]!.AsArray().Select(r => r!).ToList();
    }

    /// <summary>Every property of every row in every table of this hub's storage prefix, as text: tokens are stored sealed, never plain.</summary>
    private async Task<string> AllTableTextAsync()
    {
        var service = new TableServiceClient(Hub.ConnectionString);
        var text = new System.Text.StringBuilder();
        await foreach (var table in service.QueryAsync())
        {
            if (!table.Name.StartsWith(Hub.Prefix, StringComparison.Ordinal))
            {
                continue;
            }

            await foreach (var row in service.GetTableClient(table.Name).QueryAsync<TableEntity>())
            {
                foreach (var (key, value) in row)
                {
                    text.Append(key).Append('=').Append(value is byte[] bytes ? System.Text.Encoding.UTF8.GetString(bytes) : value?.ToString()).Append('\n');
                }
            }
        }

        Assert.True(text.Length > 0, "no table rows found under the hub's prefix");
        return text.ToString();
    }
}
