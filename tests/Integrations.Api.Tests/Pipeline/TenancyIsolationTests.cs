using System.Net;
using System.Net.Http.Json;
using static Integrations.Api.Tests.HubFixture;

namespace Integrations.Api.Tests.Pipeline;

/// <summary>A caller of organization A gets 404 — never 403, never data — for every object of organization B.</summary>
public sealed class TenancyIsolationTests(HubFixture hub) : IClassFixture<HubFixture>
{
    public static TheoryData<string, string> ForeignRoutes => new()
    {
        { "GET", "/v1/projects/{p}/secrets" },
        { "POST", "/v1/projects/{p}/secrets" },
        { "GET", "/v1/projects/{p}/secrets/shared-name" },
        { "HEAD", "/v1/projects/{p}/secrets/shared-name" },
        { "PUT", "/v1/projects/{p}/secrets/shared-name" },
        { "DELETE", "/v1/projects/{p}/secrets/shared-name" },
        { "POST", "/v1/projects/{p}/secrets/shared-name/reveal" },
        { "GET", "/v1/projects/{p}/secrets/shared-name/versions" },
        { "POST", "/v1/projects/{p}/secrets/shared-name/restore" },
        { "POST", "/v1/projects/{p}/secrets/shared-name/purge" },
        { "GET", "/v1/projects/{p}/audit" },
        { "GET", "/v1/orgs/{o}/api-keys" },
        { "POST", "/v1/orgs/{o}/api-keys" },
        { "DELETE", "/v1/orgs/{o}/api-keys/{k}" },
    };

    [Theory]
    [MemberData(nameof(ForeignRoutes))]
    public async Task OtherTenantsObject_Returns404AndChangesNothing(string method, string template)
    {
        var victim = await hub.CreateTenantAsync("Victim");
        var attacker = await hub.CreateTenantAsync("Attacker");
        using var victimClient = hub.Client(victim.OwnerKey);
        await Json(await victimClient.PostAsJsonAsync(victim.Secrets, new { name = "shared-name", value = "victim-value" }), HttpStatusCode.Created);
        var victimKeys = await Json(await victimClient.GetAsync($"/v1/orgs/{victim.OrganizationId}/api-keys"), HttpStatusCode.OK);
        var victimKeyId = (string)victimKeys["data"]![0]!["id"]!;
        // The attacker has a secret of the same name in its own project, so a mix-up would show.
        using var attackerClient = hub.Client(attacker.OwnerKey);
        await Json(await attackerClient.PostAsJsonAsync(attacker.Secrets, new { name = "shared-name", value = "attacker-value" }), HttpStatusCode.Created);

        var path = template.Replace("{p}", victim.ProjectId, StringComparison.Ordinal).Replace("{o}", victim.OrganizationId, StringComparison.Ordinal)
            .Replace("{k}", victimKeyId, StringComparison.Ordinal);
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method is "POST" or "PUT")
        {
            request.Content = JsonContent.Create(new { name = "shared-name", value = "overwrite", scopes = new[] { "admin" } });
        }

        var response = await attackerClient.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("victim-value", body, StringComparison.Ordinal);
        var revealed = await Json(await victimClient.PostAsync($"{victim.Secrets}/shared-name/reveal", null), HttpStatusCode.OK);
        Assert.Equal(("victim-value", 1), ((string)revealed["value"]!, (int)revealed["version"]!));
        Assert.Equal(HttpStatusCode.OK, (await victimClient.GetAsync("/v1/projects")).StatusCode);
    }

    [Theory]
    [InlineData("GET", "/v1/projects/{p}/audit")]
    [InlineData("POST", "/v1/projects/{p}/secrets/shared-name/reveal")]
    [InlineData("GET", "/v1/orgs/{o}/api-keys")]
    public async Task OtherTenantsObject_WithAKeyLackingTheScope_Is404Not403(string method, string template)
    {
        var victim = await hub.CreateTenantAsync("Victim");
        var attacker = await hub.CreateTenantAsync("Attacker");
        using var attackerOwner = hub.Client(attacker.OwnerKey);
        var limited = await Json(await attackerOwner.PostAsJsonAsync($"/v1/orgs/{attacker.OrganizationId}/api-keys", new { name = "ro", scopes = new[] { "secrets:read" } }),
            HttpStatusCode.Created);
        using var client = hub.Client((string)limited["key"]!);
        var path = template.Replace("{p}", victim.ProjectId, StringComparison.Ordinal).Replace("{o}", victim.OrganizationId, StringComparison.Ordinal);

        var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task ListProjects_ShowsOnlyOwnOrganizations()
    {
        var a = await hub.CreateTenantAsync("A");
        var b = await hub.CreateTenantAsync("B");
        using var client = hub.Client(a.OwnerKey);

        var projects = await Json(await client.GetAsync("/v1/projects"), HttpStatusCode.OK);

        var ids = projects["data"]!.AsArray().Select(p => (string)p!["id"]!).ToList();
        Assert.Contains(a.ProjectId, ids);
        Assert.DoesNotContain(b.ProjectId, ids);
    }
}
