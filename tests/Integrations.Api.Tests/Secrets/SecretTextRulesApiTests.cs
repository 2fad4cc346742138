using System.Net;
using System.Net.Http.Json;
using System.Text;
using Integrations.Core.Vault;
using static Integrations.Api.Tests.HubFixture;

namespace Integrations.Api.Tests.Secrets;

/// <summary>
/// What a secret's name and text may be, through real HTTP: names must survive a URL round trip; descriptions, tags and
/// metadata must print; bodies must be UTF-8 throughout.
/// </summary>
public sealed class SecretTextRulesApiTests(HubFixture hub) : IClassFixture<HubFixture>
{
    /// <summary>Names at the edges of the rules: dots (RFC 3986 dot segments), the by-id segment, each punctuation character.</summary>
    private static readonly string[] EdgeNames =
    [
        ".", "..", "...", ".a", "a.", "..a", "a..", "a..b", ".-.", "._", "-", "--", "_", "__", "a", "Z9", "by-id", "BY-ID", "By-Id", "by-id2", "x-by-id",
        new string('.', 128), new string('n', 128),
    ];

    [Fact]
    public async Task EveryNameRule_AgreesWithARoundTripThroughARealUrl()
    {
        // Arrange
        var tenant = await hub.CreateTenantAsync();
        using var client = hub.Client(tenant.OwnerKey);

        foreach (var name in EdgeNames)
        {
            // Act: create with the name in the body, then address it in a URL built the way a client builds one.
            var created = await client.PostAsJsonAsync(tenant.Secrets, new { name, value = "value-of-" + name });
            var url = $"{tenant.Secrets}/{Uri.EscapeDataString(name)}";

            // Assert: what the rules accept is reachable by GET, reveal and DELETE; what they refuse is a 400.
            if (!SecretRules.IsValidName(name))
            {
                var problem = await Problem(created, HttpStatusCode.BadRequest, "invalid-name");
                Assert.Equal("name", (string?)problem["field"]);
                continue;
            }

            Assert.True(created.StatusCode == HttpStatusCode.Created, $"'{name}': create answered {(int)created.StatusCode}.");
            var read = await client.GetAsync(url);
            Assert.True(read.StatusCode == HttpStatusCode.OK, $"'{name}': GET {url} answered {(int)read.StatusCode}.");
            Assert.Equal(name, (string?)(await Json(read, HttpStatusCode.OK))["name"]);
            var revealed = await Json(await client.PostAsync(url + "/reveal", null), HttpStatusCode.OK);
            Assert.Equal("value-of-" + name, (string?)revealed["value"]);
            var deleted = await client.DeleteAsync(url);
            Assert.True(deleted.StatusCode == HttpStatusCode.NoContent, $"'{name}': DELETE {url} answered {(int)deleted.StatusCode}.");
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(url)).StatusCode);
        }

        // Nothing refused was written.
        var all = await Json(await client.GetAsync($"{tenant.Secrets}?deleted=true&per_page=100"), HttpStatusCode.OK);
        Assert.Equal(EdgeNames.Count(SecretRules.IsValidName), (int?)all["pagination"]!["total"]);
    }

    [Theory]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("....")]
    [InlineData("by-id")]
    public async Task Create_NameOnlyDotsOrReserved_Returns400AndWritesNothing(string name)
    {
        var tenant = await hub.CreateTenantAsync();
        using var client = hub.Client(tenant.OwnerKey);

        await Problem(await client.PostAsJsonAsync(tenant.Secrets, new { name, value = "v" }), HttpStatusCode.BadRequest, "invalid-name");

        Assert.Equal(0, (int?)(await Json(await client.GetAsync($"{tenant.Secrets}?deleted=true"), HttpStatusCode.OK))["pagination"]!["total"]);
        Assert.Equal(0, (int?)(await Json(await client.GetAsync(tenant.Secrets), HttpStatusCode.OK))["pagination"]!["total"]);
    }

    [Theory]
    [InlineData("description", "\u202E", "invalid-description")]
    [InlineData("description", "\u200B", "invalid-description")]
    [InlineData("description", "\u2067", "invalid-description")]
    [InlineData("description", "\u0007", "invalid-description")]
    [InlineData("description", "\n", "invalid-description")]
    [InlineData("description", "\u2028", "invalid-description")]
    [InlineData("description", "\uE000", "invalid-description")]
    [InlineData("tag", "\u202E", "invalid-tags")]
    [InlineData("tag", "\u200F", "invalid-tags")]
    [InlineData("metadata-key", "\u202E", "invalid-metadata")]
    [InlineData("metadata-key", "\u0000", "invalid-metadata")]
    [InlineData("metadata-value", "\u2066", "invalid-metadata")]
    [InlineData("metadata-value", "\u200D", "invalid-metadata")]
    [InlineData("metadata-value", "\u001B[31m", "invalid-metadata")]
    public async Task CreateUpdateOrPatch_NonPrintingCharacter_Returns400AndWritesNothing(string field, string character, string code)
    {
        var tenant = await hub.CreateTenantAsync();
        using var client = hub.Client(tenant.OwnerKey);
        await Json(await client.PostAsJsonAsync(tenant.Secrets, new { name = "existing", value = "v", description = "clean" }), HttpStatusCode.Created);
        var text = "invoice" + character + "txt";
        object Fields(string? value) => field switch
        {
            "description" => new { name = "fresh", value, description = text },
            "tag" => new { name = "fresh", value, tags = new[] { text } },
            "metadata-key" => new { name = "fresh", value, metadata = new Dictionary<string, string> { [text] = "v" } },
            _ => new { name = "fresh", value, metadata = new Dictionary<string, string> { ["k"] = text } },
        };

        var create = await client.PostAsJsonAsync(tenant.Secrets, Fields("v"));
        var update = await client.PutAsJsonAsync($"{tenant.Secrets}/existing", Fields("v2"));
        var patch = await client.PatchAsJsonAsync($"{tenant.Secrets}/existing", Fields(null));

        await Problem(create, HttpStatusCode.BadRequest, code);
        await Problem(update, HttpStatusCode.BadRequest, code);
        // PATCH refuses the name member before it looks at the text; without it, the text itself is refused.
        await Problem(patch, HttpStatusCode.BadRequest, "invalid-patch");
        var patchText = await client.PatchAsync($"{tenant.Secrets}/existing", JsonContent.Create(field switch
        {
            "description" => (object)new { description = text },
            "tag" => new { tags = new[] { text } },
            "metadata-key" => new { metadata = new Dictionary<string, string> { [text] = "v" } },
            _ => new { metadata = new Dictionary<string, string> { ["k"] = text } },
        }));
        await Problem(patchText, HttpStatusCode.BadRequest, code);
        await Problem(await client.GetAsync($"{tenant.Secrets}/fresh"), HttpStatusCode.NotFound, "not-found");
        var existing = await Json(await client.GetAsync($"{tenant.Secrets}/existing"), HttpStatusCode.OK);
        Assert.Equal((1, "clean"), ((int?)existing["version"], (string?)existing["description"]));
    }

    [Theory]
    [InlineData("/v1/projects", "{\"name\":\"Payments \u202Egnp.exe\"}")]
    [InlineData("/v1/orgs/{org}/api-keys", "{\"name\":\"ci\u200Bkey\",\"scopes\":[\"secrets:read\"]}")]
    public async Task ProjectAndKeyNames_NonPrintingCharacter_Returns400(string path, string body)
    {
        var tenant = await hub.CreateTenantAsync();
        using var client = hub.Client(tenant.OwnerKey);

        var url = path.Replace("{org}", tenant.OrganizationId, StringComparison.Ordinal);

        var problem = await Problem(await client.PostAsync(url, new StringContent(body, Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest, "invalid-name");

        Assert.Equal("name", (string?)problem["field"]);
    }

    [Theory]
    [InlineData("{\"name\":\"utf8\",\"value\":\"v\",\"unread\":\"\xFF\xFE\"}")]
    [InlineData("{\"name\":\"utf8\",\"value\":\"v\",\"unread\":{\"deep\":[\"\xC3\"]}}")]
    [InlineData("{\"name\":\"utf8\",\"value\":\"v\",\"description\":\"\xED\xA0\x80\"}")]
    [InlineData("{\"name\":\"utf8\",\"value\":\"v\xC0\xAF\"}")]
    public async Task Create_BodyNotUtf8AnywhereEvenInAnUnreadField_Returns400AndWritesNothing(string latin1Body)
    {
        var tenant = await hub.CreateTenantAsync();
        using var client = hub.Client(tenant.OwnerKey);
        // The test data spells each byte as one char (Latin-1); sent as those raw bytes.
        var bytes = Encoding.Latin1.GetBytes(latin1Body);
        using var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new("application/json");

        await Problem(await client.PostAsync(tenant.Secrets, content), HttpStatusCode.BadRequest, "invalid-encoding");

        await Problem(await client.GetAsync($"{tenant.Secrets}/utf8"), HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task UpdateRevealAndPatch_BodyNotUtf8InAnUnreadField_Return400()
    {
        var tenant = await hub.CreateTenantAsync();
        using var client = hub.Client(tenant.OwnerKey);
        await Json(await client.PostAsJsonAsync(tenant.Secrets, new { name = "target", value = "v1" }), HttpStatusCode.Created);
        static ByteArrayContent Body(string latin1)
        {
            var content = new ByteArrayContent(Encoding.Latin1.GetBytes(latin1));
            content.Headers.ContentType = new("application/json");
            return content;
        }

        await Problem(await client.PutAsync($"{tenant.Secrets}/target", Body("{\"value\":\"v2\",\"x\":\"\xFF\"}")), HttpStatusCode.BadRequest, "invalid-encoding");
        await Problem(await client.PostAsync($"{tenant.Secrets}/target/reveal", Body("{\"x\":\"\xFF\"}")), HttpStatusCode.BadRequest, "invalid-encoding");
        await Problem(await client.PatchAsync($"{tenant.Secrets}/target", Body("{\"description\":\"d\",\"x\":\"\xFF\"}")), HttpStatusCode.BadRequest, "invalid-encoding");

        var read = await Json(await client.GetAsync($"{tenant.Secrets}/target"), HttpStatusCode.OK);
        Assert.Equal(1, (int?)read["version"]);
        Assert.Null(read["description"]);
    }
}
