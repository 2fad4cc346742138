using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Integrations.Core.Audit;
using Integrations.Core.Common;
using Integrations.Core.Connections;
using Integrations.Testing;
using Microsoft.Extensions.DependencyInjection;
using static Integrations.Api.Tests.HubFixture;

namespace Integrations.Api.Tests.Connections;

public sealed class ConnectionsApiTests(HubFixture hub) : IClassFixture<HubFixture>
{
    private const string ApiKeyValue = "sk_live_api_key_value_1";
    private const string TokenValue = "bearer-token-value-2";
    private const string UsernameValue = "basic-user";
    private const string PasswordValue = "basic-password-value-3";

    [Fact]
    public async Task Create_EachStaticType_ReturnsNamesNeverValues_AndResolvesTheCredential()
    {
        var tenant = await hub.CreateTenantAsync();
        using var client = hub.Client(tenant.OwnerKey);
        await SecretsAsync(client, tenant);

        var header = await Json(await client.PostAsJsonAsync(Path(tenant), new
        {
            name = "stripe", type = "api_key", secret_refs = new Dictionary<string, string> { ["api_key"] = "stripe-key" },
            api_key = new { @in = "header", name = "X-Api-Key" }, base_url = "https://api.stripe.com/v1",
        }), HttpStatusCode.Created);
        var query = await Json(await client.PostAsJsonAsync(Path(tenant), new
        {
            name = "maps", type = "api_key", secret_refs = new Dictionary<string, string> { ["api_key"] = "stripe-key" }, api_key = new { @in = "query", name = "key" },
        }), HttpStatusCode.Created);
        var bearer = await Json(await client.PostAsJsonAsync(Path(tenant), new
        {
            name = "github", type = "bearer", secret_refs = new Dictionary<string, string> { ["token"] = "gh-token" },
        }), HttpStatusCode.Created);
        var basic = await Json(await client.PostAsJsonAsync(Path(tenant), new
        {
            name = "jira", type = "basic", secret_refs = new Dictionary<string, string> { ["username"] = "jira-user", ["password"] = "jira-password" },
        }), HttpStatusCode.Created);

        Assert.All([header, query, bearer, basic], c => Assert.Equal("active", (string?)c["status"]));
        Assert.StartsWith("con_", (string?)header["id"], StringComparison.Ordinal);
        Assert.Equal(("stripe-key", "header", "X-Api-Key", 8.0, 2), ((string?)header["secret_refs"]!["api_key"], (string?)header["api_key"]!["in"],
            (string?)header["api_key"]!["name"], (double)header["timeout_seconds"]!, (int)header["retries"]!));
        Assert.Equal(("jira-user", "jira-password"), ((string?)basic["secret_refs"]!["username"], (string?)basic["secret_refs"]!["password"]));
        AssertNoValues(string.Join("\n", header, query, bearer, basic));

        var resolved = await Task.WhenAll(new[] { header, query, bearer, basic }.Select(ResolveAsync(tenant)));
        Assert.Equal(new InjectedCredential(CredentialTarget.Header, "X-Api-Key", ApiKeyValue), resolved[0]);
        Assert.Equal(new InjectedCredential(CredentialTarget.Query, "key", ApiKeyValue), resolved[1]);
        Assert.Equal(new InjectedCredential(CredentialTarget.Header, "Authorization", "Bearer " + TokenValue), resolved[2]);
        Assert.Equal(new InjectedCredential(CredentialTarget.Header, "Authorization",
            "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{UsernameValue}:{PasswordValue}"))), resolved[3]);
    }

    [Fact]
    public async Task GetPatchDelete_RoundTrip_KeepsWhatIsNotPatched()
    {
        var tenant = await hub.CreateTenantAsync();
        using var client = hub.Client(tenant.OwnerKey);
        await SecretsAsync(client, tenant);
        var created = await CreateApiKeyConnectionAsync(client, tenant, "crm", new Dictionary<string, string> { ["X-Tenant"] = "acme", ["X-Trace"] = "on" });
        var item = $"{Path(tenant)}/{(string)created["id"]!}";

        var read = await Json(await client.GetAsync(item), HttpStatusCode.OK);
        var patched = await Json(await client.PatchAsJsonAsync(item, new JsonObject
        {
            ["description"] = "CRM (live)",
            ["default_headers"] = new JsonObject { ["X-Trace"] = null, ["X-Region"] = "eu" },
            ["timeout_seconds"] = 20,
            ["policy"] = new JsonArray(new JsonObject { ["effect"] = "deny", ["methods"] = new JsonArray("DELETE"), ["path"] = "/admin/**" }),
            ["end_user"] = new JsonObject { ["id"] = "user-7" },
        }), HttpStatusCode.OK);
        var reset = await Json(await client.PatchAsJsonAsync(item, new JsonObject { ["timeout_seconds"] = null, ["description"] = null }), HttpStatusCode.OK);
        var deleted = await Json(await client.DeleteAsync(item), HttpStatusCode.OK);

        Assert.Equal((string?)created["id"], (string?)read["id"]);
        Assert.Equal("CRM (live)", (string?)patched["description"]);
        Assert.Equal(["X-Region", "X-Tenant"], patched["default_headers"]!.AsObject().Select(h => h.Key).Order(StringComparer.Ordinal));
        Assert.Equal((20.0, "user-7", "stripe-key"), ((double)patched["timeout_seconds"]!, (string?)patched["end_user"]!["id"], (string?)patched["secret_refs"]!["api_key"]));
        Assert.Equal("/admin/**", (string?)patched["policy"]![0]!["path"]);
        Assert.Equal(8.0, (double)reset["timeout_seconds"]!);
        Assert.Null(reset["description"]);
        Assert.Equal(("not_applicable", "crm"), ((string?)deleted["revocation"], (string?)deleted["name"]));
        await Problem(await client.GetAsync(item), HttpStatusCode.NotFound, CommonErrors.NotFound);
        // The name is free again.
        await CreateApiKeyConnectionAsync(client, tenant, "crm");
    }

    [Fact]
    public async Task List_ByEndUser_ReturnsOnlyTheirConnections_WithTotals()
    {
        var tenant = await hub.CreateTenantAsync();
        using var client = hub.Client(tenant.OwnerKey);
        await SecretsAsync(client, tenant);
        foreach (var (name, user) in new[] { ("a1", "alice"), ("a2", "alice"), ("b1", "bob"), ("none", null) })
        {
            await Json(await client.PostAsJsonAsync(Path(tenant), new
            {
                name, type = "bearer", secret_refs = new Dictionary<string, string> { ["token"] = "gh-token" },
                end_user = user is null ? null : new { id = user, display_name = user.ToUpperInvariant() },
            }), HttpStatusCode.Created);
        }

        var all = await Json(await client.GetAsync(Path(tenant)), HttpStatusCode.OK);
        var alice = await Json(await client.GetAsync($"{Path(tenant)}?end_user_id=alice&per_page=1"), HttpStatusCode.OK);
        var alicePage2 = await Json(await client.GetAsync($"{Path(tenant)}?end_user_id=alice&per_page=1&page=2"), HttpStatusCode.OK);
        var nobody = await Json(await client.GetAsync($"{Path(tenant)}?end_user_id=carol"), HttpStatusCode.OK);

        Assert.Equal(4, (int)all["pagination"]!["total"]!);
        Assert.Equal((2, 2), ((int)alice["pagination"]!["total"]!, (int)alice["pagination"]!["total_pages"]!));
        var aliceNames = new[] { alice, alicePage2 }.Select(p => (string)Assert.Single(p["data"]!.AsArray())!["name"]!).Order(StringComparer.Ordinal);
        Assert.Equal(["a1", "a2"], aliceNames);
        Assert.Equal("ALICE", (string?)alice["data"]![0]!["end_user"]!["display_name"]);
        Assert.Empty(nobody["data"]!.AsArray());
        await Problem(await client.GetAsync($"{Path(tenant)}?end_user_id=%20padded"), HttpStatusCode.BadRequest, ConnectionErrors.InvalidEndUser);
    }

    [Fact]
    public async Task Create_DuplicateName_Returns409_AndARenameOntoATakenNameToo()
    {
        var tenant = await hub.CreateTenantAsync();
        using var client = hub.Client(tenant.OwnerKey);
        await SecretsAsync(client, tenant);
        await CreateApiKeyConnectionAsync(client, tenant, "taken");
        var other = await CreateApiKeyConnectionAsync(client, tenant, "other");
        var otherItem = $"{Path(tenant)}/{(string)other["id"]!}";

        await Problem(await client.PostAsJsonAsync(Path(tenant), new { name = "taken", type = "bearer", secret_refs = new Dictionary<string, string> { ["token"] = "gh-token" } }),
            HttpStatusCode.Conflict, ConnectionErrors.ConnectionExists);
        await Problem(await client.PatchAsJsonAsync(otherItem, new { name = "taken" }), HttpStatusCode.Conflict, ConnectionErrors.ConnectionExists);
        var renamed = await Json(await client.PatchAsJsonAsync(otherItem, new { name = "renamed" }), HttpStatusCode.OK);
        // The old name was released by the rename.
        await CreateApiKeyConnectionAsync(client, tenant, "other");

        Assert.Equal("renamed", (string?)renamed["name"]);
        var list = await Json(await client.GetAsync(Path(tenant)), HttpStatusCode.OK);
        Assert.Equal(["other", "renamed", "taken"], list["data"]!.AsArray().Select(c => (string)c!["name"]!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Create_ReferencesThatDoNotExist_Return400NamingTheFieldAndWriteNothing()
    {
        var tenant = await hub.CreateTenantAsync();
        using var client = hub.Client(tenant.OwnerKey);
        await SecretsAsync(client, tenant);
        await Json(await client.PostAsJsonAsync(tenant.Secrets, new { name = "deleted-secret", value = "v" }), HttpStatusCode.Created);
        await client.DeleteAsync($"{tenant.Secrets}/deleted-secret");

        var missing = await Problem(await client.PostAsJsonAsync(Path(tenant), new
        {
            name = "basic", type = "basic", secret_refs = new Dictionary<string, string> { ["username"] = "jira-user", ["password"] = "no-such-secret" },
        }), HttpStatusCode.BadRequest, ConnectionErrors.UnknownSecret);
        var deleted = await Problem(await client.PostAsJsonAsync(Path(tenant), new
        {
            name = "bearer", type = "bearer", secret_refs = new Dictionary<string, string> { ["token"] = "deleted-secret" },
        }), HttpStatusCode.BadRequest, ConnectionErrors.UnknownSecret);
        var noProvider = await Problem(await client.PostAsJsonAsync(Path(tenant), new { name = "google", type = "oauth2_3leg" }),
            HttpStatusCode.BadRequest, CommonErrors.MissingField);
        var unknownProvider = await Problem(await client.PostAsJsonAsync(Path(tenant), new { name = "google", type = "oauth2_authorization_code", provider_id = "prv_aaaaaaaaaaaaaaaaaaaa" }),
            HttpStatusCode.BadRequest, ConnectionErrors.UnknownProvider);

        Assert.Equal("secret_refs.password", (string?)missing["field"]);
        Assert.Equal("secret_refs.token", (string?)deleted["field"]);
        Assert.Equal("provider_id", (string?)noProvider["field"]);
        Assert.Equal("provider_id", (string?)unknownProvider["field"]);
        await AssertNothingWrittenAsync(client, tenant);
    }

    [Fact]
    public async Task Create_MalformedOrOversizedBodies_AreRefusedAndWriteNothing()
    {
        var tenant = await hub.CreateTenantAsync();
        using var client = hub.Client(tenant.OwnerKey);
        await SecretsAsync(client, tenant);

        await Problem(await PostRawAsync(client, Path(tenant), "{\"name\": \"x\", "), HttpStatusCode.BadRequest, "malformed-json");
        await Problem(await PostRawAsync(client, Path(tenant), "[1, 2]"), HttpStatusCode.BadRequest, "malformed-json");
        var wrongType = await Problem(await PostRawAsync(client, Path(tenant), "{\"name\": \"x\", \"type\": \"bearer\", \"retries\": \"two\"}"),
            HttpStatusCode.BadRequest, "malformed-json");
        await Problem(await PostRawAsync(client, Path(tenant), "{\"name\": \"x\", \"type\": \"api_key\", \"description\": \"" + new string('d', 600_000) + "\"}"),
            HttpStatusCode.RequestEntityTooLarge, "body-too-large");
        var longDescription = await Problem(await client.PostAsJsonAsync(Path(tenant), new
        {
            name = "x", type = "bearer", description = new string('d', 5000), secret_refs = new Dictionary<string, string> { ["token"] = "gh-token" },
        }), HttpStatusCode.BadRequest, ConnectionErrors.InvalidDescription);
        var manyHeaders = await Problem(await client.PostAsJsonAsync(Path(tenant), new
        {
            name = "x", type = "bearer", secret_refs = new Dictionary<string, string> { ["token"] = "gh-token" },
            default_headers = Enumerable.Range(0, 30).ToDictionary(i => $"X-H{i}", _ => "v"),
        }), HttpStatusCode.BadRequest, ConnectionErrors.InvalidDefaultHeaders);
        var injected = await Problem(await client.PostAsJsonAsync(Path(tenant), new
        {
            name = "x", type = "bearer", secret_refs = new Dictionary<string, string> { ["token"] = "gh-token" },
            default_headers = new Dictionary<string, string> { ["Authorization"] = "Bearer stolen" },
        }), HttpStatusCode.BadRequest, ConnectionErrors.InvalidDefaultHeaders);

        Assert.Equal("retries", (string?)wrongType["field"]);
        Assert.Equal("description", (string?)longDescription["field"]);
        Assert.Equal("default_headers", (string?)manyHeaders["field"]);
        Assert.Equal("default_headers.Authorization", (string?)injected["field"]);
        await AssertNothingWrittenAsync(client, tenant);
    }

    [Fact]
    public async Task Patch_TypeChangeOrUnknownMember_IsRefused_AndChangesNothing()
    {
        var tenant = await hub.CreateTenantAsync();
        using var client = hub.Client(tenant.OwnerKey);
        await SecretsAsync(client, tenant);
        var created = await CreateApiKeyConnectionAsync(client, tenant, "fixed");
        var item = $"{Path(tenant)}/{(string)created["id"]!}";

        await Problem(await client.PatchAsJsonAsync(item, new { type = "bearer" }), HttpStatusCode.BadRequest, ConnectionErrors.TypeImmutable);
        await Problem(await client.PatchAsJsonAsync(item, new { status = "active" }), HttpStatusCode.BadRequest, "invalid-connection-patch");
        await Problem(await client.PatchAsJsonAsync(item, new { secret_refs = new Dictionary<string, string> { ["api_key"] = "missing" } }),
            HttpStatusCode.BadRequest, ConnectionErrors.UnknownSecret);
        await Problem(await client.PatchAsJsonAsync(item, new { retries = "many" }), HttpStatusCode.BadRequest, "malformed-json");

        var read = await Json(await client.GetAsync(item), HttpStatusCode.OK);
        Assert.Equal(created.ToJsonString(), read.ToJsonString());
    }

    [Fact]
    public async Task Patch_Enabled_MovesTheStatusAndWritesEvents()
    {
        var tenant = await hub.CreateTenantAsync();
        using var client = hub.Client(tenant.OwnerKey);
        await SecretsAsync(client, tenant);
        var created = await CreateApiKeyConnectionAsync(client, tenant, "toggle");
        var item = $"{Path(tenant)}/{(string)created["id"]!}";

        var disabled = await Json(await client.PatchAsJsonAsync(item, new { enabled = false }), HttpStatusCode.OK);
        var status = await Json(await client.GetAsync(item + "/status"), HttpStatusCode.OK);
        var enabled = await Json(await client.PatchAsJsonAsync(item, new { enabled = true }), HttpStatusCode.OK);
        var activity = await Json(await client.GetAsync($"/v1/projects/{tenant.ProjectId}/activity"), HttpStatusCode.OK);

        Assert.Equal((false, "disabled"), ((bool)disabled["enabled"]!, (string?)disabled["status"]));
        Assert.Equal(("disabled", false), ((string?)status["status"], (bool)status["enabled"]!));
        Assert.Equal((true, "active"), ((bool)enabled["enabled"]!, (string?)enabled["status"]));
        Assert.Equal(["connection.enabled", "connection.disabled", "connection.created"], activity["data"]!.AsArray().Select(e => (string)e!["type"]!));
    }

    [Fact]
    public async Task EditRacingAStateChange_BothSurvive()
    {
        var tenant = await hub.CreateTenantAsync();
        using var client = hub.Client(tenant.OwnerKey);
        await SecretsAsync(client, tenant);
        var created = await CreateApiKeyConnectionAsync(client, tenant, "raced");
        var id = (string)created["id"]!;
        var store = hub.Services.GetRequiredService<IConnectionStore>();
        var states = hub.Services.GetRequiredService<ConnectionStateChanges>();
        var before = (await store.GetAsync(tenant.OrganizationId, tenant.ProjectId, id))!;

        // An edit lands after the state was read: the state row is untouched, so a write based on that read still succeeds.
        await Json(await client.PatchAsJsonAsync($"{Path(tenant)}/{id}", new { description = "edited first" }), HttpStatusCode.OK);
        var staleStateWrite = await store.TryUpdateStateAsync(tenant.OrganizationId, tenant.ProjectId, id, before.State with { LastError = "from a stale read" });
        // And the two at once, several times: edits and state changes never make each other fail.
        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(async i =>
        {
            var edit = client.PatchAsJsonAsync($"{Path(tenant)}/{id}", new { description = $"edit {i}" });
            var change = states.UpdateStateAsync(tenant.OrganizationId, tenant.ProjectId, id, s => s with { LastUsedAt = DateTimeOffset.UnixEpoch.AddDays(i) });
            await Task.WhenAll(edit, change);
            return ((await edit).StatusCode, (await change).IsSuccess);
        }));
        var moved = await states.ChangeStatusAsync(tenant.OrganizationId, tenant.ProjectId, id, ConnectionStatus.RefreshFailing, "upstream 503", ChangeActor.Job("Test"));

        Assert.Equal(WriteOutcome.Written, staleStateWrite);
        Assert.All(results, r => Assert.Equal((HttpStatusCode.OK, true), r));
        Assert.True(moved.IsSuccess);
        var after = (await store.GetAsync(tenant.OrganizationId, tenant.ProjectId, id))!;
        Assert.StartsWith("edit ", after.Description, StringComparison.Ordinal);
        Assert.Equal((ConnectionStatus.RefreshFailing, "upstream 503", "from a stale read"), (after.State.Status, after.State.StatusReason, after.State.LastError));
        Assert.NotNull(after.State.LastUsedAt);
    }

    [Fact]
    public async Task Status_ReturnsEveryStateField_AndRefusesATransitionOutsideTheMachine()
    {
        var tenant = await hub.CreateTenantAsync();
        using var client = hub.Client(tenant.OwnerKey);
        await SecretsAsync(client, tenant);
        var id = (string)(await CreateApiKeyConnectionAsync(client, tenant, "observed"))["id"]!;
        var states = hub.Services.GetRequiredService<ConnectionStateChanges>();
        var at = new DateTimeOffset(2026, 11, 30, 10, 0, 0, TimeSpan.Zero);
        await states.UpdateStateAsync(tenant.OrganizationId, tenant.ProjectId, id, s => s with
        {
            ExpiresAt = at.AddHours(1), LastRefreshedAt = at, NextRefreshAt = at.AddMinutes(55), LastUsedAt = at.AddMinutes(1), LastTestedAt = at.AddMinutes(2),
            LastError = "HTTP 503 from upstream", GrantedScopes = ["read", "write"], Account = new ConnectedAccount("sub-1", "a@example.com", "Ann"),
        });

        var refused = await states.ChangeStatusAsync(tenant.OrganizationId, tenant.ProjectId, id, ConnectionStatus.Pending, null, ChangeActor.Job("Test"));
        var status = await Json(await client.GetAsync($"{Path(tenant)}/{id}/status"), HttpStatusCode.OK);

        Assert.Equal((ErrorKind.Conflict, ConnectionErrors.InvalidStatusTransition), (refused.Error?.Kind, refused.Error?.Code));
        Assert.Equal((id, "active", true), ((string?)status["id"], (string?)status["status"], (bool)status["enabled"]!));
        Assert.Equal(at.AddHours(1), (DateTimeOffset)status["expires_at"]!);
        Assert.Equal(at, (DateTimeOffset)status["last_refreshed_at"]!);
        Assert.Equal(at.AddMinutes(55), (DateTimeOffset)status["next_refresh_at"]!);
        Assert.Equal(at.AddMinutes(1), (DateTimeOffset)status["last_used_at"]!);
        Assert.Equal(at.AddMinutes(2), (DateTimeOffset)status["last_tested_at"]!);
        Assert.Equal("HTTP 503 from upstream", (string?)status["last_error"]);
        Assert.Equal(["read", "write"], status["granted_scopes"]!.AsArray().Select(s => (string)s!));
        Assert.Equal(("sub-1", "a@example.com", "Ann"), ((string?)status["account"]!["subject"], (string?)status["account"]!["email"], (string?)status["account"]!["name"]));
        var keys = await Json(await client.GetAsync($"/v1/orgs/{tenant.OrganizationId}/api-keys"), HttpStatusCode.OK);
        Assert.Equal((string?)keys["data"]![0]!["id"], (string?)status["authorized_by"]);
    }

    [Fact]
    public async Task NoSecretValue_InAnyResponse_AuditRecordOrStoredRow()
    {
        var tenant = await hub.CreateTenantAsync();
        using var client = hub.Client(tenant.OwnerKey);
        await SecretsAsync(client, tenant);
        var bodies = new List<string>();
        var created = await client.PostAsJsonAsync(Path(tenant), new
        {
            name = "everything", type = "basic", secret_refs = new Dictionary<string, string> { ["username"] = "jira-user", ["password"] = "jira-password" },
            base_url = "https://jira.example.com/rest", description = "no values here",
        });
        bodies.Add(await created.Content.ReadAsStringAsync());
        var id = (string)JsonNode.Parse(bodies[0])!["id"]!;
        foreach (var response in new[]
        {
            await client.GetAsync($"{Path(tenant)}/{id}"), await client.GetAsync(Path(tenant)), await client.GetAsync($"{Path(tenant)}/{id}/status"),
            await client.PatchAsJsonAsync($"{Path(tenant)}/{id}", new { enabled = false }), await client.GetAsync($"/v1/projects/{tenant.ProjectId}/activity"),
            await client.DeleteAsync($"{Path(tenant)}/{id}"),
        })
        {
            Assert.True(response.IsSuccessStatusCode);
            bodies.Add(await response.Content.ReadAsStringAsync());
        }

        var audit = await hub.Services.GetRequiredService<IAuditStore>()
            .QueryAsync(AuditPartition.For(tenant.OrganizationId, tenant.ProjectId), DateTimeOffset.UnixEpoch, DateTimeOffset.MaxValue.AddDays(-1), new PageRequest(1, 100));
        // Every row of every table: the vault's rows hold the values sealed, so no plaintext appears anywhere.
        var rows = await StorageRows.ReadAllAsync(hub.ConnectionString, hub.Prefix);

        AssertNoValues(string.Join("\n", bodies));
        Assert.Contains(audit.Items, r => r.Action == AuditActions.ConnectionStatusChange && r.Outcome == AuditOutcomes.Success);
        AssertNoValues(string.Join("\n", audit.Items.Select(r => r.ToString())));
        Assert.All(new[] { UsernameValue, PasswordValue }, value => Assert.False(StorageRows.Contains(rows, value)));
    }

    internal static string Path(Tenant tenant) => $"/v1/projects/{tenant.ProjectId}/connections";

    internal static async Task SecretsAsync(HttpClient client, Tenant tenant)
    {
        foreach (var (name, value) in new[] { ("stripe-key", ApiKeyValue), ("gh-token", TokenValue), ("jira-user", UsernameValue), ("jira-password", PasswordValue) })
        {
            await Json(await client.PostAsJsonAsync(tenant.Secrets, new { name, value }), HttpStatusCode.Created);
        }
    }

    internal static async Task<JsonNode> CreateApiKeyConnectionAsync(HttpClient client, Tenant tenant, string name, Dictionary<string, string>? headers = null) =>
        await Json(await client.PostAsJsonAsync(Path(tenant), new
        {
            name, type = "api_key", secret_refs = new Dictionary<string, string> { ["api_key"] = "stripe-key" }, base_url = "https://api.example.com/v1",
            default_headers = headers,
        }), HttpStatusCode.Created);

    private Func<JsonNode, Task<InjectedCredential>> ResolveAsync(Tenant tenant) => async created =>
    {
        var connection = await hub.Services.GetRequiredService<IConnectionStore>().GetAsync(tenant.OrganizationId, tenant.ProjectId, (string)created["id"]!);
        var resolved = await hub.Services.GetRequiredService<CredentialResolver>().ResolveAsync(connection!);
        return resolved.Value!;
    };

    private static async Task AssertNothingWrittenAsync(HttpClient client, Tenant tenant)
    {
        var list = await Json(await client.GetAsync(Path(tenant)), HttpStatusCode.OK);
        var activity = await Json(await client.GetAsync($"/v1/projects/{tenant.ProjectId}/activity"), HttpStatusCode.OK);
        Assert.Equal(0, (int)list["pagination"]!["total"]!);
        Assert.Equal(0, (int)activity["pagination"]!["total"]!);
    }

    private static Task<HttpResponseMessage> PostRawAsync(HttpClient client, string path, string json) =>
        client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    private static void AssertNoValues(string text)
    {
        foreach (var value in new[] { ApiKeyValue, TokenValue, UsernameValue, PasswordValue, Convert.ToBase64String(Encoding.UTF8.GetBytes($"{UsernameValue}:{PasswordValue}")) })
        {
            Assert.DoesNotContain(value, text, StringComparison.Ordinal);
        }
    }
}
