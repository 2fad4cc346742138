using System.Net;
using System.Net.Http.Json;
using static Integrations.Api.Tests.HubFixture;

namespace Integrations.Api.Tests.Pipeline;

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
        { "secrets:write", "POST", "{s}/one/purge", "secrets:purge" },
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
}
