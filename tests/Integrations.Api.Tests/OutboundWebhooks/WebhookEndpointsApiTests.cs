using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Integrations.Core.OutboundWebhooks;
using static Integrations.Api.Tests.HubFixture;
using static Integrations.Api.Tests.OutboundWebhooks.EndpointHubFixture;

namespace Integrations.Api.Tests.OutboundWebhooks;

/// <summary>What a user relies on when they register an endpoint: its settings, its signing secret (shown only by an audited reveal), rotating it, and the limits.</summary>
public sealed class WebhookEndpointsApiTests(EndpointHubFixture fixture) : IClassFixture<EndpointHubFixture>
{
    private HubFixture Hub => fixture.Hub;

    [Fact]
    public async Task Create_AnswersWithDefaultsAndOneKey_NeverTheSecret()
    {
        var (tenant, client) = await TenantAsync();

        var response = await client.PostAsJsonAsync(Path(tenant), new { url = "https://receiver.example.com/hooks", description = "orders" });
        var raw = await response.Content.ReadAsStringAsync();
        var created = await Json(response, HttpStatusCode.Created);
        var id = (string)created["id"]!;
        var read = await Json(await client.GetAsync($"{Path(tenant)}/{id}"), HttpStatusCode.OK);
        var list = await Json(await client.GetAsync(Path(tenant)), HttpStatusCode.OK);

        Assert.StartsWith("wep_", id, StringComparison.Ordinal);
        Assert.Equal(("https://receiver.example.com/hooks", "orders", true, 15000), ((string?)created["url"], (string?)created["description"], (bool)created["enabled"]!,
            (int)created["timeout_ms"]!));
        Assert.Empty(created["event_types"]!.AsArray());
        Assert.Null(created["retry"]);
        Assert.Null(created["rate_limit_per_second"]);
        var key = Assert.Single(created["keys"]!.AsArray())!;
        Assert.Equal("k1", (string?)key["id"]);
        Assert.Null(key["not_after"]);
        Assert.DoesNotContain("whsec_", raw, StringComparison.Ordinal);
        Assert.Equal(created.ToJsonString(), read.ToJsonString());
        Assert.Equal(1, (int)list["pagination"]!["total"]!);
        Assert.Equal(id, (string?)list["data"]![0]!["id"]);
    }

    [Fact]
    public async Task Patch_IsAMergePatch_ValidatedWhole()
    {
        var (tenant, client) = await TenantAsync();
        var created = await Json(await client.PostAsJsonAsync(Path(tenant), new
        {
            url = "https://receiver.example.com/hooks",
            event_types = new[] { "invoice.*" },
            headers = new Dictionary<string, string> { ["X-Tenant"] = "acme", ["X-Env"] = "prod" },
        }), HttpStatusCode.Created);
        var item = $"{Path(tenant)}/{(string)created["id"]!}";

        var patched = await Json(await client.PatchAsJsonAsync(item, new
        {
            headers = new Dictionary<string, string?> { ["X-Env"] = null, ["X-Region"] = "eu" },
            timeout_ms = 20000,
            rate_limit_per_second = 5,
            retry = new { strategy = "exponential_backoff", max_attempts = 4 },
            event_types = new[] { "invoice.paid", "order.*" },
        }), HttpStatusCode.OK);
        using var unlimit = new StringContent("""{"rate_limit_per_second":null,"retry":null}""", System.Text.Encoding.UTF8, "application/merge-patch+json");
        var cleared = await Json(await client.PatchAsync(item, unlimit), HttpStatusCode.OK);
        await Problem(await client.PatchAsJsonAsync(item, new { secret = "whsec_x" }), HttpStatusCode.BadRequest, "invalid-webhook-endpoint-patch");
        var badUrl = await Problem(await client.PatchAsJsonAsync(item, new { url = "ftp://example.com/" }), HttpStatusCode.BadRequest, WebhookEndpointErrors.InvalidUrl);
        var read = await Json(await client.GetAsync(item), HttpStatusCode.OK);

        Assert.Equal("""{"X-Tenant":"acme","X-Region":"eu"}""", patched["headers"]!.ToJsonString());
        Assert.Equal((20000, 5, "exponential_backoff", 4), ((int)patched["timeout_ms"]!, (int)patched["rate_limit_per_second"]!, (string?)patched["retry"]!["strategy"],
            (int)patched["retry"]!["max_attempts"]!));
        Assert.Equal("""["invoice.paid","order.*"]""", patched["event_types"]!.ToJsonString());
        Assert.Null(cleared["rate_limit_per_second"]);
        Assert.Null(cleared["retry"]);
        Assert.Equal("url", (string?)badUrl["field"]);
        Assert.Equal(cleared.ToJsonString(), read.ToJsonString());
    }

