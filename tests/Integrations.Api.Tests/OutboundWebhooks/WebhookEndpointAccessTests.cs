using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using static Integrations.Api.Tests.HubFixture;
using static Integrations.Api.Tests.OutboundWebhooks.EndpointHubFixture;

namespace Integrations.Api.Tests.OutboundWebhooks;

/// <summary>
/// Every webhook-endpoint route, as an attacker would call it: another organization's key gets 404 and changes nothing (no
/// secret revealed, none rotated); an endpoint of another project named in this project's route is not found; a key
/// without the route's scope gets 403.
/// </summary>
public sealed class WebhookEndpointAccessTests(EndpointHubFixture fixture) : IClassFixture<EndpointHubFixture>
{
    public static TheoryData<string, string, string> Routes => new()
    {
        { "POST", "/v1/projects/{p}/webhook-endpoints", "webhooks:write" },
        { "GET", "/v1/projects/{p}/webhook-endpoints", "webhooks:read" },
        { "GET", "/v1/projects/{p}/webhook-endpoints/{e}", "webhooks:read" },
        { "PATCH", "/v1/projects/{p}/webhook-endpoints/{e}", "webhooks:write" },
        { "DELETE", "/v1/projects/{p}/webhook-endpoints/{e}", "webhooks:write" },
        { "POST", "/v1/projects/{p}/webhook-endpoints/{e}/secret/rotate", "webhooks:write" },
        { "POST", "/v1/projects/{p}/webhook-endpoints/{e}/secret/reveal", "webhooks:read" },
    };

    public static TheoryData<string, string> ItemRoutes => new()
    {
        { "GET", "/v1/projects/{p}/webhook-endpoints/{e}" },
        { "PATCH", "/v1/projects/{p}/webhook-endpoints/{e}" },
        { "DELETE", "/v1/projects/{p}/webhook-endpoints/{e}" },
        { "POST", "/v1/projects/{p}/webhook-endpoints/{e}/secret/rotate" },
        { "POST", "/v1/projects/{p}/webhook-endpoints/{e}/secret/reveal" },
    };

    private HubFixture Hub => fixture.Hub;

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task OtherTenantsEndpoint_Returns404AndChangesNothing(string method, string template, string scope)
    {
        _ = scope;
        var victim = await Hub.CreateTenantAsync("Victim");
        var attacker = await Hub.CreateTenantAsync("Attacker");
        using var victimClient = Hub.Client(victim.OwnerKey);
        var id = (string)(await CreateAsync(victimClient, victim, "https://victim.example.com/secret-path"))["id"]!;
        var before = await StateAsync(victimClient, victim, id);
        using var attackerClient = Hub.Client(attacker.OwnerKey);

        var response = await attackerClient.SendAsync(Request(method, template, victim.ProjectId, id));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("secret-path", body, StringComparison.Ordinal);
        Assert.DoesNotContain("whsec_", body, StringComparison.Ordinal);
        Assert.Equal(before, await StateAsync(victimClient, victim, id));
    }

    [Theory]
    [MemberData(nameof(ItemRoutes))]
    public async Task EndpointOfAnotherProject_InThisProjectsRoute_Returns404AndChangesNothing(string method, string template)
    {
        var tenant = await Hub.CreateTenantAsync();
        using var owner = Hub.Client(tenant.OwnerKey);
        var id = (string)(await CreateAsync(owner, tenant))["id"]!;
        var before = await StateAsync(owner, tenant, id);
        var otherProject = (string)(await Json(await owner.PostAsJsonAsync("/v1/projects", new { name = "other-" + Integrations.Testing.TestRandom.Hex(4) }),
            HttpStatusCode.Created))["id"]!;

        var response = await owner.SendAsync(Request(method, template, otherProject, id));

        await Problem(response, HttpStatusCode.NotFound, "not-found");
        Assert.Equal(before, await StateAsync(owner, tenant, id));
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task KeyWithoutTheScope_Returns403AndChangesNothing(string method, string template, string scope)
    {
        var tenant = await Hub.CreateTenantAsync();
        using var owner = Hub.Client(tenant.OwnerKey);
        var id = (string)(await CreateAsync(owner, tenant))["id"]!;
        var before = await StateAsync(owner, tenant, id);
        // Every scope but the route's: a read key cannot write, a write key cannot read (nor reveal, even with secrets:reveal).
        var others = scope == "webhooks:read" ? new[] { "webhooks:write", "secrets:read", "secrets:reveal" } : ["webhooks:read", "secrets:write", "secrets:reveal"];
        var key = await Json(await owner.PostAsJsonAsync($"/v1/orgs/{tenant.OrganizationId}/api-keys", new { name = "limited", scopes = others }), HttpStatusCode.Created);
        using var limited = Hub.Client((string)key["key"]!);

        var response = await limited.SendAsync(Request(method, template, tenant.ProjectId, id));
        var body = await response.Content.ReadAsStringAsync();

        await Problem(response, HttpStatusCode.Forbidden, "missing-scope");
        Assert.DoesNotContain("whsec_", body, StringComparison.Ordinal);
        Assert.Equal(before, await StateAsync(owner, tenant, id));
    }

    /// <summary>The endpoint as read, the project's list, and the signing secrets' values: all a route could have changed.</summary>
    private static async Task<string> StateAsync(HttpClient owner, Tenant tenant, string id)
    {
        var endpoint = await Json(await owner.GetAsync($"{Path(tenant)}/{id}"), HttpStatusCode.OK);
        var list = await Json(await owner.GetAsync(Path(tenant)), HttpStatusCode.OK);
        var revealed = await Json(await owner.PostAsync($"{Path(tenant)}/{id}/secret/reveal", null), HttpStatusCode.OK);
        var secrets = await WebhookEndpointsApiTests.WebhookSecretsAsync(owner, tenant);
        return new JsonArray(endpoint, list, revealed, new JsonArray([.. secrets.Select(s => (JsonNode)s)])).ToJsonString();
    }

    private static HttpRequestMessage Request(string method, string template, string projectId, string endpointId)
    {
        var request = new HttpRequestMessage(new HttpMethod(method),
            template.Replace("{p}", projectId, StringComparison.Ordinal).Replace("{e}", endpointId, StringComparison.Ordinal));
        if (method == "PATCH")
        {
            request.Content = JsonContent.Create(new { url = "https://attacker.example.net/collect" });
        }
        else if (method == "POST" && template.EndsWith("webhook-endpoints", StringComparison.Ordinal))
        {
            request.Content = JsonContent.Create(new { url = "https://attacker.example.net/planted" });
        }

        return request;
    }
}
