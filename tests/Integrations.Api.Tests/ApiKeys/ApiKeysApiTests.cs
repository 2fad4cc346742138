using System.Net;
using System.Net.Http.Json;
using static Integrations.Api.Tests.HubFixture;

namespace Integrations.Api.Tests.ApiKeys;

public sealed class ApiKeysApiTests(HubFixture hub) : IClassFixture<HubFixture>
{
    [Fact]
    public async Task ApiKeys_CreateListRevoke_KeyShownOnceAndRevokedKeyRejected()
    {
        var tenant = await hub.CreateTenantAsync();
        using var owner = hub.Client(tenant.OwnerKey);

        var created = await Json(await owner.PostAsJsonAsync($"/v1/orgs/{tenant.OrganizationId}/api-keys", new { name = "ci", scopes = new[] { "secrets:read" } }), HttpStatusCode.Created);
        var key = (string)created["key"]!;
        var listBody = await (await owner.GetAsync($"/v1/orgs/{tenant.OrganizationId}/api-keys")).Content.ReadAsStringAsync();
        using var ci = hub.Client(key);
        Assert.Equal(HttpStatusCode.OK, (await ci.GetAsync(tenant.Secrets)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await owner.DeleteAsync($"/v1/orgs/{tenant.OrganizationId}/api-keys/{created["id"]}")).StatusCode);

        Assert.StartsWith("ihk_", key, StringComparison.Ordinal);
        Assert.DoesNotContain(key, listBody, StringComparison.Ordinal);
        Assert.Contains(key[^4..], listBody, StringComparison.Ordinal);
        await Problem(await ci.GetAsync(tenant.Secrets), HttpStatusCode.Unauthorized, "unauthenticated");
        Assert.Contains("revoked_at", await (await owner.GetAsync($"/v1/orgs/{tenant.OrganizationId}/api-keys")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"name\":\"k\",\"scopes\":[\"secrets:everything\"]}", "unknown-scope", "scopes")]
    [InlineData("{\"name\":\"k\",\"scopes\":[]}", "missing-field", "scopes")]
    [InlineData("{\"name\":\"k\",\"scopes\":[null]}", "unknown-scope", "scopes")]
    [InlineData("{\"name\":\"k\",\"scopes\":[\"admin\"],\"expires_at\":\"2001-01-01T00:00:00Z\"}", "invalid-expiry", "expires_at")]
    [InlineData("{\"name\":\"k\",\"scopes\":[\"admin\"],\"expires_at\":\"tomorrow\"}", "malformed-json", "expires_at")]
    [InlineData("{\"scopes\":[\"admin\"]}", "invalid-name", "name")]
    public async Task CreateApiKey_BadInput_Returns400(string body, string code, string field)
    {
        var tenant = await hub.CreateTenantAsync();
        using var owner = hub.Client(tenant.OwnerKey);

        var problem = await Problem(await owner.PostAsync($"/v1/orgs/{tenant.OrganizationId}/api-keys",
            new StringContent(body, System.Text.Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest, code);

        Assert.Equal(field, (string?)problem["field"]);
    }

    [Fact]
    public async Task CreateApiKey_ByADelegatedKey_CannotGrantMoreScopesOrALaterExpiryThanItHas()
    {
        var tenant = await hub.CreateTenantAsync();
        using var owner = hub.Client(tenant.OwnerKey);
        var keys = $"/v1/orgs/{tenant.OrganizationId}/api-keys";
        var delegatedExpiry = TimeProvider.System.GetUtcNow().AddDays(7);
        var delegatedAdmin = await Json(await owner.PostAsJsonAsync(keys, new { name = "team-admin", scopes = new[] { "admin", "secrets:read" }, expires_at = delegatedExpiry }),
            HttpStatusCode.Created);
        using var delegated = hub.Client((string)delegatedAdmin["key"]!);

        var escalation = await Problem(await delegated.PostAsJsonAsync(keys, new { name = "reveal", scopes = new[] { "secrets:read", "secrets:reveal" } }),
            HttpStatusCode.Forbidden, "scope-not-held");
        var outliving = await Problem(await delegated.PostAsJsonAsync(keys, new { name = "late", scopes = new[] { "secrets:read" }, expires_at = delegatedExpiry.AddDays(1) }),
            HttpStatusCode.BadRequest, "expiry-too-late");
        var defaulted = await Json(await delegated.PostAsJsonAsync(keys, new { name = "reader", scopes = new[] { "secrets:read" } }), HttpStatusCode.Created);
        var fromOwner = await Json(await owner.PostAsJsonAsync(keys, new { name = "yearly", scopes = new[] { "secrets:read" } }), HttpStatusCode.Created);

        Assert.Equal("scopes", (string?)escalation["field"]);
        Assert.Contains("secrets:reveal", (string?)escalation["detail"], StringComparison.Ordinal);
        Assert.Equal("expires_at", (string?)outliving["field"]);
        Assert.True(((DateTimeOffset)defaulted["expires_at"]! - delegatedExpiry).Duration() < TimeSpan.FromSeconds(1));
        Assert.Equal((string?)delegatedAdmin["id"], (string?)defaulted["parent_key_id"]);
        var yearFromNow = TimeProvider.System.GetUtcNow().AddDays(365);
        Assert.True(((DateTimeOffset)fromOwner["expires_at"]! - yearFromNow).Duration() < TimeSpan.FromMinutes(1));
        var listed = await Json(await owner.GetAsync(keys), HttpStatusCode.OK);
        Assert.DoesNotContain(listed["data"]!.AsArray(), k => (string?)k!["name"] is "reveal" or "late");
    }

    [Fact]
    public async Task RevokeApiKey_RevokesTheKeysItCreated_AndTheKeysThoseCreated()
    {
        var tenant = await hub.CreateTenantAsync();
        using var owner = hub.Client(tenant.OwnerKey);
        var keys = $"/v1/orgs/{tenant.OrganizationId}/api-keys";
        var child = await Json(await owner.PostAsJsonAsync(keys, new { name = "child", scopes = new[] { "admin", "secrets:read" } }), HttpStatusCode.Created);
        using var childClient = hub.Client((string)child["key"]!);
        var grandchild = await Json(await childClient.PostAsJsonAsync(keys, new { name = "grandchild", scopes = new[] { "admin", "secrets:read" } }), HttpStatusCode.Created);
        using var grandchildClient = hub.Client((string)grandchild["key"]!);
        var greatGrandchild = await Json(await grandchildClient.PostAsJsonAsync(keys, new { name = "great", scopes = new[] { "secrets:read" } }), HttpStatusCode.Created);
        using var greatClient = hub.Client((string)greatGrandchild["key"]!);
        Assert.Equal(HttpStatusCode.OK, (await greatClient.GetAsync(tenant.Secrets)).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await owner.DeleteAsync($"{keys}/{child["id"]}")).StatusCode);

        foreach (var client in new[] { childClient, grandchildClient, greatClient })
        {
            await Problem(await client.GetAsync(tenant.Secrets), HttpStatusCode.Unauthorized, "unauthenticated");
        }

        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync(tenant.Secrets)).StatusCode);
        var listed = (await Json(await owner.GetAsync(keys), HttpStatusCode.OK))["data"]!.AsArray();
        Assert.All(listed.Where(k => (string?)k!["name"] != "owner"), k => Assert.NotNull((string?)k!["revoked_at"]));
        Assert.Equal((string?)child["id"], (string?)listed.Single(k => (string?)k!["name"] == "grandchild")!["parent_key_id"]);
    }

    [Fact]
    public async Task Quotas_KeysAndProjects_Answer409WithTheirOwnProblemType()
    {
        var limited = new HubFixture();
        limited.Settings["Hub:MaxApiKeysPerOrganization"] = "2";
        limited.Settings["Hub:MaxProjectsPerOrganization"] = "1";
        await limited.InitializeAsync();
        try
        {
            var tenant = await limited.CreateTenantAsync(); // the owner key and one project
            using var owner = limited.Client(tenant.OwnerKey);
            var keys = $"/v1/orgs/{tenant.OrganizationId}/api-keys";
            await Json(await owner.PostAsJsonAsync(keys, new { name = "second", scopes = new[] { "secrets:read" } }), HttpStatusCode.Created);

            await Problem(await owner.PostAsJsonAsync(keys, new { name = "third", scopes = new[] { "secrets:read" } }), HttpStatusCode.Conflict, "api-key-quota-reached");
            await Problem(await owner.PostAsJsonAsync("/v1/projects", new { name = "second-project" }), HttpStatusCode.Conflict, "project-quota-reached");
        }
        finally
        {
            await limited.DisposeAsync();
            limited.Dispose();
        }
    }
}
