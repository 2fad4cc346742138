using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Azure;
using Azure.Data.Tables;
using Integrations.Core.Audit;
using Integrations.Testing;
using static Integrations.Api.Tests.HubFixture;

namespace Integrations.Api.Tests.Connections;

/// <summary>
/// Someone with write access to the connections table (not to the hub's keys) edits or copies a connection's configuration
/// row with the Tables SDK, so the proxy would inject a credential, or the token service send a token, where they choose.
/// Every such row must read as absent and be reported.
/// </summary>
public sealed class ConnectionRowMacAttackTests(HubFixture hub) : IClassFixture<HubFixture>
{
    [Theory]
    [InlineData("BaseUrl", "https://attacker.example/v1")]
    [InlineData("SecretRefs", """{"api_key":"other-secret"}""")]
    [InlineData("Type", "bearer")]
    [InlineData("ApiKeyIn", "query")]
    [InlineData("DefaultHeaders", """{"X-Forwarded-Host":"attacker.example"}""")]
    [InlineData("Enabled", null)]
    public async Task ConfigurationColumnChanged_ConnectionIsNotFound_AndReported(string column, string? value)
    {
        var (tenant, client) = await TenantAsync();
        var id = await ApiKeyConnectionAsync(client, tenant);
        if (column == "Enabled")
        {
            await Json(await client.PatchAsJsonAsync($"{Path(tenant)}/{id}", new { enabled = false }), HttpStatusCode.OK);
        }

        await EditAsync(tenant, id, row => row[column] = column == "Enabled" ? true : value);

        await AssertRefusedAsync(client, tenant, id);
        Assert.True(await ReportedAsync(id), "the refused row is not in the platform audit log");
    }

    [Fact]
    public async Task ProviderIdChanged_ConnectionIsNotFound_AndReported()
    {
        var (tenant, client) = await TenantAsync();
        var first = await ProviderAsync(client, tenant, "idp-a");
        var second = await ProviderAsync(client, tenant, "idp-b");
        var id = (string)(await Json(await client.PostAsJsonAsync(Path(tenant), new { name = "crm", type = "oauth2_authorization_code", provider_id = first }),
            HttpStatusCode.Created))["id"]!;

        await EditAsync(tenant, id, row => row["ProviderId"] = second);

        await AssertRefusedAsync(client, tenant, id);
        Assert.True(await ReportedAsync(id), "the refused row is not in the platform audit log");
    }

    [Fact]
    public async Task RowStrippedOfItsMac_IsRefused()
    {
        var (tenant, client) = await TenantAsync();
        var id = await ApiKeyConnectionAsync(client, tenant);

        // A row "in the format before MACs": there are none in production, so it is refused like a forged one.
        await EditAsync(tenant, id, row =>
        {
            row.Remove("Mac");
            row.Remove("Format");
        });

        await AssertRefusedAsync(client, tenant, id);
    }

    [Fact]
    public async Task RowCopiedIntoAnotherProject_IsNotFoundThere()
    {
        var (tenant, client) = await TenantAsync();
        var id = await ApiKeyConnectionAsync(client, tenant);
        var otherProject = (string)(await Json(await client.PostAsJsonAsync("/v1/projects", new { name = "other-" + TestRandom.Hex(4) }), HttpStatusCode.Created))["id"]!;
        var target = tenant with { ProjectId = otherProject };
        var table = Connections();
        var row = (await table.GetEntityAsync<TableEntity>(Partition(tenant), "C:" + id)).Value;

        row.PartitionKey = Partition(target);
        await table.UpsertEntityAsync(row, TableUpdateMode.Replace);

        await AssertRefusedAsync(client, target, id);
        await Json(await client.GetAsync($"{Path(tenant)}/{id}"), HttpStatusCode.OK);
        Assert.True(await ReportedAsync(id), "the refused row is not in the platform audit log");
    }

