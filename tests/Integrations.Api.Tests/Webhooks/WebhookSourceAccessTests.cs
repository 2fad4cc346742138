using System.Net;
using System.Net.Http.Json;
using static Integrations.Api.Tests.HubFixture;
using static Integrations.Api.Tests.Webhooks.WebhookHubFixture;

namespace Integrations.Api.Tests.Webhooks;

/// <summary>
/// Every webhook-source route: another organization's key gets 404 and changes nothing; a source of another project named
/// in this project's route is not found; a key without the route's scope gets 403.
/// </summary>
public sealed class WebhookSourceAccessTests(WebhookHubFixture fixture) : IClassFixture<WebhookHubFixture>
{
    public static TheoryData<string, string, string> Routes => new()
    {
        { "POST", "/v1/projects/{p}/webhook-sources", "webhooks:write" },
        { "GET", "/v1/projects/{p}/webhook-sources", "webhooks:read" },
        { "GET", "/v1/projects/{p}/webhook-sources/{s}", "webhooks:read" },
        { "PATCH", "/v1/projects/{p}/webhook-sources/{s}", "webhooks:write" },
        { "DELETE", "/v1/projects/{p}/webhook-sources/{s}", "webhooks:write" },
        { "POST", "/v1/projects/{p}/webhook-sources/{s}/secrets", "webhooks:write" },
        { "GET", "/v1/projects/{p}/webhook-sources/{s}/stats", "webhooks:read" },
    };

    public static TheoryData<string, string> ItemRoutes => new()
    {
        { "GET", "/v1/projects/{p}/webhook-sources/{s}" },
        { "PATCH", "/v1/projects/{p}/webhook-sources/{s}" },
        { "DELETE", "/v1/projects/{p}/webhook-sources/{s}" },
        { "POST", "/v1/projects/{p}/webhook-sources/{s}/secrets" },
        { "GET", "/v1/projects/{p}/webhook-sources/{s}/stats" },
    };

    private HubFixture Hub => fixture.Hub;

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task OtherTenantsSource_Returns404AndChangesNothing(string method, string template, string scope)
    {
        _ = scope;
        var victim = await Hub.CreateTenantAsync("Victim");
        var attacker = await Hub.CreateTenantAsync("Attacker");
        using var victimClient = Hub.Client(victim.OwnerKey);
        var id = (string)(await CreateStandardAsync(victimClient, victim, "shared-name"))["id"]!;
        var before = await Json(await victimClient.GetAsync($"{Path(victim)}/{id}"), HttpStatusCode.OK);
        using var attackerClient = Hub.Client(attacker.OwnerKey);

        var response = await attackerClient.SendAsync(Request(method, template, victim.ProjectId, id));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("shared-name", body, StringComparison.Ordinal);
        await AssertUnchangedAsync(victimClient, victim, id, before);
    }

    [Theory]
    [MemberData(nameof(ItemRoutes))]
    public async Task SourceOfAnotherProject_InThisProjectsRoute_Returns404AndChangesNothing(string method, string template)
    {
        var tenant = await Hub.CreateTenantAsync();
        using var owner = Hub.Client(tenant.OwnerKey);
        var id = (string)(await CreateStandardAsync(owner, tenant))["id"]!;
        var before = await Json(await owner.GetAsync($"{Path(tenant)}/{id}"), HttpStatusCode.OK);
        var otherProject = (string)(await Json(await owner.PostAsJsonAsync("/v1/projects", new { name = "other-" + Integrations.Testing.TestRandom.Hex(4) }),
            HttpStatusCode.Created))["id"]!;

        var response = await owner.SendAsync(Request(method, template, otherProject, id));

        await Problem(response, HttpStatusCode.NotFound, "not-found");
        await AssertUnchangedAsync(owner, tenant, id, before);
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task KeyWithoutTheScope_Returns403AndChangesNothing(string method, string template, string scope)
    {
        var tenant = await Hub.CreateTenantAsync();
        using var owner = Hub.Client(tenant.OwnerKey);
        var id = (string)(await CreateStandardAsync(owner, tenant, "guarded"))["id"]!;
        var before = await Json(await owner.GetAsync($"{Path(tenant)}/{id}"), HttpStatusCode.OK);
        // Every scope but the route's: a read key cannot write, a write key cannot read; secrets:* do not reach webhook sources.
        var others = scope == "webhooks:read" ? new[] { "webhooks:write", "secrets:read", "secrets:reveal" } : ["webhooks:read", "secrets:write", "connections:write"];
        var key = await Json(await owner.PostAsJsonAsync($"/v1/orgs/{tenant.OrganizationId}/api-keys", new { name = "limited", scopes = others }), HttpStatusCode.Created);
        using var limited = Hub.Client((string)key["key"]!);

        var response = await limited.SendAsync(Request(method, template, tenant.ProjectId, id));

        await Problem(response, HttpStatusCode.Forbidden, "missing-scope");
        await AssertUnchangedAsync(owner, tenant, id, before);
    }

    private static async Task AssertUnchangedAsync(HttpClient owner, Tenant tenant, string id, System.Text.Json.Nodes.JsonNode before)
    {
        var after = await Json(await owner.GetAsync($"{Path(tenant)}/{id}"), HttpStatusCode.OK);
        Assert.Equal(before.ToJsonString(), after.ToJsonString());
        var list = await Json(await owner.GetAsync(Path(tenant)), HttpStatusCode.OK);
        Assert.Equal(1, (int)list["pagination"]!["total"]!);
    }

    private static HttpRequestMessage Request(string method, string template, string projectId, string sourceId)
    {
        var request = new HttpRequestMessage(new HttpMethod(method),
            template.Replace("{p}", projectId, StringComparison.Ordinal).Replace("{s}", sourceId, StringComparison.Ordinal));
        if (method is "POST" or "PATCH")
        {
            request.Content = method == "PATCH" ? JsonContent.Create(new { enabled = false })
                : template.EndsWith("/secrets", StringComparison.Ordinal) ? JsonContent.Create(new { generate_secret = true, expire_previous_in_seconds = 0 })
                : JsonContent.Create(new { name = "planted", scheme = "standard", generate_secret = true });
        }

        return request;
    }
}
