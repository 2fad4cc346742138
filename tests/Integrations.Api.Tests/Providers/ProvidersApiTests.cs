using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using static Integrations.Api.Tests.HubFixture;

namespace Integrations.Api.Tests.Providers;

public sealed class ProvidersApiTests(HubFixture hub) : IClassFixture<HubFixture>
{
    private const string SecretValue = "gcs-Very-Secret-Client-Secret-8f3a";

    [Fact]
    public async Task CreateFromTemplate_WithClientSecretValue_StoresItInTheVaultAndNeverEchoesIt()
    {
        var tenant = await hub.CreateTenantAsync();
        using var client = hub.Client(tenant.OwnerKey);

        var response = await client.PostAsJsonAsync(tenant.Providers, new { name = "google", template = "google", client_id = "123.apps.googleusercontent.com", client_secret = SecretValue });
        var createdBody = await response.Content.ReadAsStringAsync();
        var created = await Json(response, HttpStatusCode.Created);
        var id = (string)created["id"]!;
        var getBody = await (await client.GetAsync($"{tenant.Providers}/{id}")).Content.ReadAsStringAsync();
        var listBody = await (await client.GetAsync(tenant.Providers)).Content.ReadAsStringAsync();
        var revealed = await Json(await client.PostAsync($"{tenant.Secrets}/oauth-client-{id}/reveal", null), HttpStatusCode.OK);
        var secret = await Json(await client.GetAsync($"{tenant.Secrets}/oauth-client-{id}"), HttpStatusCode.OK);
        var auditBody = await (await client.GetAsync($"/v1/projects/{tenant.ProjectId}/audit?per_page=100")).Content.ReadAsStringAsync();

        Assert.StartsWith("prv_", id);
        Assert.Equal($"oauth-client-{id}", (string?)created["client_secret_ref"]);
        Assert.Equal("google", (string?)created["template"]);
        Assert.Equal("https://accounts.google.com/o/oauth2/v2/auth", (string?)created["endpoints"]!["authorization"]);
        Assert.Equal("client_secret_post", (string?)created["client_authentication"]);
        Assert.Equal("offline", (string?)created["extra_authorization_parameters"]!["access_type"]);
        Assert.Equal(SecretValue, (string?)revealed["value"]);
        Assert.Equal("oauth_client", (string?)secret["auth_type"]);
        Assert.All(new[] { createdBody, getBody, listBody, auditBody }, body => Assert.DoesNotContain(SecretValue, body, StringComparison.Ordinal));
        Assert.Contains("provider.create", auditBody, StringComparison.Ordinal);
        Assert.Contains($"provider/{id}", auditBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateFromTemplate_WithPlaceholder_FillsTheEndpoints()
    {
        var tenant = await hub.CreateTenantAsync();
        using var client = hub.Client(tenant.OwnerKey);

        var created = await Json(await client.PostAsJsonAsync(tenant.Providers,
            new { name = "shop", template = "shopify", template_parameters = new { shop = "acme-store" }, client_id = "abc", client_secret = "s" }), HttpStatusCode.Created);

        Assert.Equal("https://acme-store.myshopify.com/admin/oauth/authorize", (string?)created["endpoints"]!["authorization"]);
        Assert.Equal("https://acme-store.myshopify.com/admin/oauth/access_token", (string?)created["endpoints"]!["token"]);
        Assert.Equal(",", (string?)created["scope_separator"]);
        Assert.True((bool)created["quirks"]!["omits_expires_in"]!);
    }

    [Theory]
    [InlineData("{\"name\":\"s\",\"template\":\"shopify\",\"client_id\":\"a\",\"client_secret\":\"v\"}", "invalid-template-parameter")]
    [InlineData("{\"name\":\"s\",\"template\":\"shopify\",\"template_parameters\":{\"shop\":\"evil.com/x\"},\"client_id\":\"a\",\"client_secret\":\"v\"}", "invalid-template-parameter")]
    [InlineData("{\"name\":\"s\",\"template\":\"nope\",\"client_id\":\"a\",\"client_secret\":\"v\"}", "unknown-template")]
    [InlineData("{\"name\":\"s\",\"template\":\"google\",\"client_id\":\"a\",\"client_secret\":\"v\",\"endpoints\":{\"token\":\"https://evil.example/t\"}}", "template-fixed-field")]
    [InlineData("{\"name\":\"s\",\"template\":\"airtable\",\"client_id\":\"a\",\"client_secret\":\"v\",\"use_pkce\":false}", "invalid-provider-setting")]
    [InlineData("{\"name\":\"s\",\"client_id\":\"a\",\"client_secret\":\"v\",\"endpoints\":{\"token\":\"http://idp.example.com/token\"}}", "insecure-endpoint")]
    [InlineData("{\"name\":\"s\",\"client_id\":\"a\",\"client_secret\":\"v\",\"endpoints\":{\"token\":\"https://idp.example.com/token\"},\"extra_authorization_parameters\":{\"state\":\"fixed\"}}", "protected-parameter")]
    [InlineData("{\"name\":\"s\",\"client_id\":\"a\",\"client_secret\":\"v\",\"endpoints\":{\"token\":\"https://idp.example.com/token\"},\"extra_token_parameters\":{\"client_secret\":\"x\"}}", "protected-parameter")]
    [InlineData("{\"name\":\"s\",\"client_id\":\"a\",\"client_secret\":\"v\",\"client_secret_ref\":\"other\",\"endpoints\":{\"token\":\"https://idp.example.com/token\"}}", "client-secret-conflict")]
    [InlineData("{\"name\":\"s\",\"client_id\":\"a\",\"endpoints\":{\"token\":\"https://idp.example.com/token\"}}", "client-secret-required")]
    [InlineData("{\"name\":\"s\",\"client_id\":\"a\",\"client_secret_ref\":\"absent\",\"endpoints\":{\"token\":\"https://idp.example.com/token\"}}", "client-secret-not-found")]
    [InlineData("{\"name\":\"s\",\"client_id\":\"a\",\"client_secret\":\"v\"}", "missing-endpoints")]
    [InlineData("{\"name\":\"s\",\"client_id\":\"a\",\"client_secret\":\"v\",\"scope_separator\":\";\",\"endpoints\":{\"token\":\"https://idp.example.com/token\"}}", "invalid-provider-setting")]
    [InlineData("{\"name\":\"s\",\"client_id\":\"a\",\"client_secret\":\"v\",\"refresh_skew_seconds\":99999,\"endpoints\":{\"token\":\"https://idp.example.com/token\"}}", "invalid-provider-setting")]
    [InlineData("{\"name\":\"../x\",\"client_id\":\"a\",\"client_secret\":\"v\",\"endpoints\":{\"token\":\"https://idp.example.com/token\"}}", "invalid-name")]
    [InlineData("{\"name\":\"s\",\"client_id\":\"a\",\"client_secret\":\"v\",\"use_pkce\":\"yes\",\"endpoints\":{\"token\":\"https://idp.example.com/token\"}}", "malformed-json")]
    [InlineData("{\"name\":\"s\",", "malformed-json")]
    public async Task Create_InvalidBody_Returns400AndWritesNothing(string json, string code)
    {
        var tenant = await hub.CreateTenantAsync();
        using var client = hub.Client(tenant.OwnerKey);

        await Problem(await client.PostAsync(tenant.Providers, new StringContent(json, Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest, code);

        var providers = await Json(await client.GetAsync(tenant.Providers), HttpStatusCode.OK);
        var secrets = await Json(await client.GetAsync(tenant.Secrets), HttpStatusCode.OK);
        Assert.Empty(providers["data"]!.AsArray());
        Assert.Empty(secrets["data"]!.AsArray());
    }

    [Fact]
    public async Task CreateByHand_ThenListGetPatchDelete_Works()
    {
        var tenant = await hub.CreateTenantAsync();
        using var client = hub.Client(tenant.OwnerKey);
        await Json(await client.PostAsJsonAsync(tenant.Secrets, new { name = "idp-secret", value = "first-secret" }), HttpStatusCode.Created);

        var created = await Json(await client.PostAsJsonAsync(tenant.Providers, new
        {
            name = "idp",
            client_id = "hub",
            client_secret_ref = "idp-secret",
            client_authentication = "client_secret_basic",
            endpoints = new { authorization = "https://idp.example.com/authorize", token = "https://idp.example.com/token" },
            default_scopes = new[] { "read", "write" },
            client_secret_expires_at = "2027-01-01T00:00:00Z",
        }), HttpStatusCode.Created);
        var id = (string)created["id"]!;
        var list = await Json(await client.GetAsync(tenant.Providers), HttpStatusCode.OK);
        var patched = await Json(await client.PatchAsync($"{tenant.Providers}/{id}", JsonContent.Create(new
        {
            name = "idp-renamed",
            default_scopes = new[] { "read" },
            client_secret = "rotated-secret-value",
            refresh_skew_seconds = 60,
        })), HttpStatusCode.OK);
        var got = await Json(await client.GetAsync($"{tenant.Providers}/{id}"), HttpStatusCode.OK);
        var revealed = await Json(await client.PostAsync($"{tenant.Secrets}/oauth-client-{id}/reveal", null), HttpStatusCode.OK);
        var deleted = await client.DeleteAsync($"{tenant.Providers}/{id}");
        var afterDelete = await client.GetAsync($"{tenant.Providers}/{id}");
        var stillThere = await Json(await client.GetAsync($"{tenant.Secrets}/idp-secret"), HttpStatusCode.OK);

        Assert.Equal("idp-secret", (string?)created["client_secret_ref"]);
        Assert.Equal("client_secret_basic", (string?)created["client_authentication"]);
        Assert.Equal(300, (int?)created["refresh_skew_seconds"]);
        Assert.True((bool)created["use_pkce"]!);
        Assert.Equal(id, (string?)Assert.Single(list["data"]!.AsArray())!["id"]);
        Assert.Equal("idp-renamed", (string?)patched["name"]);
        Assert.Equal(["read"], patched["default_scopes"]!.AsArray().Select(s => (string)s!));
        Assert.Equal($"oauth-client-{id}", (string?)got["client_secret_ref"]);
        Assert.Equal(60, (int?)got["refresh_skew_seconds"]);
        Assert.Equal("rotated-secret-value", (string?)revealed["value"]);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, afterDelete.StatusCode);
        Assert.Equal("idp-secret", (string?)stillThere["name"]);
    }

    [Fact]
    public async Task Rename_FreesTheOldNameAndTakesTheNewOne()
    {
        var tenant = await hub.CreateTenantAsync();
        using var client = hub.Client(tenant.OwnerKey);
        var first = await CreateAsync(client, tenant, "alpha");
        await CreateAsync(client, tenant, "beta");

        await Problem(await client.PatchAsync($"{tenant.Providers}/{first}", JsonContent.Create(new { name = "beta" })), HttpStatusCode.Conflict, "provider-exists");
        await Json(await client.PatchAsync($"{tenant.Providers}/{first}", JsonContent.Create(new { name = "gamma" })), HttpStatusCode.OK);
        await CreateAsync(client, tenant, "alpha");

        var names = (await Json(await client.GetAsync(tenant.Providers), HttpStatusCode.OK))["data"]!.AsArray().Select(p => (string)p!["name"]!).Order();
        Assert.Equal(["alpha", "beta", "gamma"], names);
    }

    [Fact]
    public async Task Create_NameTaken_Returns409AndLeavesNoOrphanSecret()
    {
        var tenant = await hub.CreateTenantAsync();
        using var client = hub.Client(tenant.OwnerKey);
        var first = await CreateAsync(client, tenant, "dup");

        await Problem(await client.PostAsJsonAsync(tenant.Providers, new { name = "dup", template = "github", client_id = "b", client_secret = "second" }),
            HttpStatusCode.Conflict, "provider-exists");

        var secrets = await Json(await client.GetAsync(tenant.Secrets), HttpStatusCode.OK);
        var deleted = await Json(await client.GetAsync($"{tenant.Secrets}?deleted=true"), HttpStatusCode.OK);
        Assert.Equal([$"oauth-client-{first}"], secrets["data"]!.AsArray().Select(s => (string)s!["name"]!));
        Assert.Empty(deleted["data"]!.AsArray());
    }

    [Fact]
    public async Task OtherOrganization_GetsNotFound_AndChangesNothing()
    {
        var tenant = await hub.CreateTenantAsync();
        var other = await hub.CreateTenantAsync("Other");
        using var owner = hub.Client(tenant.OwnerKey);
        using var stranger = hub.Client(other.OwnerKey);
        var id = await CreateAsync(owner, tenant, "mine");

        var get = await stranger.GetAsync($"{tenant.Providers}/{id}");
        var list = await stranger.GetAsync(tenant.Providers);
        var patch = await stranger.PatchAsync($"{tenant.Providers}/{id}", JsonContent.Create(new { name = "stolen" }));
        var delete = await stranger.DeleteAsync($"{tenant.Providers}/{id}");
        var create = await stranger.PostAsJsonAsync(tenant.Providers, new { name = "planted", template = "github", client_id = "x", client_secret = "y" });
        // Their own project, our provider's id: not found there either.
        var viaOwnProject = await stranger.GetAsync($"{other.Providers}/{id}");

        Assert.All(new[] { get, list, patch, delete, create, viaOwnProject }, r => Assert.Equal(HttpStatusCode.NotFound, r.StatusCode));
        var mine = await Json(await owner.GetAsync(tenant.Providers), HttpStatusCode.OK);
        Assert.Equal("mine", (string?)Assert.Single(mine["data"]!.AsArray())!["name"]);
    }

    [Fact]
    public async Task KeyWithoutProviderScopes_GetsForbidden()
    {
        var tenant = await hub.CreateTenantAsync();
        using var owner = hub.Client(tenant.OwnerKey);
        var id = await CreateAsync(owner, tenant, "scoped");
        using var secretsOnly = hub.Client(await KeyAsync(owner, tenant, "secrets:read"));
        using var readOnly = hub.Client(await KeyAsync(owner, tenant, "providers:read"));

        await Problem(await secretsOnly.GetAsync(tenant.Providers), HttpStatusCode.Forbidden, "missing-scope");
        await Problem(await secretsOnly.GetAsync($"{tenant.Providers}/{id}"), HttpStatusCode.Forbidden, "missing-scope");
        await Problem(await readOnly.PostAsJsonAsync(tenant.Providers, new { name = "x", template = "github", client_id = "a", client_secret = "b" }), HttpStatusCode.Forbidden, "missing-scope");
        await Problem(await readOnly.PatchAsync($"{tenant.Providers}/{id}", JsonContent.Create(new { name = "y" })), HttpStatusCode.Forbidden, "missing-scope");
        await Problem(await readOnly.DeleteAsync($"{tenant.Providers}/{id}"), HttpStatusCode.Forbidden, "missing-scope");
        await Json(await readOnly.GetAsync($"{tenant.Providers}/{id}"), HttpStatusCode.OK);
        Assert.Equal("scoped", (string?)(await Json(await owner.GetAsync($"{tenant.Providers}/{id}"), HttpStatusCode.OK))["name"]);
    }

    [Fact]
    public async Task Patch_InvalidChanges_Return400AndChangeNothing()
    {
        var tenant = await hub.CreateTenantAsync();
        using var client = hub.Client(tenant.OwnerKey);
        var id = await CreateAsync(client, tenant, "fixed");

        await Problem(await client.PatchAsync($"{tenant.Providers}/{id}", JsonContent.Create(new { endpoints = new { token = "https://evil.example/t" } })), HttpStatusCode.BadRequest, "template-fixed-field");
        await Problem(await client.PatchAsync($"{tenant.Providers}/{id}", JsonContent.Create(new { template = "google" })), HttpStatusCode.BadRequest, "template-fixed-field");
        await Problem(await client.PatchAsync($"{tenant.Providers}/{id}", JsonContent.Create(new { extra_authorization_parameters = new { redirect_uri = "https://evil.example" } })),
            HttpStatusCode.BadRequest, "protected-parameter");
        await Problem(await client.PatchAsync($"{tenant.Providers}/{id}", new StringContent("[1]", Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest, "malformed-json");

        var got = await Json(await client.GetAsync($"{tenant.Providers}/{id}"), HttpStatusCode.OK);
        Assert.Equal("https://github.com/login/oauth/access_token", (string?)got["endpoints"]!["token"]);
        Assert.Null(got["extra_authorization_parameters"]!["redirect_uri"]);
    }

    [Fact]
    public async Task Templates_AnyOrganizationKey_ReadsTheCatalog()
    {
        var tenant = await hub.CreateTenantAsync();
        using var owner = hub.Client(tenant.OwnerKey);
        using var narrow = hub.Client(await KeyAsync(owner, tenant, "secrets:read"));
        using var anonymous = hub.Client();

        var list = await Json(await narrow.GetAsync("/v1/provider-templates?per_page=100"), HttpStatusCode.OK);
        var airtable = await Json(await narrow.GetAsync("/v1/provider-templates/airtable"), HttpStatusCode.OK);
        await Problem(await narrow.GetAsync("/v1/provider-templates/nope"), HttpStatusCode.NotFound, "template-not-found");
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/v1/provider-templates")).StatusCode);

        Assert.True(list["data"]!.AsArray().Count >= 20);
        Assert.True((bool)airtable["pkce_required"]!);
        Assert.True((bool)airtable["quirks"]!["rotates_refresh_tokens"]!);
        Assert.Equal("https://airtable.com/oauth2/v1/authorize", (string?)airtable["authorization_endpoint"]);
    }

    private static async Task<string> CreateAsync(HttpClient client, Tenant tenant, string name)
    {
        var created = await Json(await client.PostAsJsonAsync(tenant.Providers, new { name, template = "github", client_id = "id-" + name, client_secret = "secret-" + name }),
            HttpStatusCode.Created);
        return (string)created["id"]!;
    }

    private static async Task<string> KeyAsync(HttpClient owner, Tenant tenant, string scope)
    {
        var key = await Json(await owner.PostAsJsonAsync($"/v1/orgs/{tenant.OrganizationId}/api-keys", new { name = "k-" + scope.Replace(':', '-'), scopes = new[] { scope } }),
            HttpStatusCode.Created);
        return (string)key["key"]!;
    }
}
