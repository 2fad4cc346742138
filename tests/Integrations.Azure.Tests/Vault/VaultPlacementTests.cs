using Azure.Data.Tables;
using Integrations.Core.Crypto;
using Integrations.Core.Vault;

namespace Integrations.Azure.Tests.Vault;

/// <summary>A sealed value opens only where it was written: its tenant, project and name are bound into it.</summary>
public sealed class VaultPlacementTests
{
    [Fact]
    public async Task RowCopiedToAnotherTenant_DoesNotOpenThere()
    {
        await using var hub = await HubServices.StartAsync();
        var (victimOrg, victimProject) = await hub.CreateProjectAsync("Victim");
        var (attackerOrg, attackerProject) = await hub.CreateProjectAsync("Attacker");
        var vault = hub.Get<VaultService>();
        await vault.CreateAsync(await hub.ProjectAsync(victimOrg, victimProject), "token", new SecretInput("victim-value", null, null), "test");
        await vault.CreateAsync(await hub.ProjectAsync(attackerOrg, attackerProject), "placeholder", new SecretInput("x", null, null), "test");
        var table = new TableClient(hub.ConnectionString, hub.Prefix + "secrets");
        var row = (await table.GetEntityAsync<TableEntity>($"{victimOrg}_{victimProject}", "S:token")).Value;

        await table.UpsertEntityAsync(new TableEntity(row) { PartitionKey = $"{attackerOrg}_{attackerProject}", RowKey = "S:stolen" }, TableUpdateMode.Replace);

        await Assert.ThrowsAsync<SecretIntegrityException>(() => vault.RevealAsync(new SecretLocation(attackerOrg, attackerProject, "stolen"), null));
    }

    [Fact]
    public async Task RowCopiedToAnotherNameInTheSameProject_DoesNotOpen()
    {
        await using var hub = await HubServices.StartAsync();
        var (org, project) = await hub.CreateProjectAsync("Acme");
        var vault = hub.Get<VaultService>();
        await vault.CreateAsync(await hub.ProjectAsync(org, project), "prod-key", new SecretInput("prod-value", null, null), "test");
        await vault.CreateAsync(await hub.ProjectAsync(org, project), "dev-key", new SecretInput("dev-value", null, null), "test");
        var table = new TableClient(hub.ConnectionString, hub.Prefix + "secrets");
        var prod = (await table.GetEntityAsync<TableEntity>($"{org}_{project}", "S:prod-key")).Value;

        await table.UpsertEntityAsync(new TableEntity(prod) { RowKey = "S:dev-key" }, TableUpdateMode.Replace);

        await Assert.ThrowsAsync<SecretIntegrityException>(() => vault.RevealAsync(new SecretLocation(org, project, "dev-key"), null));
    }
}
