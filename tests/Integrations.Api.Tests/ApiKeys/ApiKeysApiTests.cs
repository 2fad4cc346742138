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
}
