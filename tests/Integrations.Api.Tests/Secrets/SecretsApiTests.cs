using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using static Integrations.Api.Tests.HubFixture;

namespace Integrations.Api.Tests.Secrets;

public sealed class SecretsApiTests(HubFixture hub) : IClassFixture<HubFixture>
{
    [Fact]
    public async Task CreateSecret_ThenRead_ReturnsMetadataWithoutValue()
    {
        var tenant = await hub.CreateTenantAsync();
        using var client = hub.Client(tenant.OwnerKey);

        var created = await Json(await client.PostAsJsonAsync(tenant.Secrets, new { name = "db-password", value = "s3cr3t-value", description = "main db", tags = new[] { "db", "prod" } }), HttpStatusCode.Created);
        var read = await client.GetAsync($"{tenant.Secrets}/db-password");
        var body = await read.Content.ReadAsStringAsync();

        Assert.Equal("db-password", (string?)created["name"]);
        Assert.Equal(1, (int?)created["version"]);
        Assert.StartsWith("sec_", (string?)created["id"]);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal("\"1\"", read.Headers.ETag?.ToString());
        Assert.DoesNotContain("s3cr3t-value", body, StringComparison.Ordinal);
        Assert.Contains("\"description\":\"main db\"", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateSecret_NameTaken_Returns409AndKeepsOriginal()
    {
        var tenant = await hub.CreateTenantAsync();
        using var client = hub.Client(tenant.OwnerKey);
        await Json(await client.PostAsJsonAsync(tenant.Secrets, new { name = "token", value = "first" }), HttpStatusCode.Created);

        await Problem(await client.PostAsJsonAsync(tenant.Secrets, new { name = "token", value = "second" }), HttpStatusCode.Conflict, "secret-exists");

        var revealed = await Json(await client.PostAsync($"{tenant.Secrets}/token/reveal", null), HttpStatusCode.OK);
        Assert.Equal("first", (string?)revealed["value"]);
    }

    [Fact]
    public async Task Head_ExistingAndMissing_Returns200And404()
    {
        var tenant = await hub.CreateTenantAsync();
        using var client = hub.Client(tenant.OwnerKey);
        await Json(await client.PostAsJsonAsync(tenant.Secrets, new { name = "present", value = "x" }), HttpStatusCode.Created);

        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"{tenant.Secrets}/present"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"{tenant.Secrets}/absent"))).StatusCode);
    }

    [Fact]
    public async Task Update_CreatesVersions_OlderVersionsStillRevealable()
    {
        var tenant = await hub.CreateTenantAsync();
        using var client = hub.Client(tenant.OwnerKey);
        await Json(await client.PostAsJsonAsync(tenant.Secrets, new { name = "api-token", value = "v1-value", tags = new[] { "a" } }), HttpStatusCode.Created);

        var second = await Json(await client.PutAsJsonAsync($"{tenant.Secrets}/api-token", new { value = "v2-value" }), HttpStatusCode.OK);
        var third = await Json(await client.PutAsJsonAsync($"{tenant.Secrets}/api-token", new { value = "v3-value", tags = new[] { "b" } }), HttpStatusCode.OK);
        var latest = await Json(await client.PostAsync($"{tenant.Secrets}/api-token/reveal", null), HttpStatusCode.OK);
        var first = await Json(await client.PostAsJsonAsync($"{tenant.Secrets}/api-token/reveal", new { version = 1 }), HttpStatusCode.OK);
        var versions = await Json(await client.GetAsync($"{tenant.Secrets}/api-token/versions"), HttpStatusCode.OK);

        Assert.Equal(2, (int?)second["version"]);
        Assert.Equal(["a"], second["tags"]!.AsArray().Select(t => (string)t!));
        Assert.Equal(["b"], third["tags"]!.AsArray().Select(t => (string)t!));
        Assert.Equal(("v3-value", 3), ((string)latest["value"]!, (int)latest["version"]!));
        Assert.Equal(("v1-value", 1), ((string)first["value"]!, (int)first["version"]!));
        Assert.Equal([1, 2, 3], versions["data"]!.AsArray().Select(v => (int)v!["version"]!));
        await Problem(await client.PostAsJsonAsync($"{tenant.Secrets}/api-token/reveal", new { version = 4 }), HttpStatusCode.NotFound, "not-found");
        await Problem(await client.PostAsJsonAsync($"{tenant.Secrets}/api-token/reveal", new { version = 0 }), HttpStatusCode.BadRequest, "invalid-version");
    }

    [Fact]
    public async Task Update_WithStaleIfMatch_Returns412AndWritesNothing()
    {
        var tenant = await hub.CreateTenantAsync();
        using var client = hub.Client(tenant.OwnerKey);
        await Json(await client.PostAsJsonAsync(tenant.Secrets, new { name = "conditional", value = "one" }), HttpStatusCode.Created);
        await Json(await client.PutAsJsonAsync($"{tenant.Secrets}/conditional", new { value = "two" }), HttpStatusCode.OK);

        using var stale = new HttpRequestMessage(HttpMethod.Put, $"{tenant.Secrets}/conditional") { Content = JsonContent.Create(new { value = "lost" }) };
        stale.Headers.IfMatch.ParseAdd("\"1\"");
        await Problem(await client.SendAsync(stale), HttpStatusCode.PreconditionFailed, "version-mismatch");

        using var weak = new HttpRequestMessage(HttpMethod.Put, $"{tenant.Secrets}/conditional") { Content = JsonContent.Create(new { value = "lost" }) };
        weak.Headers.IfMatch.ParseAdd("W/\"2\"");
        await Problem(await client.SendAsync(weak), HttpStatusCode.PreconditionFailed, "version-mismatch");

        using var fresh = new HttpRequestMessage(HttpMethod.Put, $"{tenant.Secrets}/conditional") { Content = JsonContent.Create(new { value = "three" }) };
        fresh.Headers.IfMatch.ParseAdd("\"2\"");
        var updated = await Json(await client.SendAsync(fresh), HttpStatusCode.OK);

        Assert.Equal(3, (int?)updated["version"]);
        var revealed = await Json(await client.PostAsync($"{tenant.Secrets}/conditional/reveal", null), HttpStatusCode.OK);
        Assert.Equal("three", (string?)revealed["value"]);
    }

    [Fact]
    public async Task ConcurrentUpdates_NeverLoseAnUpdate()
    {
        var tenant = await hub.CreateTenantAsync();
        using var client = hub.Client(tenant.OwnerKey);
        await Json(await client.PostAsJsonAsync(tenant.Secrets, new { name = "contended", value = "initial" }), HttpStatusCode.Created);
        const int writers = 16;

        var responses = await Task.WhenAll(Enumerable.Range(0, writers).Select(i => client.PutAsJsonAsync($"{tenant.Secrets}/contended", new { value = $"writer-{i}" })));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var versionsWritten = await Task.WhenAll(responses.Select(async r => (int)(await Json(r, HttpStatusCode.OK))["version"]!));
        Assert.Equal(Enumerable.Range(2, writers), versionsWritten.Order());
        // Every writer's value is stored under the version it was told.
        var values = new HashSet<string>(StringComparer.Ordinal);
        for (var version = 2; version <= writers + 1; version++)
        {
            values.Add((string)(await Json(await client.PostAsJsonAsync($"{tenant.Secrets}/contended/reveal", new { version }), HttpStatusCode.OK))["value"]!);
        }

        Assert.Equal(Enumerable.Range(0, writers).Select(i => $"writer-{i}").ToHashSet(), values);
    }

    [Fact]
    public async Task ConcurrentConditionalUpdates_ExactlyOneWins()
    {
        var tenant = await hub.CreateTenantAsync();
        using var client = hub.Client(tenant.OwnerKey);
        await Json(await client.PostAsJsonAsync(tenant.Secrets, new { name = "race", value = "initial" }), HttpStatusCode.Created);

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
        {
            var request = new HttpRequestMessage(HttpMethod.Put, $"{tenant.Secrets}/race") { Content = JsonContent.Create(new { value = $"w{i}" }) };
            request.Headers.IfMatch.ParseAdd("\"1\"");
            return client.SendAsync(request);
        }));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.OK), r => Assert.Equal(HttpStatusCode.PreconditionFailed, r.StatusCode));
    }

    [Fact]
    public async Task List_PagesSearchesAndFiltersByTag()
    {
        var tenant = await hub.CreateTenantAsync();
        using var client = hub.Client(tenant.OwnerKey);
        for (var i = 0; i < 7; i++)
        {
            await Json(await client.PostAsJsonAsync(tenant.Secrets, new { name = $"stripe.key-{i}", value = "v", tags = i % 2 == 0 ? new[] { "even" } : new[] { "odd" } }), HttpStatusCode.Created);
        }

        await Json(await client.PostAsJsonAsync(tenant.Secrets, new { name = "slack-token", value = "v" }), HttpStatusCode.Created);

        var page1 = await Json(await client.GetAsync($"{tenant.Secrets}?search=stripe&per_page=3"), HttpStatusCode.OK);
        var page3 = await Json(await client.GetAsync($"{tenant.Secrets}?search=stripe&per_page=3&page=3"), HttpStatusCode.OK);
        var beyond = await Json(await client.GetAsync($"{tenant.Secrets}?search=stripe&per_page=3&page=4"), HttpStatusCode.OK);
        var even = await Json(await client.GetAsync($"{tenant.Secrets}?tag=even&per_page=100"), HttpStatusCode.OK);
        var all = await Json(await client.GetAsync(tenant.Secrets), HttpStatusCode.OK);

        Assert.Equal(["stripe.key-0", "stripe.key-1", "stripe.key-2"], Names(page1));
        Assert.Equal(7, (int?)page1["pagination"]!["total"]);
        Assert.Equal(3, (int?)page1["pagination"]!["total_pages"]);
        Assert.Equal(["stripe.key-6"], Names(page3));
        Assert.Empty(Names(beyond));
        // A page number near int.MaxValue must not wrap around to an early page.
        Assert.Empty(Names(await Json(await client.GetAsync($"{tenant.Secrets}?page=2147483647&per_page=100"), HttpStatusCode.OK)));
        Assert.Equal(["stripe.key-0", "stripe.key-2", "stripe.key-4", "stripe.key-6"], Names(even));
        Assert.Equal(8, (int?)all["pagination"]!["total"]);
    }

    [Theory]
    [InlineData("?per_page=101", "per_page")]
    [InlineData("?per_page=0", "per_page")]
    [InlineData("?page=0", "page")]
    [InlineData("?page=abc", "page")]
    [InlineData("?search=bad/prefix", "search")]
    [InlineData("?deleted=maybe", "deleted")]
    public async Task List_BadQuery_Returns400NamingTheParameter(string query, string field)
    {
        var tenant = await hub.CreateTenantAsync();
        using var client = hub.Client(tenant.OwnerKey);

        var problem = await Json(await client.GetAsync(tenant.Secrets + query), HttpStatusCode.BadRequest);

        Assert.Equal(field, (string?)problem["field"]);
    }

    [Fact]
    public async Task Delete_ThenRestore_ThenPurge()
    {
        var tenant = await hub.CreateTenantAsync();
        using var client = hub.Client(tenant.OwnerKey);
        await Json(await client.PostAsJsonAsync(tenant.Secrets, new { name = "temp", value = "keep-me" }), HttpStatusCode.Created);

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"{tenant.Secrets}/temp")).StatusCode);
        await Problem(await client.GetAsync($"{tenant.Secrets}/temp"), HttpStatusCode.NotFound, "not-found");
        await Problem(await client.PostAsync($"{tenant.Secrets}/temp/reveal", null), HttpStatusCode.NotFound, "not-found");
        Assert.Equal(["temp"], Names(await Json(await client.GetAsync($"{tenant.Secrets}?deleted=true"), HttpStatusCode.OK)));
        Assert.Empty(Names(await Json(await client.GetAsync(tenant.Secrets), HttpStatusCode.OK)));
        await Problem(await client.PostAsJsonAsync(tenant.Secrets, new { name = "temp", value = "other" }), HttpStatusCode.Conflict, "secret-exists");

        await Json(await client.PostAsync($"{tenant.Secrets}/temp/restore", null), HttpStatusCode.OK);
        var revealed = await Json(await client.PostAsync($"{tenant.Secrets}/temp/reveal", null), HttpStatusCode.OK);
        Assert.Equal("keep-me", (string?)revealed["value"]);
        await Problem(await client.PostAsync($"{tenant.Secrets}/temp/restore", null), HttpStatusCode.Conflict, "secret-not-deleted");
        await Problem(await client.PostAsync($"{tenant.Secrets}/temp/purge", null), HttpStatusCode.Conflict, "secret-not-deleted");

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"{tenant.Secrets}/temp")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsync($"{tenant.Secrets}/temp/purge", null)).StatusCode);
        await Problem(await client.PostAsync($"{tenant.Secrets}/temp/restore", null), HttpStatusCode.NotFound, "not-found");
        await Json(await client.PostAsJsonAsync(tenant.Secrets, new { name = "temp", value = "reborn" }), HttpStatusCode.Created);
        await Problem(await client.PostAsJsonAsync($"{tenant.Secrets}/temp/reveal", new { version = 2 }), HttpStatusCode.NotFound, "not-found");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(128)]
    public async Task Create_NameAtLengthLimit_Succeeds(int length)
    {
        var tenant = await hub.CreateTenantAsync();
        using var client = hub.Client(tenant.OwnerKey);
        var name = new string('n', length);

        await Json(await client.PostAsJsonAsync(tenant.Secrets, new { name, value = "v" }), HttpStatusCode.Created);
        await Json(await client.GetAsync($"{tenant.Secrets}/{name}"), HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("slash/name")]
    [InlineData("colon:name")]
    [InlineData("ünïcode")]
    [InlineData("x129")]
    public async Task Create_InvalidName_Returns400AndWritesNothing(string name)
    {
        var tenant = await hub.CreateTenantAsync();
        using var client = hub.Client(tenant.OwnerKey);
        name = name == "x129" ? new string('x', 129) : name;

        var problem = await Problem(await client.PostAsJsonAsync(tenant.Secrets, new { name, value = "v" }), HttpStatusCode.BadRequest, "invalid-name");

        Assert.Equal("name", (string?)problem["field"]);
        Assert.Equal(0, (int?)(await Json(await client.GetAsync(tenant.Secrets), HttpStatusCode.OK))["pagination"]!["total"]);
    }

    [Fact]
    public async Task Create_ValueAtLimit_SucceedsAndOneByteMoreIs413()
    {
        var tenant = await hub.CreateTenantAsync();
        using var client = hub.Client(tenant.OwnerKey);
        var atLimit = new string('a', 48 * 1024);

        await Json(await client.PostAsJsonAsync(tenant.Secrets, new { name = "big", value = atLimit }), HttpStatusCode.Created);
        var revealed = await Json(await client.PostAsync($"{tenant.Secrets}/big/reveal", null), HttpStatusCode.OK);
        await Problem(await client.PostAsJsonAsync(tenant.Secrets, new { name = "too-big", value = atLimit + "a" }), HttpStatusCode.RequestEntityTooLarge, "value-too-large");
        // Multi-byte characters count in UTF-8 bytes, not characters.
        await Problem(await client.PutAsJsonAsync($"{tenant.Secrets}/big", new { value = new string('é', 24 * 1024 + 1) }), HttpStatusCode.RequestEntityTooLarge, "value-too-large");

        Assert.Equal(atLimit, (string?)revealed["value"]);
        await Problem(await client.GetAsync($"{tenant.Secrets}/too-big"), HttpStatusCode.NotFound, "not-found");
        Assert.Equal(1, (int?)(await Json(await client.GetAsync($"{tenant.Secrets}/big"), HttpStatusCode.OK))["version"]);
    }

    [Fact]
    public async Task Create_OversizedBody_Returns413()
    {
        var tenant = await hub.CreateTenantAsync();
        using var client = hub.Client(tenant.OwnerKey);
        var body = "{\"name\":\"huge\",\"value\":\"" + new string('a', 600 * 1024) + "\"}";

        await Problem(await client.PostAsync(tenant.Secrets, new StringContent(body, Encoding.UTF8, "application/json")), HttpStatusCode.RequestEntityTooLarge, "body-too-large");
        await Problem(await client.GetAsync($"{tenant.Secrets}/huge"), HttpStatusCode.NotFound, "not-found");
    }

    [Theory]
    [InlineData("{\"name\":\"x\",", "malformed-json", null)]
    [InlineData("[1,2]", "malformed-json", null)]
    [InlineData("{\"name\":\"x\",\"value\":42}", "malformed-json", "value")]
    [InlineData("{\"name\":\"x\",\"value\":\"v\",\"tags\":\"notalist\"}", "malformed-json", "tags")]
    [InlineData("{\"value\":\"v\"}", "invalid-name", "name")]
    [InlineData("{\"name\":\"x\"}", "missing-field", "value")]
    [InlineData("{\"name\":\"x\",\"value\":\"\"}", "invalid-value", "value")]
    [InlineData("{\"name\":\"x\",\"value\":\"v\",\"tags\":[\"bad tag\"]}", "invalid-tags", "tags")]
    [InlineData("", "missing-body", null)]
    public async Task Create_MalformedOrIncompleteBody_Returns400AndWritesNothing(string body, string code, string? field)
    {
        var tenant = await hub.CreateTenantAsync();
        using var client = hub.Client(tenant.OwnerKey);

        var problem = await Problem(await client.PostAsync(tenant.Secrets, new StringContent(body, Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest, code);

        Assert.Equal(field, (string?)problem["field"]);
        Assert.Equal(0, (int?)(await Json(await client.GetAsync(tenant.Secrets), HttpStatusCode.OK))["pagination"]!["total"]);
    }

    [Fact]
    public async Task Create_NotJsonContentType_Returns400()
    {
        var tenant = await hub.CreateTenantAsync();
        using var client = hub.Client(tenant.OwnerKey);

        await Problem(await client.PostAsync(tenant.Secrets, new StringContent("name=x&value=y", Encoding.UTF8, "application/x-www-form-urlencoded")),
            HttpStatusCode.BadRequest, "unsupported-media-type");
    }

    [Fact]
    public async Task Create_UnknownProject_Returns404()
    {
        var tenant = await hub.CreateTenantAsync();
        using var client = hub.Client(tenant.OwnerKey);

        await Problem(await client.PostAsJsonAsync("/v1/projects/prj_aaaaaaaaaaaaaaaaaaaa/secrets", new { name = "x", value = "v" }), HttpStatusCode.NotFound, "not-found");
        await Problem(await client.PostAsJsonAsync("/v1/projects/not-an-id/secrets", new { name = "x", value = "v" }), HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task Reveal_ResponseIsNotCacheable()
    {
        var tenant = await hub.CreateTenantAsync();
        using var client = hub.Client(tenant.OwnerKey);
        await Json(await client.PostAsJsonAsync(tenant.Secrets, new { name = "nocache", value = "v" }), HttpStatusCode.Created);

        var response = await client.PostAsync($"{tenant.Secrets}/nocache/reveal", null);

        Assert.True(response.Headers.CacheControl?.NoStore, "reveal responses must carry Cache-Control: no-store");
    }

    private static string[] Names(JsonNode list) => list["data"]!.AsArray().Select(s => (string)s!["name"]!).ToArray();
}
