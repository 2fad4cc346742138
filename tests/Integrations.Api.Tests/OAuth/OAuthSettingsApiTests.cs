using System.Net;
using System.Net.Http.Json;
using Azure;
using Azure.Data.Tables;
using static Integrations.Api.Tests.HubFixture;

namespace Integrations.Api.Tests.OAuth;

/// <summary>GET/PUT /v1/projects/{projectId}/oauth/settings: the origins redirect_after may point at.</summary>
public sealed class OAuthSettingsApiTests(HubFixture hub) : IClassFixture<HubFixture>
{
    private static string Settings(Tenant tenant) => $"/v1/projects/{tenant.ProjectId}/oauth/settings";

    [Fact]
    public async Task Get_NothingSet_ShowsNoOriginsAndTheRedirectUri()
    {
        var tenant = await hub.CreateTenantAsync();
        using var owner = hub.Client(tenant.OwnerKey);

        var settings = await Json(await owner.GetAsync(Settings(tenant)), HttpStatusCode.OK);

        Assert.Empty(settings["allowed_redirect_origins"]!.AsArray());
        Assert.Equal("http://127.0.0.1:7071/v1/oauth/callback", (string?)settings["redirect_uri"]);
    }

    [Fact]
    public async Task Put_Origins_AreNormalisedStoredAndAudited()
    {
        var tenant = await hub.CreateTenantAsync();
        using var owner = hub.Client(tenant.OwnerKey);

        var put = await Json(await owner.PutAsJsonAsync(Settings(tenant),
            new { allowed_redirect_origins = new[] { "https://App.Example.com:443/", "https://admin.example.com:8443", "https://app.example.com" } }), HttpStatusCode.OK);
        var got = await Json(await owner.GetAsync(Settings(tenant)), HttpStatusCode.OK);
        var log = await Json(await owner.GetAsync($"/v1/projects/{tenant.ProjectId}/audit?per_page=100"), HttpStatusCode.OK);

        string[] expected = ["https://app.example.com", "https://admin.example.com:8443"];
        Assert.Equal(expected, put["allowed_redirect_origins"]!.AsArray().Select(o => (string?)o));
        Assert.Equal(expected, got["allowed_redirect_origins"]!.AsArray().Select(o => (string?)o));
        Assert.StartsWith("key_", (string?)got["updated_by"]);
        var records = log["data"]!.AsArray();
        Assert.Contains(records, r => (string?)r!["action"] == "oauth.settings.set" && (string?)r["outcome"] == "success" && (string?)r["target"] == "oauth/settings");
        Assert.Contains(records, r => (string?)r!["action"] == "oauth.settings.read" && (string?)r["outcome"] == "success");
    }

    [Theory]
    [InlineData("http://app.example.com", "allowed_redirect_origins[0]")] // https outside Development.
    [InlineData("https://app.example.com/callback", "allowed_redirect_origins[0]")]
    [InlineData("https://allowed@evil.example.com", "allowed_redirect_origins[0]")]
    [InlineData("not a url", "allowed_redirect_origins[0]")]
    public async Task Put_NotABareHttpsOrigin_Returns400NamingTheEntryAndChangesNothing(string origin, string field)
    {
        var tenant = await hub.CreateTenantAsync();
        using var owner = hub.Client(tenant.OwnerKey);
        await Json(await owner.PutAsJsonAsync(Settings(tenant), new { allowed_redirect_origins = new[] { "https://keep.example.com" } }), HttpStatusCode.OK);

        var problem = await Problem(await owner.PutAsJsonAsync(Settings(tenant), new { allowed_redirect_origins = new[] { origin } }),
            HttpStatusCode.BadRequest, "invalid-redirect-origin");
        var got = await Json(await owner.GetAsync(Settings(tenant)), HttpStatusCode.OK);

        Assert.Equal(field, (string?)problem["field"]);
        Assert.Equal("https://keep.example.com", (string?)Assert.Single(got["allowed_redirect_origins"]!.AsArray()));
    }

