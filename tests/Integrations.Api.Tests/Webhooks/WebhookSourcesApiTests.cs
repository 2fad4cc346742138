using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Integrations.Core.Counters;
using Integrations.Core.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using static Integrations.Api.Tests.HubFixture;
using static Integrations.Api.Tests.Webhooks.WebhookHubFixture;

namespace Integrations.Api.Tests.Webhooks;

/// <summary>What a user relies on when they set up a webhook source: its URL, its secrets (never shown back), rolling them, and its counts.</summary>
public sealed class WebhookSourcesApiTests(WebhookHubFixture fixture) : IClassFixture<WebhookHubFixture>
{
    private HubFixture Hub => fixture.Hub;

    [Fact]
    public async Task Create_AnswersWithThePublicUrlAndKeys_NeverTheSecret()
    {
        var (tenant, client) = await TenantAsync();

        var response = await client.PostAsJsonAsync(Path(tenant), new { name = "svix", scheme = "standard", description = "orders", secret = StandardSecret });
        var raw = await response.Content.ReadAsStringAsync();
        var created = await Json(response, HttpStatusCode.Created);
        var id = (string)created["id"]!;
        var read = await Json(await client.GetAsync($"{Path(tenant)}/{id}"), HttpStatusCode.OK);
        var list = await Json(await client.GetAsync(Path(tenant)), HttpStatusCode.OK);

        Assert.StartsWith("whs_", id, StringComparison.Ordinal);
        Assert.Equal($"{fixture.PublicBaseUrl}/v1/webhooks/{id}", (string?)created["url"]);
        Assert.Equal(("standard", true, 300), ((string?)created["scheme"], (bool)created["enabled"]!, (int)created["settings"]!["tolerance_seconds"]!));
        var key = Assert.Single(created["keys"]!.AsArray())!;
        Assert.StartsWith("whk_", (string?)key["id"], StringComparison.Ordinal);
        Assert.NotNull(key["created_at"]);
        Assert.Null(key["not_after"]);
        Assert.DoesNotContain(StandardSecret, raw, StringComparison.Ordinal);
        Assert.Null(created["secret"]);
        Assert.Equal(created.ToJsonString(), read.ToJsonString());
        Assert.Equal(1, (int)list["pagination"]!["total"]!);
        Assert.Equal(id, (string?)list["data"]![0]!["id"]);
    }

