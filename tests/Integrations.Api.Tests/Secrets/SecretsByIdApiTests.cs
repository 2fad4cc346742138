using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Azure;
using Azure.Data.Tables;
using static Integrations.Api.Tests.HubFixture;

namespace Integrations.Api.Tests.Secrets;

/// <summary>Secrets addressed by id (<c>…/secrets/by-id/{secretId}</c>), as the Hush SDK addresses them.</summary>
public sealed class SecretsByIdApiTests(HubFixture hub) : IClassFixture<HubFixture>
{
    [Fact]
    public async Task ById_GetUpdateRevealDelete_ActOnTheSecretWithThatId()
    {
        var tenant = await hub.CreateTenantAsync();
        using var client = hub.Client(tenant.OwnerKey);
        var id = await CreateAsync(client, tenant, "stripe-key", "v1");
        var byId = $"{tenant.Secrets}/by-id/{id}";

        var read = await client.GetAsync(byId);
        var metadata = await Json(read, HttpStatusCode.OK);
        var updated = await Json(await client.PutAsJsonAsync(byId, new { value = "v2" }), HttpStatusCode.OK);
        var latest = await Json(await client.PostAsync($"{byId}/reveal", null), HttpStatusCode.OK);
        var first = await Json(await client.PostAsJsonAsync($"{byId}/reveal", new { version = 1 }), HttpStatusCode.OK);
        var deleted = await client.DeleteAsync(byId);

        Assert.Equal(("stripe-key", 1), ((string?)metadata["name"], (int?)metadata["version"]));
        Assert.Equal("\"1\"", read.Headers.ETag?.ToString());
        Assert.Equal(2, (int?)updated["version"]);
        Assert.Equal(("v2", 2), ((string?)latest["value"], (int?)latest["version"]));
        Assert.Equal("v1", (string?)first["value"]);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await Problem(await client.GetAsync(byId), HttpStatusCode.NotFound, "not-found");
        await Problem(await client.GetAsync($"{tenant.Secrets}/stripe-key"), HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task HeadById_ExistingAndMissing_Returns200And404WithoutBody()
    {
        var tenant = await hub.CreateTenantAsync();
        using var client = hub.Client(tenant.OwnerKey);
        var id = await CreateAsync(client, tenant, "present", "v");

        using var present = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"{tenant.Secrets}/by-id/{id}"));
        using var absent = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"{tenant.Secrets}/by-id/sec_aaaaaaaaaaaaaaaaaaaa"));
        using var malformed = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"{tenant.Secrets}/by-id/not-an-id"));

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.NotFound, HttpStatusCode.NotFound), (present.StatusCode, absent.StatusCode, malformed.StatusCode));
        Assert.Equal("\"1\"", present.Headers.ETag?.ToString());
        Assert.Empty(await present.Content.ReadAsByteArrayAsync());
        Assert.Empty(await absent.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task ById_AnotherTenantsSecretId_Returns404ForEveryOperationAndChangesNothing()
    {
        var victim = await hub.CreateTenantAsync("Victim");
        using var victimClient = hub.Client(victim.OwnerKey);
        var id = await CreateAsync(victimClient, victim, "their-secret", "their-value");
        var attacker = await hub.CreateTenantAsync("Attacker");
        using var client = hub.Client(attacker.OwnerKey);

        // The victim's id under the attacker's own project, and under the victim's project.
        foreach (var path in new[] { $"{attacker.Secrets}/by-id/{id}", $"{victim.Secrets}/by-id/{id}" })
        {
            await Problem(await client.GetAsync(path), HttpStatusCode.NotFound, "not-found");
            await Problem(await client.PostAsync($"{path}/reveal", null), HttpStatusCode.NotFound, "not-found");
            await Problem(await client.PutAsJsonAsync(path, new { value = "overwritten" }), HttpStatusCode.NotFound, "not-found");
            await Problem(await client.PatchAsJsonAsync(path, new { description = "defaced" }), HttpStatusCode.NotFound, "not-found");
            await Problem(await client.DeleteAsync(path), HttpStatusCode.NotFound, "not-found");
            Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, path))).StatusCode);
        }

        var revealed = await Json(await victimClient.PostAsync($"{victim.Secrets}/by-id/{id}/reveal", null), HttpStatusCode.OK);
        var metadata = await Json(await victimClient.GetAsync($"{victim.Secrets}/by-id/{id}"), HttpStatusCode.OK);
        Assert.Equal(("their-value", 1), ((string?)revealed["value"], (int?)revealed["version"]));
        Assert.Null((string?)metadata["description"]);
    }

    [Fact]
    public async Task ById_NamePurgedAndReused_OldIdIsNotFound()
    {
        var tenant = await hub.CreateTenantAsync();
        using var client = hub.Client(tenant.OwnerKey);
        var oldId = await CreateAsync(client, tenant, "reused", "old");
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"{tenant.Secrets}/reused")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsync($"{tenant.Secrets}/reused/purge", null)).StatusCode);
        var newId = await CreateAsync(client, tenant, "reused", "new");

        await Problem(await client.GetAsync($"{tenant.Secrets}/by-id/{oldId}"), HttpStatusCode.NotFound, "not-found");
        await Problem(await client.PostAsync($"{tenant.Secrets}/by-id/{oldId}/reveal", null), HttpStatusCode.NotFound, "not-found");
        var revealed = await Json(await client.PostAsync($"{tenant.Secrets}/by-id/{newId}/reveal", null), HttpStatusCode.OK);
        Assert.Equal("new", (string?)revealed["value"]);
    }

    [Fact]
    public async Task ById_SecretWithoutIdRow_IsFoundByItsOwnRow()
    {
        // A secret stored before id rows existed (here: its id row removed from the table).
        var tenant = await hub.CreateTenantAsync();
        using var client = hub.Client(tenant.OwnerKey);
        var id = await CreateAsync(client, tenant, "legacy", "v");
        var table = new TableClient(hub.ConnectionString, hub.Prefix + "secrets");
        await table.DeleteEntityAsync($"{tenant.OrganizationId}_{tenant.ProjectId}", "I:" + id, ETag.All);

        var found = await Json(await client.GetAsync($"{tenant.Secrets}/by-id/{id}"), HttpStatusCode.OK);

        Assert.Equal("legacy", (string?)found["name"]);
    }

    [Fact]
    public async Task ById_IdRowPointingElsewhere_IsNotFollowed()
    {
        // Someone with table access points secret A's id row at secret B: the by-id route must not act on B.
        var tenant = await hub.CreateTenantAsync();
        using var client = hub.Client(tenant.OwnerKey);
        var idA = await CreateAsync(client, tenant, "a", "value-a");
        await CreateAsync(client, tenant, "b", "value-b");
        var table = new TableClient(hub.ConnectionString, hub.Prefix + "secrets");
        await table.UpsertEntityAsync(new TableEntity($"{tenant.OrganizationId}_{tenant.ProjectId}", "I:" + idA) { ["Name"] = "b" }, TableUpdateMode.Replace);

        await Problem(await client.PostAsync($"{tenant.Secrets}/by-id/{idA}/reveal", null), HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task Patch_ChangesDescriptionTagsAuthTypeAndMetadata_WithoutANewVersion()
    {
        var tenant = await hub.CreateTenantAsync();
        using var client = hub.Client(tenant.OwnerKey);
        await Json(await client.PostAsJsonAsync(tenant.Secrets, new
        {
            name = "webhook",
            value = "whsec_1",
            description = "old",
            tags = new[] { "a" },
            auth_type = "webhook_secret",
            metadata = new Dictionary<string, string> { ["provider"] = "stripe", ["env"] = "test" },
        }), HttpStatusCode.Created);

        var patched = await Json(await client.PatchAsync($"{tenant.Secrets}/webhook", Merge("""
            {"description":"new","tags":["b","c"],"auth_type":"bearer","metadata":{"env":null,"region":"eu"}}
            """)), HttpStatusCode.OK);
        var read = await Json(await client.GetAsync($"{tenant.Secrets}/webhook"), HttpStatusCode.OK);
        var versions = await Json(await client.GetAsync($"{tenant.Secrets}/webhook/versions"), HttpStatusCode.OK);
        var revealed = await Json(await client.PostAsync($"{tenant.Secrets}/webhook/reveal", null), HttpStatusCode.OK);

        Assert.Equal(1, (int?)patched["version"]);
        Assert.Equal("new", (string?)read["description"]);
        Assert.Equal(["b", "c"], read["tags"]!.AsArray().Select(t => (string)t!));
        Assert.Equal("bearer", (string?)read["auth_type"]);
        Assert.Equal(new Dictionary<string, string> { ["provider"] = "stripe", ["region"] = "eu" }, Metadata(read));
        Assert.Equal(1, (int?)versions["pagination"]!["total"]);
        Assert.Equal(("whsec_1", 1), ((string?)revealed["value"], (int?)revealed["version"]));

        // null removes: description gone, auth type back to other, metadata emptied.
        var cleared = await Json(await client.PatchAsync($"{tenant.Secrets}/webhook", Merge("""{"description":null,"auth_type":null,"metadata":null}""")), HttpStatusCode.OK);
        Assert.Null(cleared["description"]);
        Assert.Equal("other", (string?)cleared["auth_type"]);
        Assert.Empty(Metadata(cleared));
        Assert.Equal(["b", "c"], cleared["tags"]!.AsArray().Select(t => (string)t!));
    }

    [Fact]
    public async Task Patch_WithIfMatch_StaleIs412AndChangesNothing_CurrentApplies()
    {
        var tenant = await hub.CreateTenantAsync();
        using var client = hub.Client(tenant.OwnerKey);
        var id = await CreateAsync(client, tenant, "conditional", "one");
        await Json(await client.PutAsJsonAsync($"{tenant.Secrets}/conditional", new { value = "two" }), HttpStatusCode.OK);

        using var stale = new HttpRequestMessage(HttpMethod.Patch, $"{tenant.Secrets}/by-id/{id}") { Content = Merge("""{"description":"lost"}""") };
        stale.Headers.IfMatch.ParseAdd("\"1\"");
        await Problem(await client.SendAsync(stale), HttpStatusCode.PreconditionFailed, "version-mismatch");
        using var malformed = new HttpRequestMessage(HttpMethod.Patch, $"{tenant.Secrets}/conditional") { Content = Merge("""{"description":"lost"}""") };
        malformed.Headers.TryAddWithoutValidation("If-Match", "two");
        await Problem(await client.SendAsync(malformed), HttpStatusCode.BadRequest, "invalid-if-match");
        Assert.Null((await Json(await client.GetAsync($"{tenant.Secrets}/conditional"), HttpStatusCode.OK))["description"]);

        using var current = new HttpRequestMessage(HttpMethod.Patch, $"{tenant.Secrets}/by-id/{id}") { Content = Merge("""{"description":"kept"}""") };
        current.Headers.IfMatch.ParseAdd("\"2\"");
        var patched = await Json(await client.SendAsync(current), HttpStatusCode.OK);

        Assert.Equal(("kept", 2), ((string?)patched["description"], (int?)patched["version"]));
    }

    [Theory]
    [InlineData("""{"value":"new-value"}""", "invalid-patch")]
    [InlineData("""{"name":"renamed"}""", "invalid-patch")]
    [InlineData("""{"surprise":1}""", "invalid-patch")]
    [InlineData("""{"description":5}""", "malformed-json")]
    [InlineData("""{"metadata":{"k":5}}""", "malformed-json")]
    [InlineData("""{"auth_type":"password"}""", "invalid-auth-type")]
    [InlineData("""[1]""", "malformed-json")]
    public async Task Patch_AnythingButMetadataFields_Returns400AndChangesNothing(string body, string code)
    {
        var tenant = await hub.CreateTenantAsync();
        using var client = hub.Client(tenant.OwnerKey);
        await CreateAsync(client, tenant, "fixed", "original");

        await Problem(await client.PatchAsync($"{tenant.Secrets}/fixed", Merge(body)), HttpStatusCode.BadRequest, code);

        var revealed = await Json(await client.PostAsync($"{tenant.Secrets}/fixed/reveal", null), HttpStatusCode.OK);
        var read = await Json(await client.GetAsync($"{tenant.Secrets}/fixed"), HttpStatusCode.OK);
        Assert.Equal(("original", 1), ((string?)revealed["value"], (int?)revealed["version"]));
        Assert.Equal(("fixed", "other"), ((string?)read["name"], (string?)read["auth_type"]));
    }

    [Fact]
    public async Task List_FilterByAuthType_ReturnsOnlyThatType_AndOldSecretsReadAsOther()
    {
        var tenant = await hub.CreateTenantAsync();
        using var client = hub.Client(tenant.OwnerKey);
        await Json(await client.PostAsJsonAsync(tenant.Secrets, new { name = "b1", value = "v", auth_type = "bearer" }), HttpStatusCode.Created);
        await Json(await client.PostAsJsonAsync(tenant.Secrets, new { name = "b2", value = "v", auth_type = "bearer" }), HttpStatusCode.Created);
        await Json(await client.PostAsJsonAsync(tenant.Secrets, new { name = "k1", value = "v", auth_type = "api_key" }), HttpStatusCode.Created);
        await Json(await client.PostAsJsonAsync(tenant.Secrets, new { name = "legacy", value = "v", auth_type = "basic", metadata = new Dictionary<string, string> { ["x"] = "y" } }), HttpStatusCode.Created);
        // A row written before the fields existed has neither column.
        var table = new TableClient(hub.ConnectionString, hub.Prefix + "secrets");
        var row = (await table.GetEntityAsync<TableEntity>($"{tenant.OrganizationId}_{tenant.ProjectId}", "S:legacy")).Value;
        row.Remove("AuthType");
        row.Remove("Metadata");
        await table.UpdateEntityAsync(row, ETag.All, TableUpdateMode.Replace);

        var bearer = await Json(await client.GetAsync($"{tenant.Secrets}?auth_type=bearer"), HttpStatusCode.OK);
        var other = await Json(await client.GetAsync($"{tenant.Secrets}?auth_type=other"), HttpStatusCode.OK);
        var legacy = await Json(await client.GetAsync($"{tenant.Secrets}/legacy"), HttpStatusCode.OK);
        var bad = await Json(await client.GetAsync($"{tenant.Secrets}?auth_type=password"), HttpStatusCode.BadRequest);

        Assert.Equal(["b1", "b2"], Names(bearer));
        Assert.Equal(2, (int?)bearer["pagination"]!["total"]);
        Assert.All(bearer["data"]!.AsArray(), s => Assert.Null(s!["metadata"]));
        Assert.Equal(["legacy"], Names(other));
        Assert.Equal("other", (string?)legacy["auth_type"]);
        Assert.Empty(Metadata(legacy));
        Assert.Equal("auth_type", (string?)bad["field"]);
    }

    [Fact]
    public async Task ListVersions_PagesLikeEveryList()
    {
        var tenant = await hub.CreateTenantAsync();
        using var client = hub.Client(tenant.OwnerKey);
        await CreateAsync(client, tenant, "paged", "v1");
        for (var v = 2; v <= 5; v++)
        {
            await Json(await client.PutAsJsonAsync($"{tenant.Secrets}/paged", new { value = $"v{v}" }), HttpStatusCode.OK);
        }

        var page2 = await Json(await client.GetAsync($"{tenant.Secrets}/paged/versions?per_page=2&page=2"), HttpStatusCode.OK);
        var page3 = await Json(await client.GetAsync($"{tenant.Secrets}/paged/versions?per_page=2&page=3"), HttpStatusCode.OK);
        var beyond = await Json(await client.GetAsync($"{tenant.Secrets}/paged/versions?per_page=2&page=4"), HttpStatusCode.OK);
        var far = await Json(await client.GetAsync($"{tenant.Secrets}/paged/versions?per_page=100&page=2147483647"), HttpStatusCode.OK);
        var all = await Json(await client.GetAsync($"{tenant.Secrets}/paged/versions"), HttpStatusCode.OK);
        var bad = await Json(await client.GetAsync($"{tenant.Secrets}/paged/versions?per_page=101"), HttpStatusCode.BadRequest);

        Assert.Equal([3, 4], Versions(page2));
        Assert.Equal([5], Versions(page3));
        Assert.Empty(Versions(beyond));
        Assert.Empty(Versions(far));
        Assert.Equal([1, 2, 3, 4, 5], Versions(all));
        Assert.Equal((2, 2, 5, 3), ((int)page2["pagination"]!["page"]!, (int)page2["pagination"]!["per_page"]!, (int)page2["pagination"]!["total"]!,
            (int)page2["pagination"]!["total_pages"]!));
        Assert.Equal((1, 20), ((int)all["pagination"]!["page"]!, (int)all["pagination"]!["per_page"]!));
        Assert.Equal("per_page", (string?)bad["field"]);
    }

    private static async Task<string> CreateAsync(HttpClient client, Tenant tenant, string name, string value) =>
        (string)(await Json(await client.PostAsJsonAsync(tenant.Secrets, new { name, value }), HttpStatusCode.Created))["id"]!;

    private static StringContent Merge(string json) => new(json, System.Text.Encoding.UTF8, "application/merge-patch+json");

    private static Dictionary<string, string> Metadata(JsonNode secret) =>
        secret["metadata"]!.AsObject().ToDictionary(e => e.Key, e => (string)e.Value!, StringComparer.Ordinal);

    private static string[] Names(JsonNode list) => list["data"]!.AsArray().Select(s => (string)s!["name"]!).ToArray();

    private static int[] Versions(JsonNode list) => list["data"]!.AsArray().Select(v => (int)v!["version"]!).ToArray();
}
