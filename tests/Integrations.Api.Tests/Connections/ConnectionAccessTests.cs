using System.Net;
using System.Net.Http.Json;
using static Integrations.Api.Tests.Connections.ConnectionsApiTests;
using static Integrations.Api.Tests.HubFixture;

namespace Integrations.Api.Tests.Connections;

/// <summary>Every connection and activity route: another organization's key gets 404 and changes nothing; a key without the route's scope gets 403.</summary>
public sealed class ConnectionAccessTests(HubFixture hub) : IClassFixture<HubFixture>
{
    public static TheoryData<string, string, string> Routes => new()
    {
        { "POST", "/v1/projects/{p}/connections", "connections:write" },
        { "GET", "/v1/projects/{p}/connections", "connections:read" },
        { "GET", "/v1/projects/{p}/connections/{c}", "connections:read" },
        { "PATCH", "/v1/projects/{p}/connections/{c}", "connections:write" },
        { "DELETE", "/v1/projects/{p}/connections/{c}", "connections:write" },
        { "GET", "/v1/projects/{p}/connections/{c}/status", "connections:read" },
        { "GET", "/v1/projects/{p}/connections/{c}/proxy/customers?limit=1", "connections:proxy" },
        { "POST", "/v1/projects/{p}/connections/{c}/proxy/customers", "connections:proxy" },
        { "DELETE", "/v1/projects/{p}/connections/{c}/proxy", "connections:proxy" },
        { "POST", "/v1/projects/{p}/connections/{c}/test", "connections:write" },
        { "GET", "/v1/projects/{p}/activity", "connections:read" },
        { "POST", "/v1/projects/{p}/connections/{c}/authorize", "connections:write" },
        { "POST", "/v1/projects/{p}/connections/{c}/device", "connections:write" },
        { "POST", "/v1/projects/{p}/connections/{c}/grant", "connections:write" },
    };

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task OtherTenantsConnection_Returns404AndChangesNothing(string method, string template, string scope)
    {
        _ = scope;
        var victim = await hub.CreateTenantAsync("Victim");
        var attacker = await hub.CreateTenantAsync("Attacker");
        using var victimClient = hub.Client(victim.OwnerKey);
        await SecretsAsync(victimClient, victim);
        var connection = await CreateApiKeyConnectionAsync(victimClient, victim, "shared-name");
        var before = await Json(await victimClient.GetAsync($"{Path(victim)}/{(string)connection["id"]!}"), HttpStatusCode.OK);
        using var attackerClient = hub.Client(attacker.OwnerKey);

        var response = await attackerClient.SendAsync(Request(method, template, victim.ProjectId, (string)connection["id"]!));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("shared-name", body, StringComparison.Ordinal);
        var after = await Json(await victimClient.GetAsync($"{Path(victim)}/{(string)connection["id"]!}"), HttpStatusCode.OK);
        Assert.Equal(before.ToJsonString(), after.ToJsonString());
        var list = await Json(await victimClient.GetAsync(Path(victim)), HttpStatusCode.OK);
        Assert.Equal(1, (int)list["pagination"]!["total"]!);
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task KeyWithoutTheScope_Returns403AndChangesNothing(string method, string template, string scope)
    {
        var tenant = await hub.CreateTenantAsync();
        using var owner = hub.Client(tenant.OwnerKey);
        await SecretsAsync(owner, tenant);
        var connection = await CreateApiKeyConnectionAsync(owner, tenant, "guarded");
        var before = await Json(await owner.GetAsync($"{Path(tenant)}/{(string)connection["id"]!}"), HttpStatusCode.OK);
        // Every scope but the route's: a read key cannot write, a write key cannot read.
        var others = scope == "connections:read" ? new[] { "connections:write", "secrets:read" } : ["connections:read", "secrets:write"];
        var key = await Json(await owner.PostAsJsonAsync($"/v1/orgs/{tenant.OrganizationId}/api-keys", new { name = "limited", scopes = others }), HttpStatusCode.Created);
        using var limited = hub.Client((string)key["key"]!);

        var response = await limited.SendAsync(Request(method, template, tenant.ProjectId, (string)connection["id"]!));

        await Problem(response, HttpStatusCode.Forbidden, "missing-scope");
        var after = await Json(await owner.GetAsync($"{Path(tenant)}/{(string)connection["id"]!}"), HttpStatusCode.OK);
        Assert.Equal(before.ToJsonString(), after.ToJsonString());
        var list = await Json(await owner.GetAsync(Path(tenant)), HttpStatusCode.OK);
        Assert.Equal(1, (int)list["pagination"]!["total"]!);
    }

    private static HttpRequestMessage Request(string method, string template, string projectId, string connectionId)
    {
        var request = new HttpRequestMessage(new HttpMethod(method),
            template.Replace("{p}", projectId, StringComparison.Ordinal).Replace("{c}", connectionId, StringComparison.Ordinal));
        if (method is "POST" or "PATCH")
        {
            request.Content = JsonContent.Create(new Dictionary<string, object>
            {
                ["name"] = "overwrite", ["type"] = "bearer", ["description"] = "changed", ["secret_refs"] = new Dictionary<string, string> { ["token"] = "gh-token" },
            });
        }

        return request;
    }
}