    [Fact]
    public async Task Put_WithoutTheList_Returns400()
    {
        var tenant = await hub.CreateTenantAsync();
        using var owner = hub.Client(tenant.OwnerKey);

        await Problem(await owner.PutAsJsonAsync(Settings(tenant), new { }), HttpStatusCode.BadRequest, "invalid-redirect-origin");
    }

    [Fact]
    public async Task GetAndPut_FromAnotherOrganization_Return404AndChangeNothing()
    {
        var victim = await hub.CreateTenantAsync("Victim");
        var attacker = await hub.CreateTenantAsync("Attacker");
        using var owner = hub.Client(victim.OwnerKey);
        using var other = hub.Client(attacker.OwnerKey);
        await Json(await owner.PutAsJsonAsync(Settings(victim), new { allowed_redirect_origins = new[] { "https://app.example.com" } }), HttpStatusCode.OK);

        await Problem(await other.GetAsync(Settings(victim)), HttpStatusCode.NotFound, "not-found");
        await Problem(await other.PutAsJsonAsync(Settings(victim), new { allowed_redirect_origins = new[] { "https://evil.example.com" } }), HttpStatusCode.NotFound, "not-found");
        var got = await Json(await owner.GetAsync(Settings(victim)), HttpStatusCode.OK);

        Assert.Equal("https://app.example.com", (string?)Assert.Single(got["allowed_redirect_origins"]!.AsArray()));
    }

    [Fact]
    public async Task GetAndPut_KeyWithoutTheScope_Return403()
    {
        var tenant = await hub.CreateTenantAsync();
        using var owner = hub.Client(tenant.OwnerKey);
        var readOnly = await Json(await owner.PostAsJsonAsync($"/v1/orgs/{tenant.OrganizationId}/api-keys", new { name = "reader", scopes = new[] { "providers:read" } }), HttpStatusCode.Created);
        var secretsOnly = await Json(await owner.PostAsJsonAsync($"/v1/orgs/{tenant.OrganizationId}/api-keys", new { name = "secrets", scopes = new[] { "secrets:read" } }), HttpStatusCode.Created);
        using var reader = hub.Client((string)readOnly["key"]!);
        using var unrelated = hub.Client((string)secretsOnly["key"]!);

        await Json(await reader.GetAsync(Settings(tenant)), HttpStatusCode.OK);
        await Problem(await reader.PutAsJsonAsync(Settings(tenant), new { allowed_redirect_origins = new[] { "https://evil.example.com" } }), HttpStatusCode.Forbidden, "missing-scope");
        await Problem(await unrelated.GetAsync(Settings(tenant)), HttpStatusCode.Forbidden, "missing-scope");
        var got = await Json(await owner.GetAsync(Settings(tenant)), HttpStatusCode.OK);

        Assert.Empty(got["allowed_redirect_origins"]!.AsArray());
    }

    [Fact]
    public async Task Get_OriginAddedInStorage_IsRefusedAndReadsAsNone()
    {
        var tenant = await hub.CreateTenantAsync();
        using var owner = hub.Client(tenant.OwnerKey);
        await Json(await owner.PutAsJsonAsync(Settings(tenant), new { allowed_redirect_origins = new[] { "https://app.example.com" } }), HttpStatusCode.OK);
        var table = new TableClient(hub.ConnectionString, hub.Prefix + "tenancy");

        // An attacker with write access to the table adds its own origin to the row.
        await table.UpdateEntityAsync(new TableEntity(tenant.OrganizationId, "s:oauth:" + tenant.ProjectId)
        {
            ["AllowedRedirectOrigins"] = "https://app.example.com https://evil.example.com",
        }, ETag.All, TableUpdateMode.Merge);
        var got = await Json(await owner.GetAsync(Settings(tenant)), HttpStatusCode.OK);

        Assert.Empty(got["allowed_redirect_origins"]!.AsArray());
    }
}