    [Fact]
    public async Task Create_GenerateSecret_ShowsItOnce()
    {
        var (tenant, client) = await TenantAsync();

        var created = await Json(await client.PostAsJsonAsync(Path(tenant), new { name = "generic", scheme = "hmac", generate_secret = true,
            settings = new { hmac = new { signature_header = "X-Signature", prefix = "sha256=" }, event_id_header = "X-Event-Id" } }), HttpStatusCode.Created);
        var read = await Json(await client.GetAsync($"{Path(tenant)}/{(string)created["id"]!}"), HttpStatusCode.OK);

        var secret = (string?)created["secret"];
        Assert.Matches("^[0-9a-f]{64}$", secret);
        Assert.Null(read["secret"]);
        Assert.DoesNotContain(secret!, read.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(("X-Signature", "sha256", "hex", "sha256="), ((string?)read["settings"]!["hmac"]!["signature_header"], (string?)read["settings"]!["hmac"]!["algorithm"],
            (string?)read["settings"]!["hmac"]!["encoding"], (string?)read["settings"]!["hmac"]!["prefix"]));
    }

    [Fact]
    public async Task AddSecret_WithAnOverlap_KeepsThePreviousKeyUntilItsEnd()
    {
        var (tenant, client) = await TenantAsync();
        var created = await CreateStandardAsync(client, tenant);
        var id = (string)created["id"]!;
        var previous = (string)created["keys"]![0]!["id"]!;
        var before = TimeProvider.System.GetUtcNow();

        var rolled = await Json(await client.PostAsJsonAsync($"{Path(tenant)}/{id}/secrets", new { generate_secret = true, expire_previous_in_seconds = 3600 }),
            HttpStatusCode.Created);

        var keys = rolled["keys"]!.AsArray();
        Assert.Equal(2, keys.Count);
        Assert.Null(keys[0]!["not_after"]);
        Assert.Equal(previous, (string?)keys[1]!["id"]);
        var notAfter = DateTimeOffset.Parse((string)keys[1]!["not_after"]!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(notAfter, before.AddSeconds(3600), TimeProvider.System.GetUtcNow().AddSeconds(3600));
        Assert.StartsWith("whsec_", (string?)rolled["secret"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Patch_ChangesNameDescriptionEnabledAndSettings_NotSchemeNorSecrets()
    {
        var (tenant, client) = await TenantAsync();
        var id = (string)(await CreateStandardAsync(client, tenant))["id"]!;
        var item = $"{Path(tenant)}/{id}";

        var patched = await Json(await client.PatchAsJsonAsync(item, new { name = "svix-2", description = "orders", enabled = false, settings = new { tolerance_seconds = 600 } }),
            HttpStatusCode.OK);
        await Problem(await client.PatchAsJsonAsync(item, new { scheme = "github" }), HttpStatusCode.BadRequest, WebhookErrors.SchemeImmutable);
        await Problem(await client.PatchAsJsonAsync(item, new { secret = StandardSecret }), HttpStatusCode.BadRequest, "invalid-webhook-source-patch");
        await Problem(await client.PatchAsJsonAsync(item, new { settings = new { tolerance_seconds = 0 } }), HttpStatusCode.BadRequest, WebhookErrors.InvalidSettings);
        var read = await Json(await client.GetAsync(item), HttpStatusCode.OK);

        Assert.Equal(("svix-2", "orders", false, 600), ((string?)patched["name"], (string?)patched["description"], (bool)patched["enabled"]!, (int)patched["settings"]!["tolerance_seconds"]!));
        Assert.Equal(patched.ToJsonString(), read.ToJsonString());
    }

    [Fact]
    public async Task Delete_RemovesTheSourceAndItsSecrets()
    {
        var (tenant, client) = await TenantAsync();
        var id = (string)(await CreateStandardAsync(client, tenant))["id"]!;

        var deleted = await Json(await client.DeleteAsync($"{Path(tenant)}/{id}"), HttpStatusCode.OK);

        Assert.Equal(id, (string?)deleted["id"]);
        await Problem(await client.GetAsync($"{Path(tenant)}/{id}"), HttpStatusCode.NotFound, "not-found");
        Assert.Empty(await WebhookSecretsAsync(client, tenant));
    }

    public static TheoryData<string, string, string> BadInputs => new()
    {
        { """{"name":"x","scheme":"paypal","secret":"s"}""", WebhookErrors.UnknownScheme, "scheme" },
        { """{"name":"x","scheme":"hmac","secret":"s"}""", WebhookErrors.HmacSettingsRequired, "settings.hmac" },
        { $$"""{"name":"{{new string('n', 129)}}","scheme":"github","secret":"s"}""", "invalid-name", "name" },
        { """{"name":"x","scheme":"standard","secret":"sk_live_notawhsecsecret"}""", WebhookErrors.InvalidSecret, "secret" },
        { """{"name":"x","scheme":"discord","secret":"sk_live_notahexkey"}""", WebhookErrors.InvalidSecret, "secret" },
        { """{"name":"x","scheme":"stripe"}""", WebhookErrors.SecretRequired, "secret" },
        { """{"name":"x","scheme":"stripe","generate_secret":true}""", WebhookErrors.SecretGenerationUnsupported, "generate_secret" },
        { """{"name":"x","scheme":"github","secret":"s","settings":{"event_id_header":"X-Id"}}""", WebhookErrors.InvalidSettings, "settings.event_id_header" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task Create_BadInput_Returns400AndWritesNothing(string body, string code, string field)
    {
        var (tenant, client) = await TenantAsync();

        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        var response = await client.PostAsync(Path(tenant), content);
        var raw = await response.Content.ReadAsStringAsync();
        var problem = await Problem(response, HttpStatusCode.BadRequest, code);

        Assert.Equal(field, (string?)problem["field"]);
        Assert.DoesNotContain("sk_live_", raw, StringComparison.Ordinal);
        Assert.Equal(0, (int)(await Json(await client.GetAsync(Path(tenant)), HttpStatusCode.OK))["pagination"]!["total"]!);
        Assert.Empty(await WebhookSecretsAsync(client, tenant));
    }

    [Fact]
    public async Task SigningSecrets_AreHubManaged_TheSecretsApiNeitherRevealsNorChangesThem()
    {
        var (tenant, client) = await TenantAsync();
        var created = await CreateStandardAsync(client, tenant);
        var name = Assert.Single(await WebhookSecretsAsync(client, tenant));
        var path = $"{tenant.Secrets}/{name}";

        var reveal = await client.PostAsync($"{path}/reveal", null);
        var revealBody = await reveal.Content.ReadAsStringAsync();
        await Problem(reveal, HttpStatusCode.Conflict, "secret-managed-by-hub");
        using var put = new HttpRequestMessage(HttpMethod.Put, path) { Content = JsonContent.Create(new { value = "whsec_YXR0YWNrZXJzIG93biBzZWNyZXQ=" }) };
        await Problem(await client.SendAsync(put), HttpStatusCode.Conflict, "secret-managed-by-hub");
        await Problem(await client.DeleteAsync(path), HttpStatusCode.Conflict, "secret-managed-by-hub");
        await Problem(await client.PostAsJsonAsync(tenant.Secrets, new { name = "webhook.planted", value = "x" }), HttpStatusCode.BadRequest, "secret-name-reserved");

        Assert.DoesNotContain(StandardSecret, revealBody, StringComparison.Ordinal);
        var resolved = await fixture.Hub.Services.GetRequiredService<WebhookSourceResolver>().ResolveAsync((string)created["id"]!);
        Assert.Equal(StandardSecret, Assert.Single(resolved!.Keys).Value);
        Assert.Equal([name], await WebhookSecretsAsync(client, tenant));
    }

    [Fact]
    public async Task Stats_CountsThisSourcesDeliveriesByOutcome()
    {
        var (tenant, client) = await TenantAsync();
        var id = (string)(await CreateStandardAsync(client, tenant))["id"]!;
        var other = (string)(await CreateStandardAsync(client, tenant, "other"))["id"]!;
        var key = new CounterKey(tenant.OrganizationId, tenant.ProjectId, id);
        var lastAccepted = TimeProvider.System.GetUtcNow().AddMinutes(-1);
        fixture.Counters.Increment(key, WebhookCounters.Accepted, 7);
        fixture.Counters.Increment(key, WebhookCounters.Duplicate, 2);
        fixture.Counters.Increment(key, WebhookCounters.BadSignature);
        fixture.Counters.Increment(key, WebhookCounters.Stale, 3);
        fixture.Counters.Increment(key, WebhookCounters.Oversized);
        fixture.Counters.Increment(key, WebhookCounters.Malformed, 4);
        fixture.Counters.RecordLatest(key, WebhookCounters.LastAccepted, lastAccepted);
        fixture.Counters.Increment(key with { Subject = other }, WebhookCounters.Accepted, 100);

        var stats = await Json(await client.GetAsync($"{Path(tenant)}/{id}/stats"), HttpStatusCode.OK);
        var since = TimeProvider.System.GetUtcNow().AddDays(-8).ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        await Problem(await client.GetAsync($"{Path(tenant)}/{id}/stats?since={Uri.EscapeDataString(since)}"), HttpStatusCode.BadRequest, "webhook-stats-range-too-wide");
        await Problem(await client.GetAsync($"{Path(tenant)}/{id}/stats?since=yesterday"), HttpStatusCode.BadRequest, "invalid-query");

        Assert.Equal((7, 2, 1, 3, 1, 4), ((int)stats["accepted"]!, (int)stats["duplicate"]!, (int)stats["bad_signature"]!, (int)stats["stale"]!, (int)stats["oversized"]!,
            (int)stats["malformed"]!));
        Assert.Equal(lastAccepted.ToUnixTimeMilliseconds(),
            DateTimeOffset.Parse((string)stats["last_accepted_at"]!, System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds());
        Assert.Equal(id, (string?)stats["source_id"]);
    }

    private async Task<(Tenant Tenant, HttpClient Client)> TenantAsync()
    {
        var tenant = await Hub.CreateTenantAsync();
        return (tenant, Hub.Client(tenant.OwnerKey));
    }

    private static async Task<List<string>> WebhookSecretsAsync(HttpClient client, Tenant tenant)
    {
        var listed = await Json(await client.GetAsync($"{tenant.Secrets}?per_page=100"), HttpStatusCode.OK);
        return listed["data"]!.AsArray().Select(s => (string)s!["name"]!).Where(n => n.StartsWith("webhook.", StringComparison.Ordinal)).ToList();
    }
}
