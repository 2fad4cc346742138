using System.Net;
using System.Net.Http.Json;
using Azure.Data.Tables;
using static Integrations.Api.Tests.HubFixture;

namespace Integrations.Api.Tests.Providers;

/// <summary>Rows written around the API, as someone with write access to the providers table would.</summary>
public sealed class ProviderStorageAttackTests(HubFixture hub) : IClassFixture<HubFixture>
{
    [Fact]
    public async Task ProviderRowCopiedIntoAnotherTenantsPartition_IsNotFoundThere()
    {
        var victim = await hub.CreateTenantAsync();
        var attacker = await hub.CreateTenantAsync("Attacker");
        using var victimClient = hub.Client(victim.OwnerKey);
        using var attackerClient = hub.Client(attacker.OwnerKey);
        var created = await Json(await victimClient.PostAsJsonAsync(victim.Providers, new { name = "victim-idp", template = "github", client_id = "v", client_secret = "victim-secret" }),
            HttpStatusCode.Created);
        var id = (string)created["id"]!;
        var table = new TableClient(hub.ConnectionString, hub.Prefix + "providers");
        var row = (await table.GetEntityAsync<TableEntity>($"{victim.OrganizationId}_{victim.ProjectId}", "P:" + id)).Value;

        // The victim's row (naming the victim's secret) planted in the attacker's project.
        row.PartitionKey = $"{attacker.OrganizationId}_{attacker.ProjectId}";
        await table.UpsertEntityAsync(row, TableUpdateMode.Replace);

        await Problem(await attackerClient.GetAsync($"{attacker.Providers}/{id}"), HttpStatusCode.NotFound, "not-found");
        var list = await Json(await attackerClient.GetAsync(attacker.Providers), HttpStatusCode.OK);
        Assert.Empty(list["data"]!.AsArray());
        await Problem(await attackerClient.DeleteAsync($"{attacker.Providers}/{id}"), HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task PlantedNameClaim_RefusesThatNameAndLeavesNoOrphanSecret()
    {
        var tenant = await hub.CreateTenantAsync();
        using var client = hub.Client(tenant.OwnerKey);
        var first = (string)(await Json(await client.PostAsJsonAsync(tenant.Providers, new { name = "one", template = "github", client_id = "a", client_secret = "s1" }),
            HttpStatusCode.Created))["id"]!;
        var table = new TableClient(hub.ConnectionString, hub.Prefix + "providers");

        // A claim planted for a name, pointing at a provider that does not exist: a create of that name is refused
        // (the claim is the unique index), and the existing provider is untouched.
        await table.AddEntityAsync(new TableEntity($"{tenant.OrganizationId}_{tenant.ProjectId}", "N:planted") { ["ProviderId"] = "prv_aaaaaaaaaaaaaaaaaaaa" });
        await Problem(await client.PostAsJsonAsync(tenant.Providers, new { name = "planted", template = "github", client_id = "b", client_secret = "s2" }),
            HttpStatusCode.Conflict, "provider-exists");

        var got = await Json(await client.GetAsync($"{tenant.Providers}/{first}"), HttpStatusCode.OK);
        Assert.Equal("one", (string?)got["name"]);
        var secrets = await Json(await client.GetAsync(tenant.Secrets), HttpStatusCode.OK);
        Assert.Single(secrets["data"]!.AsArray());
    }
}