    [Fact]
    public async Task CreatePatchList_UntouchedRows_RoundTrip()
    {
        var (tenant, client) = await TenantAsync();
        var id = await ApiKeyConnectionAsync(client, tenant);
        var item = $"{Path(tenant)}/{id}";

        var patched = await Json(await client.PatchAsJsonAsync(item, new JsonObject
        {
            ["name"] = "crm-renamed",
            ["default_headers"] = new JsonObject { ["X-Tenant"] = "acme", ["x-region"] = "eu" },
            ["timeout_seconds"] = 2.5,
            ["policy"] = new JsonArray(new JsonObject { ["effect"] = "deny", ["methods"] = new JsonArray("DELETE"), ["path"] = "/admin/**" }),
            ["end_user"] = new JsonObject { ["id"] = "user-7", ["display_name"] = "Seven" },
        }), HttpStatusCode.OK);
        var read = await Json(await client.GetAsync(item), HttpStatusCode.OK);
        var list = await Json(await client.GetAsync(Path(tenant) + "?end_user_id=user-7"), HttpStatusCode.OK);
        var disabled = await Json(await client.PatchAsJsonAsync(item, new { enabled = false }), HttpStatusCode.OK);
        var row = (await Connections().GetEntityAsync<TableEntity>(Partition(tenant), "C:" + id)).Value;

        Assert.Equal("crm-renamed", (string?)patched["name"]);
        Assert.Equal(patched.ToJsonString(), read.ToJsonString());
        Assert.Equal(id, (string?)Assert.Single(list["data"]!.AsArray())!["id"]);
        Assert.Equal("disabled", (string?)disabled["status"]);
        Assert.Equal(2, row.GetInt32("Format"));
        Assert.False(string.IsNullOrEmpty(row.GetString("Mac")));
    }

    private static string Path(Tenant tenant) => $"/v1/projects/{tenant.ProjectId}/connections";

    private static string Partition(Tenant tenant) => $"{tenant.OrganizationId}_{tenant.ProjectId}";

    private async Task<(Tenant Tenant, HttpClient Client)> TenantAsync()
    {
        var tenant = await hub.CreateTenantAsync();
        var client = hub.Client(tenant.OwnerKey);
        await ConnectionsApiTests.SecretsAsync(client, tenant);
        await Json(await client.PostAsJsonAsync(tenant.Secrets, new { name = "other-secret", value = "another-value" }), HttpStatusCode.Created);
        return (tenant, client);
    }

    private static async Task<string> ApiKeyConnectionAsync(HttpClient client, Tenant tenant) =>
        (string)(await ConnectionsApiTests.CreateApiKeyConnectionAsync(client, tenant, "crm", new Dictionary<string, string> { ["X-Tenant"] = "acme" }))["id"]!;

    private static async Task<string> ProviderAsync(HttpClient client, Tenant tenant, string name) =>
        (string)(await Json(await client.PostAsJsonAsync(tenant.Providers, new { name, template = "github", client_id = "cid", client_secret = "client-secret-" + name }),
            HttpStatusCode.Created))["id"]!;

    private TableClient Connections() => new(hub.ConnectionString, hub.Prefix + "connections");

    private async Task EditAsync(Tenant tenant, string id, Action<TableEntity> edit)
    {
        var table = Connections();
        var row = (await table.GetEntityAsync<TableEntity>(Partition(tenant), "C:" + id)).Value;
        edit(row);
        await table.UpdateEntityAsync(row, ETag.All, TableUpdateMode.Replace);
    }

    private static async Task AssertRefusedAsync(HttpClient client, Tenant tenant, string id)
    {
        await Problem(await client.GetAsync($"{Path(tenant)}/{id}"), HttpStatusCode.NotFound, "not-found");
        var list = await Json(await client.GetAsync(Path(tenant)), HttpStatusCode.OK);
        Assert.DoesNotContain(list["data"]!.AsArray(), c => (string?)c!["id"] == id);
        await Problem(await client.PatchAsJsonAsync($"{Path(tenant)}/{id}", new { description = "x" }), HttpStatusCode.NotFound, "not-found");
    }

    private async Task<bool> ReportedAsync(string id)
    {
        var records = await AuditRows.ReadAsync(new TableClient(hub.ConnectionString, hub.Prefix + "audit"), AuditPartition.Platform);
        return records.Select(r => r.Record.ToJsonString())
            .Any(r => r.Contains(AuditActions.IntegrityViolation, StringComparison.Ordinal) && r.Contains(id, StringComparison.Ordinal));
    }
}
