using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Azure;
using Azure.Data.Tables;
using Integrations.Core.Audit;
using Integrations.Testing;
using static Integrations.Api.Tests.HubFixture;

namespace Integrations.Api.Tests.Providers;

/// <summary>
/// Someone with write access to the providers table (not to the hub's keys) edits or copies provider rows with the Tables SDK
/// so the hub would send a client secret or refresh token where they choose. Every such row must read as absent and be reported.
/// </summary>
public sealed class ProviderRowMacAttackTests(HubFixture hub) : IClassFixture<HubFixture>
{
    [Fact]
    public async Task TokenEndpointChangedInTheRow_ProviderIsNotFound_AndReported()
    {
        var (tenant, client, id) = await ProviderAsync();

        await EditDocumentAsync(tenant.OrganizationId, tenant.ProjectId, id, d => d["endpoints"]!["token"] = "https://attacker.example/token");

        await AssertRefusedAsync(client, tenant, id);
        Assert.True(await ReportedAsync(id), "the refused row is not in the platform audit log");
    }

    [Fact]
    public async Task ClientSecretRefChangedInTheRow_ProviderIsNotFound()
    {
        var (tenant, client, id) = await ProviderAsync();
        await Json(await client.PostAsJsonAsync(tenant.Secrets, new { name = "other-secret", value = "another-client-secret" }), HttpStatusCode.Created);

        await EditDocumentAsync(tenant.OrganizationId, tenant.ProjectId, id, d => d["clientSecretRef"] = "other-secret");

        await AssertRefusedAsync(client, tenant, id);
        Assert.True(await ReportedAsync(id), "the refused row is not in the platform audit log");
    }

    [Fact]
    public async Task RowStrippedOfItsMac_IsRefused()
    {
        var (tenant, client, id) = await ProviderAsync();
        var table = Providers();
        var row = (await table.GetEntityAsync<TableEntity>(Partition(tenant.OrganizationId, tenant.ProjectId), "P:" + id)).Value;

        // A row "in the format before MACs": there are none in production, so it is refused like a forged one.
        row.Remove("Mac");
        row.Remove("Format");
        await table.UpdateEntityAsync(row, ETag.All, TableUpdateMode.Replace);

        await AssertRefusedAsync(client, tenant, id);
    }

    [Fact]
    public async Task RowCopiedIntoAnotherProject_WithItsIdsRewritten_IsNotFoundThere()
    {
        var (tenant, client, id) = await ProviderAsync();
        var otherProject = (string)(await Json(await client.PostAsJsonAsync("/v1/projects", new { name = "other-" + TestRandom.Hex(4) }), HttpStatusCode.Created))["id"]!;
        var target = tenant with { ProjectId = otherProject };

        await CopyAsync(tenant, target, id);

        await AssertRefusedAsync(client, target, id);
        await Json(await client.GetAsync($"{tenant.Providers}/{id}"), HttpStatusCode.OK);
        Assert.True(await ReportedAsync(id), "the refused row is not in the platform audit log");
    }

    [Fact]
    public async Task RowCopiedIntoAnotherTenant_WithItsIdsRewritten_IsNotFoundThere()
    {
        var (victim, _, id) = await ProviderAsync();
        var attacker = await hub.CreateTenantAsync("Attacker");
        using var attackerClient = hub.Client(attacker.OwnerKey);

        await CopyAsync(victim, attacker, id);

        await AssertRefusedAsync(attackerClient, attacker, id);
    }

    [Fact]
    public async Task CreatePatchList_UntouchedRows_RoundTrip()
    {
        var (tenant, client, id) = await ProviderAsync();

        var patched = await Json(await client.PatchAsJsonAsync($"{tenant.Providers}/{id}", new { name = "renamed", default_scopes = new[] { "repo" } }), HttpStatusCode.OK);
        var read = await Json(await client.GetAsync($"{tenant.Providers}/{id}"), HttpStatusCode.OK);
        var list = await Json(await client.GetAsync(tenant.Providers), HttpStatusCode.OK);
        var row = (await Providers().GetEntityAsync<TableEntity>(Partition(tenant.OrganizationId, tenant.ProjectId), "P:" + id)).Value;

        Assert.Equal("renamed", (string?)patched["name"]);
        Assert.Equal("renamed", (string?)read["name"]);
        Assert.Equal(id, (string?)Assert.Single(list["data"]!.AsArray())!["id"]);
        Assert.Equal(2, row.GetInt32("Format"));
        Assert.False(string.IsNullOrEmpty(row.GetString("Mac")));
    }

    private static string Partition(string organizationId, string projectId) => $"{organizationId}_{projectId}";

    private async Task<(Tenant Tenant, HttpClient Client, string Id)> ProviderAsync()
    {
        var tenant = await hub.CreateTenantAsync();
        var client = hub.Client(tenant.OwnerKey);
        var created = await Json(await client.PostAsJsonAsync(tenant.Providers, new { name = "idp", template = "github", client_id = "cid", client_secret = "client-secret" }),
            HttpStatusCode.Created);
        return (tenant, client, (string)created["id"]!);
    }

    private TableClient Providers() => new(hub.ConnectionString, hub.Prefix + "providers");

    private async Task EditDocumentAsync(string organizationId, string projectId, string id, Action<JsonNode> edit)
    {
        var table = Providers();
        var row = (await table.GetEntityAsync<TableEntity>(Partition(organizationId, projectId), "P:" + id)).Value;
        var document = JsonNode.Parse(row.GetString("Document"))!;
        edit(document);
        row["Document"] = document.ToJsonString();
        await table.UpdateEntityAsync(row, ETag.All, TableUpdateMode.Replace);
    }

    // The victim's row (naming the victim's secret and token endpoint) planted in the target, its ids rewritten to fit there.
    private async Task CopyAsync(Tenant from, Tenant to, string id)
    {
        var table = Providers();
        var row = (await table.GetEntityAsync<TableEntity>(Partition(from.OrganizationId, from.ProjectId), "P:" + id)).Value;
        row.PartitionKey = Partition(to.OrganizationId, to.ProjectId);
        var document = JsonNode.Parse(row.GetString("Document"))!;
        document["organizationId"] = to.OrganizationId;
        document["projectId"] = to.ProjectId;
        row["Document"] = document.ToJsonString();
        await table.UpsertEntityAsync(row, TableUpdateMode.Replace);
    }

    private static async Task AssertRefusedAsync(HttpClient client, Tenant tenant, string id)
    {
        await Problem(await client.GetAsync($"{tenant.Providers}/{id}"), HttpStatusCode.NotFound, "not-found");
        var list = await Json(await client.GetAsync(tenant.Providers), HttpStatusCode.OK);
        Assert.DoesNotContain(list["data"]!.AsArray(), p => (string?)p!["id"] == id);
        await Problem(await client.PatchAsJsonAsync($"{tenant.Providers}/{id}", new { name = "x" }), HttpStatusCode.NotFound, "not-found");
    }

    private async Task<bool> ReportedAsync(string id)
    {
        var records = await AuditRows.ReadAsync(new TableClient(hub.ConnectionString, hub.Prefix + "audit"), AuditPartition.Platform);
        return records.Select(r => r.Record.ToJsonString())
            .Any(r => r.Contains(AuditActions.IntegrityViolation, StringComparison.Ordinal) && r.Contains(id, StringComparison.Ordinal));
    }
}
