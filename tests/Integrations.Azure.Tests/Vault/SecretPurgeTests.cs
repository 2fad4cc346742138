using Azure;
using Azure.Data.Tables;
using Integrations.Core.Common;
using Integrations.Core.Vault;

namespace Integrations.Azure.Tests.Vault;

/// <summary>Purging a deleted secret removes it for good, even when a purge was interrupted halfway.</summary>
public sealed class SecretPurgeTests
{
    [Fact]
    public async Task InterruptedPurge_CannotBeRestored_AndPurgeRunsAgainToTheEnd()
    {
        await using var hub = await HubServices.StartAsync();
        var (org, project) = await hub.CreateProjectAsync("Acme");
        var vault = hub.Get<VaultService>();
        var location = new SecretLocation(org, project, "old");
        await vault.CreateAsync(await hub.ProjectAsync(org, project), "old", new SecretInput("v1", null, null), "test");
        await vault.UpdateAsync(location, new SecretInput("v2", null, null), null, "test");
        await vault.DeleteAsync(location, "test");
        // A purge that marked the secret and then crashed.
        var table = new TableClient(hub.ConnectionString, hub.Prefix + "secrets");
        await table.UpdateEntityAsync(new TableEntity($"{org}_{project}", "S:old") { ["Purging"] = true }, ETag.All, TableUpdateMode.Merge);

        var restore = await vault.RestoreAsync(location, "test");
        var purge = await vault.PurgeAsync(location, "test");
        var recreate = await vault.CreateAsync(await hub.ProjectAsync(org, project), "old", new SecretInput("fresh", null, null), "test");

        Assert.Equal(ErrorKind.NotFound, restore.Error?.Kind);
        Assert.True(purge.IsSuccess);
        Assert.True(recreate.IsSuccess);
        Assert.Equal([1], (await vault.ListVersionsAsync(location, PageRequest.Default)).Value!.Items.Select(v => v.Version));
    }
}
