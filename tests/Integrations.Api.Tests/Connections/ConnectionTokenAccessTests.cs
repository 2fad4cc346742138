using System.Net;
using System.Net.Http.Json;
using static Integrations.Api.Tests.HubFixture;

namespace Integrations.Api.Tests.Connections;

/// <summary>
/// The token and revocation routes: another organization's key gets 404 and changes nothing (no token handed out, no
/// revocation at the provider); a key without the route's scope gets 403 and changes nothing.
/// </summary>
public sealed class ConnectionTokenAccessTests(TokenHubFixture fixture) : IClassFixture<TokenHubFixture>
{
    public static TheoryData<string, string> Routes => new()
    {
        { "/v1/projects/{p}/connections/{c}/token", "connections:token" },
        { "/v1/projects/{p}/connections/{c}/revoke", "connections:write" },
        { "/v1/projects/{p}/connections/revoke?end_user_id=victim-user", "connections:write" },
    };

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task OtherTenantsConnection_Returns404AndChangesNothing(string template, string scope)
    {
        _ = scope;
        var (victim, victimClient, connectionId, granted) = await ConnectedAsync("Victim");
        var attacker = await fixture.Hub.CreateTenantAsync("Attacker");
        using var attackerClient = fixture.Hub.Client(attacker.OwnerKey);
        var revocationsBefore = fixture.Idp.TokenRequests("refresh_token");

        var response = await attackerClient.PostAsync(Path(template, victim.ProjectId, connectionId), null);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain(granted.AccessToken, body, StringComparison.Ordinal);
        Assert.DoesNotContain("victim-conn", body, StringComparison.Ordinal);
        await AssertUnchangedAsync(victim, victimClient, connectionId, granted.AccessToken);
        Assert.Equal(revocationsBefore, fixture.Idp.TokenRequests("refresh_token"));
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task KeyWithoutTheScope_Returns403AndChangesNothing(string template, string scope)
    {
        var (tenant, owner, connectionId, granted) = await ConnectedAsync("Acme");
        // Every connection scope but the route's.
        var others = new[] { "connections:read", "connections:write", "connections:token", "connections:proxy" }.Where(s => s != scope).ToArray();
        var key = await Json(await owner.PostAsJsonAsync($"/v1/orgs/{tenant.OrganizationId}/api-keys", new { name = "limited", scopes = others }), HttpStatusCode.Created);
        using var limited = fixture.Hub.Client((string)key["key"]!);

        var response = await limited.PostAsync(Path(template, tenant.ProjectId, connectionId), null);
        var body = await response.Content.ReadAsStringAsync();

        await Problem(response, HttpStatusCode.Forbidden, "missing-scope");
        Assert.DoesNotContain(granted.AccessToken, body, StringComparison.Ordinal);
        await AssertUnchangedAsync(tenant, owner, connectionId, granted.AccessToken);
    }

    private async Task<(Tenant Tenant, HttpClient Client, string ConnectionId, Core.OAuth.Protocol.TokenResponse Granted)> ConnectedAsync(string organization)
    {
        var tenant = await fixture.Hub.CreateTenantAsync(organization);
        var client = fixture.Hub.Client(tenant.OwnerKey);
        var provider = await fixture.CreateProviderAsync(client, tenant);
        var id = (string)(await TokenHubFixture.CreateOAuthConnectionAsync(client, tenant, provider, "victim-conn", endUser: "victim-user"))["id"]!;
        var granted = await fixture.ConnectWithPasswordAsync(tenant, id);
        return (tenant, client, id, granted);
    }

    /// <summary>Still active, still handing out the same token: nothing was revoked or refreshed.</summary>
    private static async Task AssertUnchangedAsync(Tenant tenant, HttpClient owner, string connectionId, string accessToken)
    {
        var connection = await Json(await owner.GetAsync($"/v1/projects/{tenant.ProjectId}/connections/{connectionId}"), HttpStatusCode.OK);
        Assert.Equal("active", (string?)connection["status"]);
        var token = await Json(await owner.PostAsync(ConnectionTokenApiTests.TokenPath(tenant, connectionId), null), HttpStatusCode.OK);
        Assert.Equal(accessToken, (string?)token["access_token"]);
        owner.Dispose();
    }

    private static string Path(string template, string projectId, string connectionId) =>
        template.Replace("{p}", projectId, StringComparison.Ordinal).Replace("{c}", connectionId, StringComparison.Ordinal);
}