    [Fact]
    public async Task Patch_EnabledFalse_DisablesAndTrueEnables()
    {
        var (tenant, client) = await TenantAsync();
        var item = $"{Path(tenant)}/{(string)(await CreateAsync(client, tenant))["id"]!}";

        var disabled = await Json(await client.PatchAsJsonAsync(item, new { enabled = false }), HttpStatusCode.OK);
        var enabled = await Json(await client.PatchAsJsonAsync(item, new { enabled = true }), HttpStatusCode.OK);

        Assert.False((bool)disabled["enabled"]!);
        Assert.True((bool)enabled["enabled"]!);
    }

    public static TheoryData<string, string, string> BadInputs => new()
    {
        { """{"description":"no url"}""", "missing-field", "url" },
        { """{"url":"/relative"}""", WebhookEndpointErrors.InvalidUrl, "url" },
        { """{"url":"https://user:pass@example.com/"}""", WebhookEndpointErrors.InvalidUrl, "url" },
        { """{"url":"https://example.com/#frag"}""", WebhookEndpointErrors.InvalidUrl, "url" },
        { $$"""{"url":"https://example.com/{{new string('a', 2040)}}"}""", WebhookEndpointErrors.InvalidUrl, "url" },
        { """{"url":"https://example.com/","event_types":["invoice.*.paid"]}""", WebhookEndpointErrors.InvalidEventTypes, "event_types[0]" },
        { """{"url":"https://example.com/","event_types":["ok","bad type"]}""", WebhookEndpointErrors.InvalidEventTypes, "event_types[1]" },
        { """{"url":"https://example.com/","headers":{"webhook-signature":"v1,forged"}}""", WebhookEndpointErrors.InvalidHeaders, "headers.webhook-signature" },
        { """{"url":"https://example.com/","headers":{"Authorization":"Bearer sk_live_x"}}""", WebhookEndpointErrors.InvalidHeaders, "headers.Authorization" },
        { """{"url":"https://example.com/","headers":{"X-Split":"a\r\nHost: evil"}}""", WebhookEndpointErrors.InvalidHeaders, "headers.X-Split" },
        { """{"url":"https://example.com/","rate_limit_per_second":0}""", WebhookEndpointErrors.InvalidRateLimit, "rate_limit_per_second" },
        { """{"url":"https://example.com/","timeout_ms":999}""", WebhookEndpointErrors.InvalidTimeout, "timeout_ms" },
        { """{"url":"https://example.com/","retry":{"strategy":"forever"}}""", WebhookEndpointErrors.InvalidRetry, "retry.strategy" },
        { """{"url":"https://example.com/","retry":{"strategy":"linear_1s","max_attempts":21}}""", WebhookEndpointErrors.InvalidRetry, "retry.max_attempts" },
        { $$"""{"url":"https://example.com/","description":"{{new string('d', 501)}}"}""", WebhookEndpointErrors.InvalidDescription, "description" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task Create_BadInput_Returns400NamingTheField_AndWritesNothing(string body, string code, string field)
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
    public async Task Create_PastTheQuota_Returns409()
    {
        var (tenant, client) = await TenantAsync();
        for (var i = 0; i < MaxEndpoints; i++)
        {
            await CreateAsync(client, tenant);
        }

        await Problem(await client.PostAsJsonAsync(Path(tenant), new { url = "https://one-more.example.com/" }), HttpStatusCode.Conflict,
            WebhookEndpointErrors.QuotaExceeded);

        Assert.Equal(MaxEndpoints, (int)(await Json(await client.GetAsync(Path(tenant)), HttpStatusCode.OK))["pagination"]!["total"]!);
        Assert.Equal(MaxEndpoints, (await WebhookSecretsAsync(client, tenant)).Count);
    }

    [Fact]
    public async Task Rotate_ThenReveal_ShowsBothKeysNewestFirst_TheOldOneWithItsEnd()
    {
        var (tenant, client) = await TenantAsync();
        var item = $"{Path(tenant)}/{(string)(await CreateAsync(client, tenant))["id"]!}";
        var first = Assert.Single((await Json(await client.PostAsync($"{item}/secret/reveal", null), HttpStatusCode.OK))["keys"]!.AsArray())!;
        var before = TimeProvider.System.GetUtcNow();

        var rotated = await Json(await client.PostAsync($"{item}/secret/rotate", null), HttpStatusCode.OK);
        var revealed = (await Json(await client.PostAsync($"{item}/secret/reveal", null), HttpStatusCode.OK))["keys"]!.AsArray();

        var secret = (string)first["secret"]!;
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        Assert.Equal(32, Convert.FromBase64String(secret["whsec_".Length..]).Length);
        Assert.Null(first["not_after"]);
        Assert.Equal(["k2", "k1"], rotated["keys"]!.AsArray().Select(k => (string)k!["id"]!));
        Assert.DoesNotContain("whsec_", rotated.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(["k2", "k1"], revealed.Select(k => (string)k!["key_id"]!));
        Assert.Equal(secret, (string?)revealed[1]!["secret"]);
        Assert.NotEqual(secret, (string?)revealed[0]!["secret"]);
        Assert.Null(revealed[0]!["not_after"]);
        var notAfter = DateTimeOffset.Parse((string)revealed[1]!["not_after"]!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(notAfter, before.AddHours(24), TimeProvider.System.GetUtcNow().AddHours(24));
    }

    [Fact]
    public async Task Reveal_NeedsSecretsRevealBesidesWebhooksRead()
    {
        var (tenant, client) = await TenantAsync();
        var item = $"{Path(tenant)}/{(string)(await CreateAsync(client, tenant))["id"]!}";
        using var webhooksOnly = await KeyAsync(client, tenant, "webhooks:read", "webhooks:write");
        using var revealOnly = await KeyAsync(client, tenant, "secrets:reveal", "secrets:read");
        using var both = await KeyAsync(client, tenant, "webhooks:read", "secrets:reveal");

        var refused = await webhooksOnly.PostAsync($"{item}/secret/reveal", null);
        var refusedBody = await refused.Content.ReadAsStringAsync();
        await Problem(refused, HttpStatusCode.Forbidden, "missing-scope");
        await Problem(await revealOnly.PostAsync($"{item}/secret/reveal", null), HttpStatusCode.Forbidden, "missing-scope");
        var allowed = await Json(await both.PostAsync($"{item}/secret/reveal", null), HttpStatusCode.OK);

        Assert.DoesNotContain("whsec_", refusedBody, StringComparison.Ordinal);
        Assert.StartsWith("whsec_", (string?)allowed["keys"]![0]!["secret"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task SigningSecrets_AreHubManaged_TheSecretsApiCannotRevealThem()
    {
        var (tenant, client) = await TenantAsync();
        await CreateAsync(client, tenant);
        var name = Assert.Single(await WebhookSecretsAsync(client, tenant));

        var reveal = await client.PostAsync($"{tenant.Secrets}/{name}/reveal", null);
        var body = await reveal.Content.ReadAsStringAsync();

        await Problem(reveal, HttpStatusCode.Conflict, "secret-managed-by-hub");
        Assert.DoesNotContain("whsec_", body, StringComparison.Ordinal);
        Assert.Matches("^webhook\\.wep_[a-z2-7]{20}\\.k1$", name);
    }

    [Fact]
    public async Task Delete_RemovesTheEndpointAndItsSecrets()
    {
        var (tenant, client) = await TenantAsync();
        var item = $"{Path(tenant)}/{(string)(await CreateAsync(client, tenant))["id"]!}";
        await Json(await client.PostAsync($"{item}/secret/rotate", null), HttpStatusCode.OK);

        var deleted = await Json(await client.DeleteAsync(item), HttpStatusCode.OK);

        Assert.Equal("https://receiver.example.com/hooks", (string?)deleted["url"]);
        await Problem(await client.GetAsync(item), HttpStatusCode.NotFound, "not-found");
        Assert.Empty(await WebhookSecretsAsync(client, tenant));
    }

    [Fact]
    public async Task EveryWriteAndReveal_IsAudited_WithNoSecretInTheRecord()
    {
        var (tenant, client) = await TenantAsync();
        var id = (string)(await CreateAsync(client, tenant))["id"]!;
        var item = $"{Path(tenant)}/{id}";
        await Json(await client.PatchAsJsonAsync(item, new { description = "audited" }), HttpStatusCode.OK);
        await Json(await client.PostAsync($"{item}/secret/rotate", null), HttpStatusCode.OK);
        var secrets = (await Json(await client.PostAsync($"{item}/secret/reveal", null), HttpStatusCode.OK))["keys"]!.AsArray().Select(k => (string)k!["secret"]!).ToList();
        await Json(await client.DeleteAsync(item), HttpStatusCode.OK);

        var log = await Json(await client.GetAsync($"/v1/projects/{tenant.ProjectId}/audit?per_page=100"), HttpStatusCode.OK);
        var records = log["data"]!.AsArray().Select(r => r!).ToList();

        foreach (var action in new[] { "webhook_endpoint.create", "webhook_endpoint.patch", "webhook_endpoint.secret_rotate", "webhook_endpoint.secret_reveal", "webhook_endpoint.delete" })
        {
            var record = Assert.Single(records, r => (string?)r["action"] == action && (string?)r["outcome"] == "success");
            Assert.Equal($"webhook-endpoint/{id}", (string?)record["target"]);
        }

        var text = log.ToJsonString();
        Assert.Equal(2, secrets.Count);
        Assert.All(secrets, s => Assert.DoesNotContain(s, text, StringComparison.Ordinal));
        Assert.DoesNotContain("whsec_", text, StringComparison.Ordinal);
    }

    private async Task<(Tenant Tenant, HttpClient Client)> TenantAsync()
    {
        var tenant = await Hub.CreateTenantAsync();
        return (tenant, Hub.Client(tenant.OwnerKey));
    }

    private async Task<HttpClient> KeyAsync(HttpClient owner, Tenant tenant, params string[] scopes)
    {
        var key = await Json(await owner.PostAsJsonAsync($"/v1/orgs/{tenant.OrganizationId}/api-keys", new { name = "limited", scopes }), HttpStatusCode.Created);
        return Hub.Client((string)key["key"]!);
    }

    internal static async Task<List<string>> WebhookSecretsAsync(HttpClient client, Tenant tenant)
    {
        var listed = await Json(await client.GetAsync($"{tenant.Secrets}?per_page=100"), HttpStatusCode.OK);
        return listed["data"]!.AsArray().Select(s => (string)s!["name"]!).Where(n => n.StartsWith("webhook.", StringComparison.Ordinal)).ToList();
    }
}
