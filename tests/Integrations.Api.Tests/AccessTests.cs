using System.Net;
using System.Net.Http.Json;
using static Integrations.Api.Tests.HubFixture;

namespace Integrations.Api.Tests;

public sealed class AccessTests(HubFixture hub) : IClassFixture<HubFixture>
{
    [Theory]
    [InlineData(null)]
    [InlineData("ihk_notarealkeyatallbutthelengthisrightXX")]
    [InlineData("ihk_c04Gl1c0jtJWZdndpDuVGjIUYucxCfEj3QTQPL")]
    [InlineData("Basic dXNlcjpwYXNz")]
    public async Task NoOrBadCredential_Returns401WithChallenge(string? credential)
    {
        var tenant = await hub.CreateTenantAsync();
        using var client = hub.Client(credential);

        var response = await client.GetAsync(tenant.Secrets);

        await Problem(response, HttpStatusCode.Unauthorized, "unauthenticated");
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    public static TheoryData<string, string, string, string> ScopeChecks => new()
    {
        // scope granted, method, path, scope the route needs
        { "secrets:read", "POST", "{s}", "secrets:write" },
        { "secrets:read", "PUT", "{s}/one", "secrets:write" },
        { "secrets:read", "DELETE", "{s}/one", "secrets:write" },
        { "secrets:read", "POST", "{s}/one/reveal", "secrets:reveal" },
        { "secrets:write", "GET", "{s}/one", "secrets:read" },
        { "secrets:reveal", "GET", "{s}", "secrets:read" },
        { "secrets:read", "POST", "/v1/projects", "projects:write" },
        { "secrets:read", "GET", "/v1/projects/{p}/audit", "admin" },
        { "secrets:read", "GET", "/v1/orgs/{o}/api-keys", "admin" },
    };

    [Theory]
    [MemberData(nameof(ScopeChecks))]
    public async Task KeyWithoutScope_Returns403InsideOwnTenant(string granted, string method, string template, string needed)
    {
        var tenant = await hub.CreateTenantAsync();
        using var owner = hub.Client(tenant.OwnerKey);
        await Json(await owner.PostAsJsonAsync(tenant.Secrets, new { name = "one", value = "v" }), HttpStatusCode.Created);
        var limited = await Json(await owner.PostAsJsonAsync($"/v1/orgs/{tenant.OrganizationId}/api-keys", new { name = "limited", scopes = new[] { granted } }), HttpStatusCode.Created);
        using var client = hub.Client((string)limited["key"]!);
        var path = template.Replace("{s}", tenant.Secrets, StringComparison.Ordinal).Replace("{p}", tenant.ProjectId, StringComparison.Ordinal)
            .Replace("{o}", tenant.OrganizationId, StringComparison.Ordinal);
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method is "POST" or "PUT")
        {
            request.Content = JsonContent.Create(new { name = "two", value = "changed" });
        }

        var problem = await Problem(await client.SendAsync(request), HttpStatusCode.Forbidden, "missing-scope");

        Assert.Contains(needed, (string?)problem["detail"], StringComparison.Ordinal);
        var revealed = await Json(await owner.PostAsync($"{tenant.Secrets}/one/reveal", null), HttpStatusCode.OK);
        Assert.Equal("v", (string?)revealed["value"]);
    }

    [Fact]
    public async Task AdminKey_CannotReadTenantData_AndOrgKeyCannotCreateOrganizations()
    {
        var tenant = await hub.CreateTenantAsync();
        using var admin = hub.Client(hub.AdminKey);
        using var owner = hub.Client(tenant.OwnerKey);

        await Problem(await admin.GetAsync(tenant.Secrets), HttpStatusCode.Forbidden, "organization-key-required");
        await Problem(await owner.PostAsJsonAsync("/v1/orgs", new { name = "Evil" }), HttpStatusCode.Forbidden, "admin-key-required");
        await Problem(await owner.PostAsync("/v1/admin/keys/rotate", null), HttpStatusCode.Forbidden, "admin-key-required");
    }

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
    public async Task Projects_DuplicateNameConflicts_AndBadNameIs400()
    {
        var tenant = await hub.CreateTenantAsync();
        using var owner = hub.Client(tenant.OwnerKey);
        await Json(await owner.PostAsJsonAsync("/v1/projects", new { name = "Payments" }), HttpStatusCode.Created);

        await Problem(await owner.PostAsJsonAsync("/v1/projects", new { name = "payments" }), HttpStatusCode.Conflict, "project-exists");
        await Problem(await owner.PostAsJsonAsync("/v1/projects", new { name = " padded " }), HttpStatusCode.BadRequest, "invalid-name");
        await Problem(await owner.PostAsJsonAsync("/v1/projects", new { }), HttpStatusCode.BadRequest, "missing-field");
    }

    [Fact]
    public async Task UnknownRoute_ReturnsProblem404_AndHealthProbesArePublic()
    {
        using var anonymous = hub.Client();

        await Problem(await anonymous.GetAsync("/v1/nothing-here"), HttpStatusCode.NotFound, "no-route");
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/readyz")).StatusCode);
        var openApi = await Json(await anonymous.GetAsync("/openapi.json"), HttpStatusCode.OK);
        Assert.NotNull(openApi["paths"]!["/v1/projects/{projectId}/secrets/{name}/reveal"]!["post"]);
    }
}
